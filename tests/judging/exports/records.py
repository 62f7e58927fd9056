"""Hand-made result records for the export renderers: no database, real image and PDF files on disk.

Plain builders imported by the renderer tests (and the campaign bench), not fixtures."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from PIL import Image

from judging.exports.model import Author, Category, Item, Results, WorkFile

POEM = "We carry two languages\nlike two coats in winter,\none for the street, one for home.\n\nBoth are mine."


def image_file(tmp_path, name="drawing.png", size=(800, 1000), colour=(200, 120, 60)) -> WorkFile:
    path = tmp_path / name
    Image.new("RGB", size, colour).save(path)
    return WorkFile(purpose="work", kind="image", path=path, web_path=path, mime="image/png", ext="png",
                    width=size[0], height=size[1])


def pdf_file(tmp_path, name="essay.pdf", pages=2, text="An essay page") -> WorkFile:
    """A real PDF with ``pages`` pages, each naming its number (made with fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=16)
        pdf.cell(text=f"{text} {n}")
    path = tmp_path / name
    pdf.output(str(path))
    return WorkFile(purpose="work", kind="pdf", path=path, web_path=None, mime="application/pdf", ext="pdf",
                    page_count=pages, text="\n".join(f"{text} {n}" for n in range(1, pages + 1)))


def missing_file(kind="image") -> WorkFile:
    return WorkFile(purpose="work", kind=kind, path=None, web_path=None, mime="image/png", ext="png")


_counter = iter(range(1, 10**6))


def make_item(**overrides) -> Item:
    n = next(_counter)
    base = dict(
        entry_id=n, reference=f"MTM-TEST{n:04d}", title="Two coats", language="en", discipline="poem",
        age_group="11-18", category_id=4, text=POEM, rank=1, ranks={"mean": 1, "median": 1, "zscore": 1,
        "bias_adjusted": 1}, values={"mean": 8.25, "median": 8.0, "zscore": 7.9, "bias_adjusted": 8.1},
        juror_count=3, awards=("first",), authors=(Author("Amira", "K", 12),), class_name="6B",
        school="Escola Básica Camões", city="Lisbon", country_code="PT", consent_judging=True,
        consent_publication=True, consent_social=True, consent_name=True)
    base.update(overrides)
    return Item(**base)


def make_results(*items: Item, **overrides) -> Results:
    """Results with one Category per (age group, discipline) present in ``items``, in the items' order."""
    categories: dict = {}
    for item in items:
        categories.setdefault(item.category_id, (item.age_group, item.discipline, []))[2].append(item)
    base = dict(edition_id=1, edition_name="More than migrants", results_on=date(2026, 12, 6),
                generated_at=datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc),
                categories=tuple(Category(id=cid, age_group=a, discipline=d, round_name="Round 1", method="mean",
                                          items=tuple(its)) for cid, (a, d, its) in categories.items()),
                base_url="https://example.org")
    base.update(overrides)
    return Results(**base)


__all__ = ["POEM", "image_file", "make_item", "make_results", "missing_file", "pdf_file", "replace"]
