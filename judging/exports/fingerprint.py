"""Digests of what the public results and the exports are made from: caches are keyed by them, never invalidated.

A cache keyed by one of these digests cannot outlive a change. A withdrawn consent, a withdrawn or
disqualified entry, an award, a new title or a replaced file gives another digest on the very next
request, in every app process, because each process reads it from the database: nothing has to
remember to clear anything.

* ``published_digest``: every column ``dataset.collect(ranked=False)`` reads, for the awarded entries
  (their consent, status, texts, credits, file keys and whether each file is still stored: in S3, a yes is
  remembered for a minute, ``core.files.stored``), the
  awards and the categories. It keys the public gallery's results (``judging/results/public.py``).
* ``ranking_digest``: what the rankings are computed from: the rounds and their methods, the rubrics'
  criteria, and summaries of the submitted score sets (count, largest id, newest change: a submitted
  set never changes) and of which entries are in each category and status (count, sum and
  sum of squares of their ids). It keys the feed's ranks.
* ``exports_digest``: both, and the newest change to any entry of the edition; it tells whether a
  built export is outdated (``freshness.py``).

Both cost a handful of indexed queries, far less than gathering the results (bench/bench_public.py).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os

from sqlalchemy import BigInteger, cast, func, select

from competition.models import Category, Edition, Entry, EntryAuthor, EntryFile, FilePurpose, SchoolClass
from competition.models.places import City, School
from competition.models.school_class import Pupil
from core.db import db
from core.files import get_storage, stored
from judging.models import Award, Criterion, Round, Rubric, ScoreSet, ScoreStatus


class _Digest:
    def __init__(self, label: str):
        self._hash = hashlib.sha256(label.encode())

    def rows(self, name: str, rows) -> None:
        self._hash.update(f"\x1e{name}".encode())
        for row in rows:
            self._hash.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
            self._hash.update(b"\x1f")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def published_digest(edition: Edition) -> str:
    """A digest of every input of the published results (consent, status, awards, texts, credits, files)."""
    awarded = select(Award.entry_id).where(Award.edition_id == edition.id)
    digest = _Digest("published/1")
    digest.rows("edition", [(edition.id, edition.name, edition.results_on)])
    digest.rows("categories", db.session.execute(
        select(Category.id, Category.age_group, Category.discipline, Category.enabled)
        .where(Category.edition_id == edition.id).order_by(Category.id)))
    digest.rows("awards", db.session.execute(
        select(Award.id, Award.entry_id, Award.kind, Award.category_id)
        .where(Award.edition_id == edition.id).order_by(Award.id)))
    digest.rows("entries", db.session.execute(
        select(Entry.id, Entry.reference, Entry.status, Entry.consent_judging, Entry.consent_publication,
               Entry.consent_social, Entry.consent_name, Entry.category_id, Entry.title, Entry.language,
               Entry.text, Entry.translation_text, Entry.translation_language, Entry.whole_class,
               SchoolClass.name, School.name, City.name, City.country_code)
        .join(SchoolClass, SchoolClass.id == Entry.class_id).join(School, School.id == SchoolClass.school_id)
        .join(City, City.id == School.city_id).where(Entry.id.in_(awarded)).order_by(Entry.id)))
    digest.rows("authors", db.session.execute(
        select(EntryAuthor.entry_id, EntryAuthor.id, Pupil.id, Pupil.first_name, Pupil.initial, Pupil.age)
        .join(Pupil, Pupil.id == EntryAuthor.pupil_id).where(EntryAuthor.entry_id.in_(awarded))
        .order_by(EntryAuthor.id)))
    storage = get_storage()
    files = db.session.execute(
        select(EntryFile.entry_id, EntryFile.id, EntryFile.purpose, EntryFile.kind, EntryFile.cleaned_key,
               EntryFile.web_key, EntryFile.cleaned_mime, EntryFile.cleaned_ext, EntryFile.width, EntryFile.height,
               EntryFile.page_count, func.length(EntryFile.text))
        .where(EntryFile.entry_id.in_(awarded),
               EntryFile.purpose.in_((FilePurpose.WORK, FilePurpose.TRANSLATION)))
        .order_by(EntryFile.id)).all()
    digest.rows("files", [(*row, *(stored(storage, key) for key in (row[4], row[5]))) for row in files])
    return digest.hexdigest()


def ranking_digest(edition: Edition) -> str:
    """A digest of what the rankings of ``edition`` are computed from."""
    categories = select(Category.id).where(Category.edition_id == edition.id)
    digest = _Digest("ranking/1")
    digest.rows("rounds", db.session.execute(
        select(Round.id, Round.number, Round.status, Round.method, Round.tie_criterion_key)
        .where(Round.edition_id == edition.id).order_by(Round.id)))
    digest.rows("criteria", db.session.execute(
        select(Criterion.id, Criterion.rubric_id, Criterion.key, Criterion.weight, Criterion.scale_min,
               Criterion.scale_max, Criterion.step)
        .join(Rubric, Rubric.id == Criterion.rubric_id).where(Rubric.category_id.in_(categories))
        .order_by(Criterion.id)))
    # Submitted score sets never change (only drafts can be edited); they come and go with assignments, and a
    # new one is the newest change. Every edition's are counted: no join, and old editions do not move.
    digest.rows("scores", db.session.execute(
        select(func.count(ScoreSet.id), func.max(ScoreSet.id), func.max(ScoreSet.updated_at))
        .where(ScoreSet.status == ScoreStatus.SUBMITTED)))
    # Which entries are in the competition, by category: a change of consent or text does not move it.
    digest.rows("entries", db.session.execute(
        select(Entry.category_id, Entry.status, func.count(Entry.id), func.sum(Entry.id),
               func.sum(cast(Entry.id, BigInteger) * cast(Entry.id, BigInteger)))
        .where(Entry.category_id.in_(categories)).group_by(Entry.category_id, Entry.status)
        .order_by(Entry.category_id, Entry.status)))
    return digest.hexdigest()


def exports_digest(edition: Edition) -> str:
    """What every export of ``edition`` is made from: the published results, the rankings, and any change to
    any entry (the spreadsheets list every ranked entry with its consent): the newest ``updated_at`` moves."""
    changed = db.session.execute(
        select(func.count(Entry.id), func.max(Entry.updated_at))
        .where(Entry.category_id.in_(select(Category.id).where(Category.edition_id == edition.id)))).one()
    parts = f"{published_digest(edition)}:{ranking_digest(edition)}:{tuple(changed)!r}"
    return hashlib.sha256(parts.encode()).hexdigest()


def item_digest(item, *extra) -> str:
    """A digest of one gathered entry (every field, so its consent too) and ``extra`` (a size, a language...)."""
    fields = json.dumps([dataclasses.asdict(item), extra], default=_named, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(fields.encode("utf-8", "surrogatepass")).hexdigest()


def _named(value) -> str:
    """A stored file by its whole key (an S3 object's ``LocalCopy``: its repr shortens the key, and
    ``os.fspath`` would download it); a local path, a date or a Decimal as ``str``."""
    key = getattr(value, "key", None)
    return f"stored:{key}" if isinstance(key, str) and isinstance(value, os.PathLike) else str(value)
