"""The results as a workbook (one sheet per category, winners first) and as one CSV, for the secretariat.

Both files are private: they hold names (only where the family consented to names), classes,
schools and consent flags. Every string cell goes through ``neutralise`` so that no value typed
by a teacher (a title, a school) can run as a formula when the file is opened in a spreadsheet.
"""
from __future__ import annotations

import csv
from datetime import timezone
from pathlib import Path
from typing import IO, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .model import METHODS, Category, Item, Results
from .wording import award_title, category_title

CREATOR = "More than migrants platform"
FORMULA_STARTS = ("=", "+", "-", "@")  # OWASP's CSV-injection list, with tab and carriage return below
CONTROL_STARTS = ("\t", "\r")
SHEET_TITLE_LIMIT = 31
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
WIDTH_LIMITS = (8, 60)

COLUMNS: tuple[str, ...] = (
    "reference", "title", "category", "rank", "award",
    *(key for method in METHODS for key in (f"value_{method}", f"rank_{method}")),
    "jurors", "p_top", "rank_low", "rank_high", "settled", "pupils", "class", "school", "city", "country", "status",
    "consent_judging", "consent_publication", "consent_social", "consent_name",
)
NUMBER_COLUMNS = frozenset(("rank", "jurors", "p_top", "rank_low", "rank_high", *(f"{p}_{m}" for m in METHODS for p in ("value", "rank"))))


def neutralise(value: Any) -> Any:
    """A string that a spreadsheet could read as a formula gets a leading apostrophe; anything else is unchanged.

    Any leading ``=``, ``+``, ``-`` or ``@`` counts, even after spaces, and so does a leading tab or
    carriage return. A harmless "-ish" is neutralised too: one rule, simple and safe.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def headers(language: str = "en") -> list[str]:
    """The column labels of ``COLUMNS``, in ``language``."""
    with force_locale(language):
        methods = {"mean": _("Mean"), "median": _("Median"), "zscore": _("Z-score"),
                   "bias_adjusted": _("Bias-adjusted")}
        labels = {
            "reference": _("Reference"), "title": _("Title"), "category": _("Category"), "rank": _("Rank"),
            "award": _("Award"), "jurors": _("Jurors"), "p_top": _("Chance of the top N"),
            "rank_low": _("Best likely place"), "rank_high": _("Worst likely place"), "settled": _("Place settled"), "pupils": _("Pupils"), "class": _("Class"),
            "school": _("School"), "city": _("City"), "country": _("Country"), "status": _("Status"),
            "consent_judging": _("Consent to judging"), "consent_publication": _("Consent to publication"),
            "consent_social": _("Consent to social media"), "consent_name": _("Consent to names"),
        }
        for method in METHODS:
            title = methods.get(method, method)
            labels[f"value_{method}"] = title
            labels[f"rank_{method}"] = _("Rank (%(method)s)", method=title)
        return [labels[key] for key in COLUMNS]


def row(item: Item, category: Category, language: str = "en") -> list[Any]:
    """One entry's cells, in the order of ``COLUMNS``: numbers as numbers, empty cells as None."""
    from competition.models import EntryStatus

    with force_locale(language):
        yes, no = _("yes"), _("no")
        status = EntryStatus(item.status).title if item.status in EntryStatus._value2member_map_ else item.status
    cells: dict[str, Any] = {
        "reference": item.reference, "title": item.title,
        "category": category_title(category.age_group, category.discipline, language),
        "rank": item.rank, "award": award_title(item.award, language) or None, "jurors": item.juror_count,
        "pupils": "; ".join(a.display_name for a in item.authors) if item.consent_name else None,
        "class": item.class_name, "school": item.school, "city": item.city, "country": item.country_code,
        "status": status,
        "p_top": None if item.p_top is None else round(float(item.p_top), 2),
        "rank_low": item.rank_low, "rank_high": item.rank_high,
        "settled": None if item.settled is None else (yes if item.settled else no),
        "consent_judging": yes if item.consent_judging else no,
        "consent_publication": yes if item.consent_publication else no,
        "consent_social": yes if item.consent_social else no,
        "consent_name": yes if item.consent_name else no,
    }
    for method in METHODS:
        value = item.values.get(method)
        cells[f"value_{method}"] = None if value is None else round(float(value), 2)
        cells[f"rank_{method}"] = item.ranks.get(method)
    return [neutralise(cells[key] or None) if key not in NUMBER_COLUMNS else cells[key] for key in COLUMNS]


def safe_sheet_title(title: str, taken: set[str]) -> str:
    """``title`` as Excel accepts it (31 characters at most, none of ``[]:*?/\\``, no apostrophe at either end,
    not "History"), unlike any in ``taken``: a clash gets " (2)", " (3)"…

    ``taken`` holds the lower-cased titles already used (Excel compares them without case) and is updated.
    """
    base = " ".join(title.translate(SHEET_TITLE_FORBIDDEN).split()).strip("' ") or "Sheet"
    candidate, n = base[:SHEET_TITLE_LIMIT].rstrip("' "), 1
    while candidate.lower() in taken or candidate.lower() == "history":  # Excel keeps "History" for itself
        n += 1
        suffix = f" ({n})"
        candidate = base[:SHEET_TITLE_LIMIT - len(suffix)].rstrip("' ") + suffix
    taken.add(candidate.lower())
    return candidate


def write_xlsx(results: Results, out: str | Path | IO[bytes], language: str = "en") -> None:
    """Write the workbook: a "Winners" sheet, then one sheet per category with every ranked or awarded entry."""
    workbook = Workbook()
    taken: set[str] = set()
    with force_locale(language):
        winners_title, no_winners = _("Winners"), _("No winners are decided yet.")
        workbook.properties.title = _("Results of %(edition)s", edition=results.edition_name)
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    workbook.properties.language = language
    created = results.generated_at
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc).replace(tzinfo=None)
    workbook.properties.created = created

    winners = workbook.active
    winners.title = safe_sheet_title(winners_title, taken)
    if results.has_winners:
        owner = {id(item): category for category in results.categories for item in category.items}
        _fill(winners, [row(item, owner[id(item)], language) for item in results.selected], language)
    else:
        winners.append([_clean(neutralise(no_winners))])
        winners.column_dimensions["A"].width = WIDTH_LIMITS[1]
        winners["A1"].font = Font(bold=True)

    for category in results.categories:
        title = category_title(category.age_group, category.discipline, language)
        sheet = workbook.create_sheet(safe_sheet_title(title, taken))
        _fill(sheet, [row(item, category, language) for item in category.items], language)
    workbook.save(out)


def write_csv(results: Results, out_text: IO[str], language: str = "en") -> None:
    """Write every category's entries to one CSV, with a category column and the workbook's columns.

    The caller opens the file as ``open(path, "w", encoding="utf-8-sig", newline="")``: the byte-order
    mark makes Excel read UTF-8, and ``newline=""`` keeps the ``\\r\\n`` line ends as written.
    """
    writer = csv.writer(out_text, lineterminator="\r\n")
    writer.writerow([neutralise(label) for label in headers(language)])
    for category in results.categories:
        for item in category.items:
            writer.writerow(["" if cell is None else cell for cell in row(item, category, language)])


def _clean(value: Any) -> Any:
    """Drop the control characters that an XLSX file cannot hold (tab, new line and carriage return stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _fill(sheet: Worksheet, rows: list[list[Any]], language: str) -> None:
    """A bold, frozen header, the rows, an autofilter over them and column widths that fit the content."""
    labels = [neutralise(label) for label in headers(language)]
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([_clean(value) for value in values])
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for n, label in enumerate(labels, start=1):
        longest = max([len(str(label))] + [len(str(values[n - 1])) for values in rows if values[n - 1] is not None])
        sheet.column_dimensions[get_column_letter(n)].width = min(max(longest + 2, WIDTH_LIMITS[0]), WIDTH_LIMITS[1])
