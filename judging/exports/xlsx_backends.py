"""Three ways to write the same workbook, chosen by measuring them (bench/bench_spreadsheets.py).

Each takes a ``Book`` whose cells are ready (neutralised, cleaned, typed) and writes it with a bold,
frozen header row, an autofilter over the rows and the given column widths. XlsxWriter is the default:
it writes XML straight from the values; openpyxl's write-only mode streams rows too; the plain openpyxl workbook keeps
every cell as an object (the slowest, kept to compare).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any


@dataclass
class Sheet:
    title: str
    header: list[str] | None  # None: a sheet holding one message in bold, no table
    rows: list[list[Any]]
    widths: list[float]


@dataclass
class Book:
    title: str
    creator: str
    language: str
    created: datetime  # naive UTC
    sheets: list[Sheet]


def write_xlsxwriter(book: Book, out: str | Path | IO[bytes]) -> None:
    import xlsxwriter

    # Strings stay strings: never read as formulas, links or numbers, whatever a teacher typed.
    workbook = xlsxwriter.Workbook(out, {"strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False,
                                         "in_memory": False})
    workbook.set_properties({"title": book.title, "author": book.creator, "created": book.created,
                             "comments": "", "keywords": ""})
    workbook.set_custom_property("Language", book.language)
    bold = workbook.add_format({"bold": True})
    for sheet in book.sheets:
        ws = workbook.add_worksheet(sheet.title)
        for n, width in enumerate(sheet.widths):
            ws.set_column(n, n, width)
        if sheet.header is None:
            ws.write_row(0, 0, sheet.rows[0], bold)
            continue
        ws.write_row(0, 0, sheet.header, bold)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(sheet.rows), len(sheet.header) - 1)
        text, number = ws.write_string, ws.write_number  # typed calls: no guessing, and faster than write()
        for r, values in enumerate(sheet.rows, start=1):
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    text(r, c, value)
                else:
                    number(r, c, value)
    workbook.close()


def write_openpyxl_write_only(book: Book, out: str | Path | IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    _properties(workbook, book)
    bold = Font(bold=True)
    for sheet in book.sheets:
        ws = workbook.create_sheet(sheet.title)
        for n, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        header = sheet.header if sheet.header is not None else sheet.rows[0]
        cells = []
        for value in header:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            cells.append(cell)
        if sheet.header is not None:
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(sheet.rows) + 1}"
        ws.append(cells)
        if sheet.header is not None:
            for values in sheet.rows:
                ws.append(values)
    workbook.save(out)


def write_openpyxl(book: Book, out: str | Path | IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    _properties(workbook, book)
    for sheet in book.sheets:
        ws = workbook.create_sheet(sheet.title)
        header = sheet.header if sheet.header is not None else sheet.rows[0]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        if sheet.header is not None:
            for values in sheet.rows:
                ws.append(values)
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(sheet.rows) + 1}"
        for n, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
    workbook.save(out)


def _properties(workbook, book: Book) -> None:
    workbook.properties.title = book.title
    workbook.properties.creator = book.creator
    workbook.properties.lastModifiedBy = book.creator
    workbook.properties.language = book.language
    workbook.properties.created = book.created


BACKENDS = {"xlsxwriter": write_xlsxwriter, "openpyxl-write-only": write_openpyxl_write_only,
            "openpyxl": write_openpyxl}
