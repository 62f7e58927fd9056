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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from judging.exports.model import METHODS, Category, Item, Results
from judging.exports.wording import award_title, category_title

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


def row(item: Item, category: Category, language: str = "en", words: dict | None = None) -> list[Any]:
    """One entry's cells, in the order of ``COLUMNS``: numbers as numbers, empty cells as None.

    ``words``: the translated yes/no, statuses, categories and awards of ``language`` (``_Words``), made once
    per file: switching the locale for every row of 10,000 costs more than writing them.
    """
    words = words if words is not None else _Words(language)
    yes, no = words.yes, words.no
    cells: dict[str, Any] = {
        "reference": item.reference, "title": item.title,
        "category": words.category(category),
        "rank": item.rank, "award": words.award(item.award) or None, "jurors": item.juror_count,
        "pupils": "; ".join(a.display_name for a in item.authors) if item.consent_name else None,
        "class": item.class_name, "school": item.school, "city": item.city, "country": item.country_code,
        "status": words.status(item.status),
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


class _Words:
    """The words of one language that every row repeats, translated once each."""

    def __init__(self, language: str):
        from competition.models import EntryStatus

        self.language = language
        with force_locale(language):
            self.yes, self.no = _("yes"), _("no")
            self._statuses = {s.value: s.title for s in EntryStatus}
        self._categories: dict = {}
        self._awards: dict = {}

    def status(self, value: str) -> str:
        return self._statuses.get(value, value)

    def category(self, category: Category) -> str:
        key = (category.age_group, category.discipline)
        if key not in self._categories:
            self._categories[key] = category_title(category.age_group, category.discipline, self.language)
        return self._categories[key]

    def award(self, kind: str | None) -> str:
        if kind not in self._awards:
            self._awards[kind] = award_title(kind, self.language)
        return self._awards[kind]


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


def write_xlsx(results: Results, out: str | Path | IO[bytes], language: str = "en", backend: str = "xlsxwriter") -> None:
    """Write the workbook: a "Winners" sheet, then one sheet per category with every ranked or awarded entry.

    ``backend``: "xlsxwriter" (the fastest, measured in bench/bench_spreadsheets.py), "openpyxl-write-only"
    or "openpyxl"; all three write the same cells, styles, filters and widths (xlsx_backends.py).
    """
    from judging.exports.xlsx_backends import BACKENDS, Book, Sheet

    taken: set[str] = set()
    words = _Words(language)
    with force_locale(language):
        winners_title, no_winners = _("Winners"), _("No winners are decided yet.")
        title = _("Results of %(edition)s", edition=results.edition_name)
    created = results.generated_at
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc).replace(tzinfo=None)
    labels = [neutralise(label) for label in headers(language)]
    sheets = []
    if results.has_winners:
        owner = {id(item): category for category in results.categories for item in category.items}
        rows = [row(item, owner[id(item)], language, words) for item in results.selected]
        sheets.append(Sheet(safe_sheet_title(winners_title, taken), labels, _cleaned(rows), _widths(labels, rows)))
    else:
        sheets.append(Sheet(safe_sheet_title(winners_title, taken), None, [[_clean(neutralise(no_winners))]],
                            [WIDTH_LIMITS[1]]))
    for category in results.categories:
        name = safe_sheet_title(category_title(category.age_group, category.discipline, language), taken)
        rows = [row(item, category, language, words) for item in category.items]
        sheets.append(Sheet(name, labels, _cleaned(rows), _widths(labels, rows)))
    BACKENDS[backend](Book(title=title, creator=CREATOR, language=language, created=created, sheets=sheets), out)


def write_csv(results: Results, out_text: IO[str], language: str = "en") -> None:
    """Write every category's entries to one CSV, with a category column and the workbook's columns.

    The caller opens the file as ``open(path, "w", encoding="utf-8-sig", newline="")``: the byte-order
    mark makes Excel read UTF-8, and ``newline=""`` keeps the ``\\r\\n`` line ends as written.
    """
    writer = csv.writer(out_text, lineterminator="\r\n")
    writer.writerow([neutralise(label) for label in headers(language)])
    words = _Words(language)
    for category in results.categories:
        for item in category.items:
            writer.writerow(["" if cell is None else cell for cell in row(item, category, language, words)])


def _clean(value: Any) -> Any:
    """Drop the control characters that an XLSX file cannot hold (tab, new line and carriage return stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _cleaned(rows: list[list[Any]]) -> list[list[Any]]:
    return [[_clean(value) for value in values] for values in rows]


def _widths(labels: list[str], rows: list[list[Any]]) -> list[float]:
    """Column widths that fit the content, within ``WIDTH_LIMITS``."""
    longest = [len(str(label)) for label in labels]
    for values in rows:
        for n, value in enumerate(values):
            if value is not None:
                size = len(str(value))
                if size > longest[n]:
                    longest[n] = size
    return [min(max(size + 2, WIDTH_LIMITS[0]), WIDTH_LIMITS[1]) for size in longest]
