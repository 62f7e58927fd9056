"""The three workbook writers write the same cells, header style, freeze, filter and widths."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from judging.exports.spreadsheets import write_xlsx
from judging.exports.xlsx_backends import BACKENDS
from tests.judging.exports.records import make_item, make_results


def _book(tmp_path, results, backend):
    path = tmp_path / f"{backend}.xlsx"
    write_xlsx(results, path, backend=backend)
    return load_workbook(path)


def _shape(book):
    shape = []
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        # XlsxWriter stores a width with Excel's padding (+0.71 character): the same shown width.
        widths = [int(sheet.column_dimensions[c].width or 0) for c in "ABCDX"]
        shape.append((sheet.title, rows, sheet.freeze_panes, sheet.auto_filter.ref, widths,
                      [bool(c.font.bold) for c in sheet[1]]))
    return shape


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b != "openpyxl"])
def test_each_backend_writes_what_plain_openpyxl_writes(tmp_path, backend):
    results = make_results(
        make_item(title="Two coats", school="=cmd|' /C calc'!A0"),
        make_item(title="Home", rank=2, awards=("second",), consent_name=False,
                  values={"mean": 7.123, "median": 7, "zscore": None, "bias_adjusted": 6.9}),
        make_item(title="Bridges", discipline="illustration", age_group="5-10", category_id=2, rank=None,
                  ranks={}, values={}, awards=("publication",)))
    assert _shape(_book(tmp_path, results, backend)) == _shape(_book(tmp_path, results, "openpyxl"))


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_without_winners_each_backend_writes_the_message_in_bold(tmp_path, backend):
    book = _book(tmp_path, make_results(make_item(awards=())), backend)
    winners = book.worksheets[0]
    assert winners["A1"].value == "No winners are decided yet." and winners["A1"].font.bold
    assert book.properties.title.startswith("Results of")
