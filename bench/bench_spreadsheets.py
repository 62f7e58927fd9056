"""The results workbook for 10,000 entries, written by each backend, beside plain openpyxl.

    .venv/bin/python bench/bench_spreadsheets.py [--entries 10000] [--repeat 3]

The same ``Results`` (synthetic: 4 categories, 200 selected entries, names, schools, four methods) is
written by ``write_xlsx`` with each backend of judging/exports/xlsx_backends.py, and by plain openpyxl
appending rows of constants without styles or widths (the baseline, measured in the same run). Each
figure is the best of ``--repeat`` runs, in seconds. Goal: under 3 s for 10,000 entries.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def results(n: int):
    from judging.exports.model import METHODS, Author, Category, Item, Results

    cats = [("11-18", "poem"), ("11-18", "essay"), ("5-10", "illustration"), ("5-10", "poem")]
    items: dict = {i: [] for i in range(len(cats))}
    for k in range(n):
        c = k % len(cats)
        rank = len(items[c]) + 1
        award = ("first",) if rank == 1 else ("publication",) if rank <= 50 else ()
        items[c].append(Item(
            entry_id=k, reference=f"MTM-{k:06d}", title=f"The journey of the swallows, part {k}", language="en",
            discipline=cats[c][1], age_group=cats[c][0], category_id=c, rank=rank,
            ranks={m: rank for m in METHODS}, values={m: 9.5 - rank / 1000 for m in METHODS}, juror_count=3,
            awards=award, authors=(Author("Amina", "K", 12), Author("Jonas", "B", 13)), class_name="7B",
            school="Escola Básica de Lisboa", city="Lisbon", country_code="PT", consent_judging=True,
            consent_publication=k % 3 != 0, consent_social=k % 4 != 0, consent_name=k % 2 == 0))
    categories = tuple(Category(id=c, age_group=a, discipline=d, round_name="Round 1", items=tuple(items[c]))
                       for c, (a, d) in enumerate(cats))
    return Results(edition_id=1, edition_name="More than migrants 2026", results_on=None,
                   generated_at=datetime.now(timezone.utc), categories=categories)


def plain_openpyxl(n: int, out) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    for r in range(n):
        ws.append([f"MTM-{r:06d}", "The journey of the swallows", "Ages 11-18 · Poem", r, "", 7.5, r, 7.5, r, 7.1, r,
                   7.3, r, 3, "Amina K.; Jonas B.", "7B", "School", "City", "PT", "Submitted", "yes", "yes", "yes",
                   "yes"])
    book.save(out)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryFile() as f:
            start = time.perf_counter()
            fn(f)
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from app import create_app
    from judging.exports.spreadsheets import write_xlsx
    from judging.exports.xlsx_backends import BACKENDS

    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-xlsx-"), "APP_ENV": "development"})
    data = results(args.entries)
    rows = [("baseline: plain openpyxl, rows of constants, no styles", best(lambda f: plain_openpyxl(args.entries, f),
                                                                           args.repeat))]
    with app.app_context():
        for backend in BACKENDS:
            rows.append((f"write_xlsx, {backend}", best(lambda f, b=backend: write_xlsx(data, f, backend=b),
                                                         args.repeat)))
    print(f"Results workbook, {args.entries} entries ({len(data.selected)} selected), best of {args.repeat}:")
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"  {label:<{width}}  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
