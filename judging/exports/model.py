"""What every export reads: plain, frozen records of the results, built once from the database.

The renderers (spreadsheets, feed, cards, captions, schedule, publication) take these records and
never touch the database, so each can be tested with hand-made records. Consent is applied when
the records are gathered (``dataset.collect``): a renderer that is handed ``for_social`` or
``for_publication`` cannot reach an entry that lacks the matching consent.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from competition.uploads.reflow import reflow

PLACES = ("first", "second", "third")
WINNING = (*PLACES, "special")
AWARD_ORDER = {kind: n for n, kind in enumerate((*WINNING, "publication"))}
METHODS = ("mean", "median", "zscore", "bias_adjusted")  # judging.models.ScoringMethod
HASHTAGS = ("#ICCities", "#Morethanmigrants", "#MigrantsDay")
SLOGAN = "More than migrants"


@dataclass(frozen=True)
class Author:
    first_name: str
    initial: str
    age: int

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.initial}.".strip() if self.initial else self.first_name


@dataclass(frozen=True)
class WorkFile:
    """A cleaned copy of one uploaded file. ``path`` is None when the stored file is missing."""

    purpose: str  # "work" or "translation"
    kind: str  # image, pdf, docx, odt, txt
    path: Path | None
    web_path: Path | None  # a smaller JPEG of an image, when there is one
    mime: str = ""
    ext: str = ""
    width: int | None = None
    height: int | None = None
    page_count: int | None = None
    text: str = ""  # text read from a document when it was cleaned

    @property
    def missing(self) -> bool:
        return self.path is None


@dataclass(frozen=True)
class Item:
    """One entry as the exports see it."""

    entry_id: int
    reference: str
    title: str
    language: str
    discipline: str  # poem, essay, illustration
    age_group: str  # 5-10, 11-18
    category_id: int
    text: str = ""
    translation_text: str = ""
    translation_language: str = ""
    rank: int | None = None  # under the method of the round the category was ranked in
    ranks: dict = field(default_factory=dict)  # method -> rank
    values: dict = field(default_factory=dict)  # method -> value on 0-10, or None
    juror_count: int = 0
    p_top: float | None = None  # probability of the top N (prizes + shortlist), judging.results.ranking_evidence
    top_n: int | None = None
    rank_low: int | None = None  # interval for the true place (90%)
    rank_high: int | None = None
    settled: bool | None = None  # None: not ranked
    thin: bool = False  # fewer submitted score sets than the round's k
    awards: tuple[str, ...] = ()  # award kinds, best first
    authors: tuple[Author, ...] = ()
    whole_class: bool = False
    class_name: str = ""
    school: str = ""
    city: str = ""
    country_code: str = ""
    status: str = "submitted"
    consent_judging: bool = False
    consent_publication: bool = False
    consent_social: bool = False
    consent_name: bool = False
    files: tuple[WorkFile, ...] = ()

    @property
    def award(self) -> str | None:
        """The best award: a place, else a special mention, else selection for publication."""
        return self.awards[0] if self.awards else None

    @property
    def is_winner(self) -> bool:
        return any(a in WINNING for a in self.awards)

    @property
    def is_selected(self) -> bool:
        return bool(self.awards)

    @property
    def work_files(self) -> tuple[WorkFile, ...]:
        return tuple(f for f in self.files if f.purpose == "work")

    @property
    def illustration(self) -> WorkFile | None:
        """The first image of the work, present on disk."""
        return next((f for f in self.work_files if f.kind == "image" and not f.missing), None)

    @property
    def missing_files(self) -> tuple[WorkFile, ...]:
        return tuple(f for f in self.files if f.missing)

    @property
    def body(self) -> str:
        """The work's own text: typed in, else read from its documents (a PDF's hard-wrapped
        lines joined into paragraphs; a poem keeps its lines)."""
        if self.text.strip():
            return self.text
        return "\n\n".join(reflow(f.text, keep_lines=self.discipline == "poem") if f.kind == "pdf" else f.text
                             for f in self.work_files if f.text.strip())

    @property
    def slug(self) -> str:
        """A safe file name stem: the reference and a few ASCII words of the title."""
        return f"{self.reference}-{slugify(self.title)}".rstrip("-")


@dataclass(frozen=True)
class Category:
    id: int
    age_group: str
    discipline: str
    round_name: str = ""  # the round whose scores rank it
    method: str = "mean"
    items: tuple[Item, ...] = ()  # every ranked entry, in rank order, then unranked awarded ones


@dataclass(frozen=True)
class LeftOut:
    """An entry kept out of one output, and why (a reason code; ``reason_text`` translates it)."""

    item: Item
    output: str  # "publication", "social", "feed", "names"
    reason: str  # no_publication_consent, no_social_consent, no_name_consent, withdrawn, disqualified, missing_files


@dataclass(frozen=True)
class Results:
    edition_id: int
    edition_name: str
    results_on: date | None
    generated_at: datetime
    categories: tuple[Category, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    base_url: str = ""  # public address of the platform, for links in the feed and the captions

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for c in self.categories for i in c.items)

    @property
    def selected(self) -> tuple[Item, ...]:
        """Winners and entries selected for publication that are still in the competition, by category and award."""
        return tuple(i for c in self.categories for i in sorted(
            (i for i in c.items if i.is_selected and i.status == "submitted"),
            key=lambda i: (AWARD_ORDER[i.award], i.rank or 10**9, i.reference)))

    @property
    def for_publication(self) -> tuple[Item, ...]:
        return tuple(i for i in self.selected if i.consent_publication)

    @property
    def for_social(self) -> tuple[Item, ...]:
        return tuple(i for i in self.selected if i.consent_social)

    @property
    def has_winners(self) -> bool:
        return bool(self.selected)

    def category(self, category_id: int) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)


def slugify(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return words[:limit].rstrip("-")
