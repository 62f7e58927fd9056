"""Gather an edition's results into ``model.Results``: rankings, awards, credits, files and consent.

A category is ranked by the final round when that round has submitted scores in it, else by the
first round, each under the round's chosen method. The number of queries does not grow with the
number of entries (entries are loaded in chunks of ``CHUNK``).
"""
from __future__ import annotations

import dataclasses
import os
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from competition.models import Edition, Entry, EntryAuthor, EntryFile, SchoolClass
from competition.models.places import School
from core.db import db, utcnow
from core.files import get_storage, stored
from core.storage import LocalStorage
from judging.exports.model import AWARD_ORDER, METHODS, Author, Category, Item, LeftOut, Results, WorkFile
from judging.models import Assignment, Award, Round, ScoreSet, ScoreStatus
from judging.results import evidence as evidence_service
from judging.results import service

CHUNK = 2000


def collect(edition: Edition, base_url: str = "", *, ranked: bool = True) -> Results:
    """Every ranked entry and every awarded one; with ``ranked=False`` only the awarded ones, without ranks
    or scores (the pages that show what is published need no more, and it is much faster: no aggregation)."""
    awards: dict[int, list[str]] = defaultdict(list)
    for entry_id, kind in db.session.execute(select(Award.entry_id, Award.kind).where(Award.edition_id == edition.id)):
        awards[entry_id].append(kind)
    ranked_by = _rankings(edition) if ranked else {}
    wanted = {r.entry_id for _round, res in ranked_by.values() for r in res.rows} | set(awards)
    entries = _load_entries(wanted)
    storage = get_storage()

    categories, left_out = [], []
    for category in edition.categories:
        if not category.enabled and not any(e.category_id == category.id for e in entries.values()):
            continue
        round_, res = ranked_by.get(category.id, (None, None))
        evidence = evidence_service.for_results(res, links=False) if res is not None else None
        items = []
        seen = set()
        for row in (res.rows if res else []):
            entry = entries.get(row.entry_id)
            if entry is not None:
                items.append(_with_evidence(_item(entry, awards.get(entry.id, ()), storage, row=row, res=res),
                                            evidence))
                seen.add(entry.id)
        for entry_id in sorted(awards):
            entry = entries.get(entry_id)
            if entry is not None and entry.category_id == category.id and entry_id not in seen:
                items.append(_item(entry, awards[entry_id], storage))
        left_out += [lo for item in items if item.is_selected for lo in _left_out(item)]
        categories.append(Category(id=category.id, age_group=category.age_group, discipline=category.discipline,
                                   round_name=round_.name if round_ else "", method=res.method if res else "mean",
                                   items=tuple(items)))
    return Results(edition_id=edition.id, edition_name=edition.name, results_on=edition.results_on,
                   generated_at=utcnow(), categories=tuple(categories), left_out=tuple(left_out),
                   base_url=base_url.rstrip("/"))


def _rankings(edition: Edition) -> dict[int, tuple]:
    """Category id -> (the round that ranks it, its CategoryResults)."""
    rounds = db.session.scalars(select(Round).where(Round.edition_id == edition.id).order_by(Round.number)).all()
    scored = _categories_with_scores(rounds)
    ranked_by: dict[int, tuple] = {}
    for category in edition.categories:
        if not category.enabled:
            continue
        round_ = next((r for r in reversed(rounds) if (r.id, category.id) in scored), None)
        if round_ is not None:
            ranked_by[category.id] = (round_, service.load_category(round_, category))
    return ranked_by


def ranks(edition: Edition) -> dict[int, int]:
    """Each ranked entry's place in its category, as ``collect`` gives it, without loading the entries."""
    return {row.entry_id: row.ranked.rank for _round, res in _rankings(edition).values() for row in res.rows}


def with_ranks(results: Results, places: dict[int, int]) -> Results:
    """``results`` gathered with ``ranked=False``, each entry given its place from ``ranks``."""
    items = {i.entry_id: dataclasses.replace(i, rank=places.get(i.entry_id)) for i in results.items}
    categories = tuple(dataclasses.replace(c, items=tuple(items[i.entry_id] for i in c.items))
                       for c in results.categories)
    left_out = tuple(dataclasses.replace(lo, item=items[lo.item.entry_id]) for lo in results.left_out)
    return dataclasses.replace(results, categories=categories, left_out=left_out)


def _categories_with_scores(rounds) -> set[tuple[int, int]]:
    if not rounds:
        return set()
    return set(db.session.execute(
        select(Assignment.round_id, Entry.category_id).join(Entry, Entry.id == Assignment.entry_id)
        .join(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(Assignment.round_id.in_([r.id for r in rounds]), ScoreSet.status == ScoreStatus.SUBMITTED)
        .group_by(Assignment.round_id, Entry.category_id).having(func.count(ScoreSet.id) > 0)).all())


def _load_entries(ids: set[int]) -> dict[int, Entry]:
    entries: dict[int, Entry] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        entries.update((e.id, e) for e in db.session.scalars(
            select(Entry).where(Entry.id.in_(chunk)).options(
                selectinload(Entry.authors).joinedload(EntryAuthor.pupil),
                selectinload(Entry.files),
                selectinload(Entry.school_class).joinedload(SchoolClass.school).joinedload(School.city))))
    return entries


def _item(entry: Entry, kinds, storage, row=None, res=None) -> Item:
    school_class = entry.school_class
    city = school_class.school.city
    awards = tuple(sorted(kinds, key=AWARD_ORDER.__getitem__))
    stats = row.stats if row else None
    return Item(
        entry_id=entry.id, reference=entry.reference, title=entry.title, language=entry.language,
        discipline=entry.category.discipline, age_group=entry.category.age_group, category_id=entry.category_id,
        text=entry.text, translation_text=entry.translation_text, translation_language=entry.translation_language,
        rank=row.ranked.rank if row else None, ranks=dict(row.ranks) if row else {},
        values={m: _value(stats, m) for m in METHODS} if stats else {},
        juror_count=stats.n if stats else 0, awards=awards,
        authors=tuple(Author(a.pupil.first_name, a.pupil.initial, a.pupil.age) for a in entry.authors),
        whole_class=entry.whole_class, class_name=school_class.name, school=school_class.school.name,
        city=city.name, country_code=city.country_code, status=entry.status,
        consent_judging=entry.consent_judging, consent_publication=entry.consent_publication,
        consent_social=entry.consent_social, consent_name=entry.consent_name,
        files=tuple(_file(f, storage) for f in entry.files if f.purpose in ("work", "translation")) if awards else ())


def _with_evidence(item: Item, evidence) -> Item:
    """``item`` with its chance of the top N and its place interval (judging.results.ranking_evidence)."""
    ev = evidence.entries.get(item.entry_id) if evidence is not None else None
    if ev is None:
        return item
    return dataclasses.replace(item, p_top=ev.p_top, top_n=evidence.top_n, rank_low=ev.rank_low,
                               rank_high=ev.rank_high, settled=ev.settled, thin=ev.thin)


def _value(stats, method: str) -> float | None:
    value = getattr(stats, method, None)
    return None if value is None else round(float(value), 4)


class LocalCopy(os.PathLike):
    """The path of an S3 object's local copy, fetched only when a renderer opens it (``os.fspath``): listing
    the winners on a page downloads nothing."""

    def __init__(self, storage, key: str) -> None:
        self.storage, self.key = storage, key

    def __fspath__(self) -> str:
        return str(self.storage.local_copy(self.key))

    def __copy__(self) -> LocalCopy:
        return self

    def __deepcopy__(self, memo) -> LocalCopy:
        """A handle on a stored file, as immutable as a path: ``dataclasses.asdict`` of an Item (its cards'
        digest) keeps it, rather than copying the storage's S3 client, which cannot be copied."""
        return self

    @property
    def name(self) -> str:
        """As ``Path.name`` of a stored file: its key (the gallery's ETag)."""
        return self.key

    def __eq__(self, other) -> bool:
        return isinstance(other, LocalCopy) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"LocalCopy({self.key[:12]}…)"


def _file(f: EntryFile, storage) -> WorkFile:
    def present(key):
        if not stored(storage, key):
            return None
        return storage.path(key) if isinstance(storage, LocalStorage) else LocalCopy(storage, key)

    return WorkFile(purpose=f.purpose, kind=f.kind, path=present(f.cleaned_key), web_path=present(f.web_key),
                    mime=f.cleaned_mime, ext=f.cleaned_ext, width=f.width, height=f.height, page_count=f.page_count,
                    text=f.text or "")


def _left_out(item: Item) -> list[LeftOut]:
    if item.status != "submitted":
        return [LeftOut(item, "all", item.status)]
    reasons = []
    if not item.consent_publication:
        reasons.append(LeftOut(item, "publication", "no_publication_consent"))
    if not item.consent_social:
        reasons.append(LeftOut(item, "social", "no_social_consent"))
    if not item.consent_name:
        reasons.append(LeftOut(item, "names", "no_name_consent"))
    if item.missing_files:
        reasons.append(LeftOut(item, "files", "missing_files"))
    return reasons
