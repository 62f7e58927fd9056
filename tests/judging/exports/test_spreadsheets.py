"""The results workbook and CSV: opened again with openpyxl and the csv module, and checked cell by cell."""
from __future__ import annotations

import csv
import dataclasses

import pytest
from openpyxl import load_workbook

from judging.exports.model import Author
from judging.exports.spreadsheets import (
    COLUMNS,
    CREATOR,
    headers,
    neutralise,
    safe_sheet_title,
    write_csv,
    write_xlsx,
)
from tests.judging.exports.records import make_item, make_results

pytestmark = pytest.mark.usefixtures("app")

ENGLISH = ["Reference", "Title", "Category", "Rank", "Award", "Mean", "Rank (Mean)", "Median", "Rank (Median)",
           "Z-score", "Rank (Z-score)", "Bias-adjusted", "Rank (Bias-adjusted)", "Jurors", "Chance of the top N", "Best likely place",
           "Worst likely place", "Place settled", "Pupils", "Class", "School",
           "City", "Country", "Status", "Consent to judging", "Consent to publication", "Consent to social media",
           "Consent to names"]
PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "  =1", "\r=1", "-ish"]


def _xlsx(tmp_path, results, language="en"):
    path = tmp_path / f"results-{language}.xlsx"
    write_xlsx(results, path, language=language)
    return load_workbook(path)


def _csv(tmp_path, results, language="en"):
    path = tmp_path / f"results-{language}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        write_csv(results, fh, language=language)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh)), path.read_bytes()


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _same(value):
    """A cell as text or number, so that a CSV "8.0" equals the 8 openpyxl reads back."""
    if value is None:
        return ""
    try:
        return float(value)
    except ValueError:
        return value


def _cell(sheet, row, label):
    return sheet.cell(row=row, column=ENGLISH.index(label) + 1).value


def _two_categories():
    first = make_item(title="Two coats")
    second = make_item(title="Home", rank=2, awards=("second",), consent_name=False,
                       values={"mean": 7.123, "median": 7, "zscore": None, "bias_adjusted": 6.9})
    unawarded = make_item(title="Snow", rank=3, awards=())
    drawing = make_item(title="Bridges", discipline="illustration", age_group="5-10", category_id=2, rank=None,
                        ranks={}, values={}, awards=("publication",))
    return make_results(first, second, unawarded, drawing)


def test_columns_and_english_headers_match():
    assert len(COLUMNS) == len(ENGLISH)
    assert headers("en") == ENGLISH


def test_one_sheet_per_category_after_the_winners(tmp_path):
    book = _xlsx(tmp_path, _two_categories())
    assert book.sheetnames == ["Winners", "Ages 11–18 · Poem", "Ages 5–10 · Illustration"]
    assert book.properties.creator == CREATOR
    assert book.properties.title == "Results of More than migrants"
    assert book.properties.lastModifiedBy == CREATOR


def test_header_is_bold_frozen_and_filtered(tmp_path):
    book = _xlsx(tmp_path, _two_categories())
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == ENGLISH
        assert all(c.font.bold for c in sheet[1])
        assert sheet.auto_filter.ref == f"A1:AB{sheet.max_row}"
        assert sheet.column_dimensions["B"].width >= 8
    assert book["Ages 11–18 · Poem"].max_row == 4  # header and three entries
    assert book["Winners"].max_row == 4  # the two awarded poems and the drawing, not the unawarded poem


def test_a_row_keeps_numbers_as_numbers(tmp_path):
    sheet = _xlsx(tmp_path, _two_categories())["Ages 11–18 · Poem"]
    assert _cell(sheet, 2, "Reference").startswith("MTM-TEST")
    assert _cell(sheet, 2, "Title") == "Two coats"
    assert _cell(sheet, 2, "Category") == "Ages 11–18 · Poem"
    rank = _cell(sheet, 2, "Rank")
    assert rank == 1 and isinstance(rank, int)
    mean = _cell(sheet, 2, "Mean")
    assert mean == 8.25 and isinstance(mean, float)
    assert _cell(sheet, 3, "Mean") == 7.12  # rounded to two decimals
    assert _cell(sheet, 3, "Z-score") is None
    assert _cell(sheet, 2, "Rank (Median)") == 1
    assert _cell(sheet, 2, "Award") == "1st prize"
    assert _cell(sheet, 3, "Award") == "2nd prize"
    assert _cell(sheet, 4, "Award") is None
    assert _cell(sheet, 2, "Jurors") == 3
    assert _cell(sheet, 2, "Status") == "Submitted"
    assert (_cell(sheet, 2, "Class"), _cell(sheet, 2, "School")) == ("6B", "Escola Básica Camões")
    assert (_cell(sheet, 2, "City"), _cell(sheet, 2, "Country")) == ("Lisbon", "PT")


def test_names_and_consent_flags(tmp_path):
    pair = make_item(authors=(Author("Amira", "K", 12), Author("Yusuf", "", 11)))
    anonymous = make_item(rank=2, consent_name=False, consent_social=False)
    sheet = _xlsx(tmp_path, make_results(pair, anonymous))["Ages 11–18 · Poem"]
    assert _cell(sheet, 2, "Pupils") == "Amira K.; Yusuf"
    assert _cell(sheet, 3, "Pupils") is None
    assert "Amira" not in " ".join(str(v) for v in _rows(sheet)[2])
    assert [_cell(sheet, 3, f"Consent to {what}") for what in ("judging", "publication", "social media", "names")] == [
        "yes", "yes", "no", "no"]


def test_rows_follow_the_category_order_and_winners_only_the_selected(tmp_path):
    ranked = [make_item(title=f"Poem {n}", rank=n, awards=("first",) if n == 2 else ()) for n in (1, 2, 3)]
    withdrawn = make_item(title="Gone", rank=None, awards=("special",), status="withdrawn")
    book = _xlsx(tmp_path, make_results(*ranked, withdrawn))
    titles = [r[1] for r in _rows(book["Ages 11–18 · Poem"])[1:]]
    assert titles == ["Poem 1", "Poem 2", "Poem 3", "Gone"]
    assert _cell(book["Ages 11–18 · Poem"], 5, "Status") == "Withdrawn"
    assert [r[1] for r in _rows(book["Winners"])[1:]] == ["Poem 2"]


def test_without_winners_the_winners_sheet_says_so(tmp_path):
    results = make_results(make_item(awards=()), make_item(rank=2, awards=()))
    assert not results.has_winners
    book = _xlsx(tmp_path, results)
    assert _rows(book["Winners"]) == [["No winners are decided yet."]]
    assert book["Ages 11–18 · Poem"].max_row == 3  # the rankings are still there


def test_no_categories_still_makes_valid_files(tmp_path):
    results = make_results()
    book = _xlsx(tmp_path, results)
    assert book.sheetnames == ["Winners"]
    rows, _raw = _csv(tmp_path, results)
    assert rows == [ENGLISH]


def test_csv_holds_the_same_rows_as_the_category_sheets(tmp_path):
    results = _two_categories()
    book = _xlsx(tmp_path, results)
    rows, raw = _csv(tmp_path, results)
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert rows[0] == ENGLISH
    expected = [[_same(v) for v in r] for name in book.sheetnames[1:] for r in _rows(book[name])[1:]]
    assert [[_same(v) for v in r] for r in rows[1:]] == expected
    assert len(rows) == 5 and rows[4][2] == "Ages 5–10 · Illustration"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formulas_are_neutralised_in_both_files(tmp_path, payload):
    item = make_item(title=payload, school=payload, city=payload, authors=(Author(payload, "", 12),))
    results = make_results(item)
    sheet = _xlsx(tmp_path, results)["Ages 11–18 · Poem"]
    for label in ("Title", "School", "City", "Pupils"):
        cell = sheet.cell(row=2, column=ENGLISH.index(label) + 1)
        assert cell.data_type == "s"
        # XML reads a bare carriage return as a new line; XlsxWriter writes it as OOXML's escape _x000D_, which
        # Excel reads back as a carriage return (openpyxl leaves the escape as it is).
        assert cell.value in {("'" + payload).replace("\r", "\n"), ("'" + payload).replace("\r", "_x000D_")}
    rows, _raw = _csv(tmp_path, results)
    for label in ("Title", "School", "City", "Pupils"):
        assert rows[1][ENGLISH.index(label)] == "'" + payload


def test_neutralise_leaves_everything_else_alone():
    assert [neutralise(v) for v in (1, 2.5, None, True, "", "Two coats", "a=b", "MTM-1")] == [
        1, 2.5, None, True, "", "Two coats", "a=b", "MTM-1"]
    assert neutralise(" \t@x") == "' \t@x"
    assert neutralise("\n=1") == "'\n=1"


def test_long_right_to_left_and_emoji_titles_survive(tmp_path):
    long_title = "A" + "b" * 298 + "Z"
    rtl = "قصيدة البيت 🌍 שיר 👩🏽‍🎓"
    results = make_results(make_item(title=long_title), make_item(title=rtl, rank=2),
                           make_item(title="Bell\x07 ring", rank=3))
    sheet = _xlsx(tmp_path, results)["Ages 11–18 · Poem"]
    assert [_cell(sheet, n, "Title") for n in (2, 3, 4)] == [long_title, rtl, "Bell ring"]
    rows, _raw = _csv(tmp_path, results)
    assert [r[1] for r in rows[1:3]] == [long_title, rtl]


def test_sheet_titles_are_safe_and_unique(tmp_path):
    taken: set[str] = set()
    title = safe_sheet_title("a[b]:c*d?e/f\\g " * 4, taken)
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert safe_sheet_title("Winners", taken) == "Winners"
    assert safe_sheet_title("winners", taken) == "winners (2)"
    assert safe_sheet_title("x" * 40, taken) == "x" * 31
    assert safe_sheet_title("x" * 40, taken) == "x" * 27 + " (2)"
    assert safe_sheet_title("History", taken) == "History (2)"
    assert safe_sheet_title("'[]'", taken) == "Sheet"
    twin = make_item(category_id=9, rank=1)
    book = _xlsx(tmp_path, make_results(make_item(), twin))
    assert book.sheetnames == ["Winners", "Ages 11–18 · Poem", "Ages 11–18 · Poem (2)"]


def test_french_files_have_the_same_shape(tmp_path):
    results = _two_categories()
    english, french = _xlsx(tmp_path, results), _xlsx(tmp_path, results, "fr")
    assert len(french.sheetnames) == len(english.sheetnames)
    for en_name, fr_name in zip(english.sheetnames, french.sheetnames):
        assert len(french[fr_name][1]) == len(english[en_name][1]) == len(COLUMNS)
        assert french[fr_name].max_row == english[en_name].max_row
    assert french.worksheets[1]["A2"].value == english.worksheets[1]["A2"].value  # references are not translated
    rows, _raw = _csv(tmp_path, results, "fr")
    assert len(rows) == 5 and all(len(r) == len(COLUMNS) for r in rows)


def test_each_row_carries_the_chance_of_the_top_n_and_the_place_interval(tmp_path):
    from judging.exports.spreadsheets import row

    results = make_results(make_item())
    category = results.categories[0]
    item = dataclasses.replace(category.items[0], p_top=0.634, top_n=10, rank_low=2, rank_high=9, settled=False)
    cells = dict(zip(COLUMNS, row(item, category)))
    assert (cells["p_top"], cells["rank_low"], cells["rank_high"], cells["settled"]) == (0.63, 2, 9, "no")
    unranked = dict(zip(COLUMNS, row(dataclasses.replace(item, p_top=None, rank_low=None, rank_high=None,
                                                         settled=None), category)))
    assert unranked["p_top"] is None and unranked["settled"] is None
