"""How long each export takes: for the demo, and for 200 selected entries out of 10,000 ranked ones.

    .venv/bin/python bench/bench_exports.py [--entries 10000] [--selected 200] [--database-url URL]

Builds throw-away databases (SQLite files by default; PostgreSQL with --database-url) and times
gathering the results, the spreadsheets and feed, the social-media kit, the publication (English
and French) and the whole bundle, each written to a temporary folder. Baselines measured in the
same run: plain openpyxl writing the same number of rows of constants, plain Pillow saving the same
number of blank PNG cards, and plain fpdf2 writing the same number of one-paragraph pages. First,
cards and a publication of the same poem in each script the exports draw (Arabic, mixed Arabic,
Latin and digits, Chinese, Devanagari), next to the same in Latin.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def timed(label: str, fn, rows: list) -> object:
    start = time.perf_counter()
    value = fn()
    rows.append((label, time.perf_counter() - start))
    return value


def run_exports(app, label: str, rows: list) -> dict:
    from competition.models import Edition
    from judging.exports import service
    from judging.exports.dataset import collect

    with app.app_context(), app.test_request_context():
        edition = Edition.current()
        results = timed(f"{label}: gather the results", lambda: collect(edition, "https://example.org"), rows)
        counts = {"ranked": len(results.items), "selected": len(results.selected),
                  "publication": len(results.for_publication), "social": len(results.for_social)}
        kinds = ("results", "social", "publication", "bundle") if results.has_winners else ("results",)
        for kind in kinds:  # the demo may have no awards yet: then only the ranked results export
            with tempfile.TemporaryDirectory() as tmp:
                timed(f"{label}: export {kind}", lambda: service.export(kind, results, Path(tmp)), rows)
                if kind == "bundle":
                    timed(f"{label}: zip the bundle", lambda: service.zip_folder(Path(tmp), Path(tmp) / "b.zip"), rows)
    return counts


def demo_app():
    from app import create_app
    from core.db import db
    from demo.build import load_demo

    instance = tempfile.mkdtemp(prefix="bench-demo-")
    app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": f"sqlite:///{instance}/demo.db", "APP_ENV": "development"})
    with app.app_context():
        db.create_all()
        load_demo("bench password 2026")
        db.session.commit()
    return app


def large_app(url: str | None, entries: int, selected: int, settings: dict | None = None):
    """bench_judging's 10,000-entry database, plus ``selected`` awards with real image and PDF files; ``settings``
    adds to the app's configuration (bench_public.py's ``--s3``: the files in an S3 bucket)."""
    from bench_judging import build
    from sqlalchemy import select

    from app import create_app
    from competition.models import Entry, EntryFile
    from core.db import db
    from core.files import get_storage
    from judging.models import Award

    instance = tempfile.mkdtemp(prefix="bench-exports-")
    url = url or f"sqlite:///{instance}/large.db"
    build(url, entries, max(30, entries // 40))
    app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": url, "APP_ENV": "development", **(settings or {})})
    rng = random.Random(7)
    with app.app_context():
        storage = get_storage()
        picture, pdf = _sample_files(Path(instance))
        picture_bytes, pdf_bytes = picture.read_bytes(), pdf.read_bytes()
        chosen = rng.sample(db.session.scalars(select(Entry)).all(), selected)
        kinds = ["first", "second", "third", "special"]
        for n, entry in enumerate(chosen):
            entry.consent_publication = entry.consent_social = True
            entry.consent_name = n % 3 != 0
            entry.text = "\n".join(f"Line {k} of a poem about being more than one thing." for k in range(12))
            # Each winner's file is its own (bytes after the end are ignored by readers): a key per file, as
            # uploads give, so that a question per file to the storage is one per file here too.
            if n % 4 == 0:
                picture_key = storage.put(picture_bytes + f"\n{n}".encode())
                entry.files.append(EntryFile(purpose="work", kind="image", original_name="x.png", original_key=picture_key,
                                             original_size=1, cleaned_key=picture_key, cleaned_ext="png",
                                             cleaned_mime="image/png", web_key=picture_key, width=1600, height=2000))
            elif n % 10 == 1:
                pdf_key = storage.put(pdf_bytes + f"\n%{n}\n".encode())
                entry.files.append(EntryFile(purpose="work", kind="pdf", original_name="x.pdf", original_key=pdf_key,
                                             original_size=1, cleaned_key=pdf_key, cleaned_ext="pdf",
                                             cleaned_mime="application/pdf", page_count=3))
            kind = kinds[n] if n < len(kinds) else "publication"
            db.session.add(Award(edition_id=entry.category.edition_id, category_id=entry.category_id,
                                 entry_id=entry.id, kind=kind))
        db.session.commit()
    return app


def _sample_files(folder: Path) -> tuple[Path, Path]:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    picture = folder / "picture.png"
    image = Image.new("RGB", (1600, 2000), (240, 200, 150))
    draw = ImageDraw.Draw(image)
    for k in range(0, 1600, 80):
        draw.ellipse((k, k, k + 300, k + 300), outline=(30, 60, 120), width=8)
    image.save(picture)
    pdf = FPDF(format="A4")
    for page in range(3):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 6, f"Page {page + 1} of an uploaded essay. " * 40)
    path = folder / "essay.pdf"
    pdf.output(str(path))
    return picture, path


def baselines(n_rows: int, n_cards: int, n_pages: int, rows: list) -> None:
    from fpdf import FPDF
    from openpyxl import Workbook
    from PIL import Image

    def sheet():
        book = Workbook()
        ws = book.active
        for r in range(n_rows):
            ws.append([f"MTM-{r:08d}", "Ages 11-18 · Poem", r, "", 7.5, 7.5, 7.1, 7.3, 3, "", "Class", "School",
                       "City", "PT", "yes", "yes", "yes", "yes"])
        with tempfile.TemporaryFile() as f:
            book.save(f)

    def cards():
        for _ in range(n_cards):
            with tempfile.TemporaryFile() as f:
                Image.new("RGB", (1080, 1350), (250, 240, 230)).save(f, "PNG", compress_level=6)  # as cards.py

    def pages():
        pdf = FPDF(format="A4")
        pdf.set_font("helvetica", size=12)
        for _ in range(n_pages):
            pdf.add_page()
            pdf.multi_cell(0, 6, "A paragraph of a poem. " * 30)
        with tempfile.TemporaryFile() as f:
            f.write(pdf.output())

    timed(f"baseline: plain openpyxl, {n_rows} rows", sheet, rows)
    timed(f"baseline: plain Pillow, {n_cards} blank PNG cards", cards, rows)
    timed(f"baseline: plain fpdf2, {n_pages} text pages", pages, rows)


SCRIPT_SAMPLES = {  # a poem of four lines and a title in each script the exports draw
    "Latin (baseline)": ("Two coats", "We carry two languages\nlike two coats in winter,\none for the street,\n"
                         "one for home. Both are mine, in 2026."),
    "Arabic": ("بيتان", "نحن هنا، وقلوبنا هناك\nنحمل لغتين كمعطفين في الشتاء\nواحدة للشارع، وواحدة للبيت\n"
               "كلتاهما لي منذ عام 2019."),
    "Arabic + Latin + digits": ("Lisbon لشبونة", "وصلت إلى Lisbon في عام 2019،\nوالآن عمري 12 سنة (تقريباً).\n"
                                "أحب FC Porto!\nرقم الباص 728."),
    "Chinese": ("两件外套", "我们带着两种语言，\n像冬天里的两件外套。\n一件在街上穿，\n一件在家里穿。"),
    "Devanagari": ("दो कोट", "हम दो भाषाएँ साथ रखते हैं,\nसर्दियों में दो कोट की तरह।\nएक गली के लिए,\nएक घर के लिए।"),
}


def scripts(rows: list, cards: int = 10, poems: int = 20) -> None:
    """Cards (three sizes) and a publication per script, next to the same in Latin."""
    import io
    from datetime import datetime, timezone

    from app import create_app
    from judging.exports.cards import card_png
    from judging.exports.model import Author, Category, Item, Results
    from judging.exports.publication import build_publication

    def item(n: int, title: str, text: str) -> Item:
        return Item(entry_id=n, reference=f"MTM-{n:05d}", title=title, language="xx", discipline="poem",
                    age_group="11-18", category_id=1, text=text, awards=("publication",),
                    authors=(Author("Amira", "K", 12),), city="Lisbon", consent_publication=True,
                    consent_social=True, consent_name=True)

    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-scripts-"), "DATABASE_URL": "sqlite://",
                      "APP_ENV": "development"})
    with app.app_context(), app.test_request_context():
        for name, (title, text) in SCRIPT_SAMPLES.items():
            card_png(item(0, title, text))  # fonts loaded once, as in a real export

            def render() -> None:
                for n in range(cards):
                    for size in ("portrait", "square", "landscape"):
                        card_png(item(n, title, text), size)

            def publish() -> None:
                items = tuple(item(n, title, text) for n in range(poems))
                results = Results(1, "More than migrants", None, datetime.now(timezone.utc),
                                  (Category(1, "11-18", "poem", items=items),))
                build_publication(results, io.BytesIO())

            timed(f"scripts: {name}, {cards * 3} cards", render, rows)
            timed(f"scripts: {name}, publication of {poems} poems", publish, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--selected", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    rows: list = []
    scripts(rows)
    demo = run_exports(demo_app(), "demo", rows)
    start = time.perf_counter()
    app = large_app(args.database_url, args.entries, args.selected)
    build_seconds = time.perf_counter() - start
    large = run_exports(app, f"{args.selected} of {args.entries}", rows)
    baselines(args.entries, large["social"] * 3, large["publication"] * 2, rows)

    print(f"demo: {demo}")
    print(f"large: {large} (database built in {build_seconds:.1f} s)")
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:8.2f} s")


if __name__ == "__main__":
    main()
