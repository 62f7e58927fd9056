"""The one boundary between the database and everything a juror sees.

Every juror-reachable response (scoring_views, the juror's side of conflict_views, templates/judging/scoring/*)
is built from the frozen projections below, loaded here with explicit column selects. No ``Entry``,
``EntryFile``, ``SchoolClass``, ``Pupil``, ``School`` or other ``User`` object is ever loaded in a juror
request (the juror's own ``User`` row is Flask-Login's; ``City`` rows appear only as the profile form's list
of member cities); the ``entries`` and ``entry_files`` tables are read only through the columns named in
``ENTRY_COLUMNS`` and ``FILE_COLUMNS`` (never a title, reference, class, original name or hidden text).
Operations that need a row to write (scores) get the ``Assignment`` only, by the juror's own code
(``own_assignment``).

Guarantees of blindness, and the test that proves each one:

=====================================================  ==========================================================
Guarantee                                              Test
=====================================================  ==========================================================
Juror requests load no Entry, EntryFile, SchoolClass,  tests/judging/test_juror_boundary.py::
Pupil, School or other User, and read only the allowed test_juror_requests_never_load_identity_models,
columns of entries/entry_files (query inspection)      test_juror_views_import_no_identity_model
No name of pupil, teacher, school, class or city in    tests/judging/test_identity_leak.py,
any page, file, header, JSON or error a juror reaches  tests/judging/test_identity_leak_demo.py
... also for a juror who is also coordinator or        tests/judging/test_identity_leak_roles.py
teacher, over a demo with names in every field
Files are cleaned copies named after the code; hidden  tests/uploads/test_hidden_data.py,
data (EXIF, XMP, PDF annotations, PNG text) stripped   tests/judging/test_identity_leak_files.py
Consent changes every public output at once (caches    tests/judging/exports/test_consent_at_once.py
keyed on consent, judging/results/public.py); jurors   (public_results caches), tests/judging/
never reach public named outputs                       test_identity_leak.py (the crawl stays in /judging)
List order: keyed hash of the assignment id with a     tests/judging/test_juror_order.py
secret per-round key; no correlation with ids or       (Spearman over 40 entries, three rounds)
creation order, different in every round. Counts: a
juror sees only their own list and progress
Conflicts: a declaration changes nothing at once; the  tests/judging/rounds/test_conflict_probing.py
secretariat's batch releases all unstarted entries
Roles never mix: coordinator scope from appointments   tests/judging/rounds/test_roles_never_mix.py
only; a juror is never assigned what they see under
another role (city, schools, classes, everything)
"I know this work" refused on a closed round           tests/judging/rounds/test_conflict_probing.py
Constant queries (at most 8) per juror page, at 10     tests/judging/test_juror_boundary.py::
and at 100 assignments; neighbours, not the list       test_juror_pages_run_a_constant_number_of_queries
=====================================================  ==========================================================
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from competition.models import AgeGroup, Category, Discipline, Entry, EntryFile, EntryStatus, FilePurpose
from core.db import db, utcnow
from judging.models import Assignment, Criterion, Round, RoundStatus, Rubric, ScoreSet, ScoreStatus, ScoreValue

# The only columns of these tables a juror request reads.
ENTRY_COLUMNS = ("id", "category_id", "language", "text", "translation_text", "translation_language", "status")
FILE_COLUMNS = ("id", "entry_id", "purpose", "kind", "width", "height", "page_count", "text",
                "cleaned_key", "cleaned_mime", "cleaned_ext", "web_key")
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class WorkFile:
    id: int
    purpose: str
    kind: str
    width: int | None
    height: int | None
    page_count: int | None
    text: str


@dataclass(frozen=True)
class CriterionView:
    id: int
    key: str
    title: str
    description: str
    weight: Decimal
    scale_min: Decimal
    scale_max: Decimal
    step: Decimal
    required: bool
    descriptors: tuple


@dataclass(frozen=True)
class RubricView:
    id: int
    criteria: tuple[CriterionView, ...]


@dataclass(frozen=True)
class ScoreValueView:
    criterion_id: int
    value: Decimal | None
    comment: str


@dataclass(frozen=True)
class ScoreSetView:
    id: int
    status: str
    overall_comment: str
    total: Decimal | None
    values: tuple[ScoreValueView, ...]


@dataclass(frozen=True)
class RoundInfo:
    number: int
    name: str
    is_open: bool
    show_other_scores: bool


@dataclass(frozen=True)
class ListItem:
    code: str
    category_title: str
    status: str


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


@dataclass(frozen=True)
class JurorEntry:
    """One assignment as its juror sees it: a code, a category, the work, the rubric, their own scores."""

    assignment_id: int
    code: str
    category_title: str
    language: str
    text: str
    translation_text: str
    translation_language: str
    work_files: tuple[WorkFile, ...]
    translation_files: tuple[WorkFile, ...]
    rubric: RubricView | None
    score_set: ScoreSetView | None
    round: RoundInfo
    previous_code: str | None
    next_code: str | None
    progress: Progress

    @property
    def status(self) -> str:
        return self.score_set.status if self.score_set is not None else NOT_STARTED

    @property
    def submitted(self) -> bool:
        return self.status == ScoreStatus.SUBMITTED.value


def _category_title(age_group: str, discipline: str) -> str:
    return f"{AgeGroup(age_group).title} · {Discipline(discipline).title}"  # as Category.title


def _open_list_filter(juror_id: int, now: datetime):
    return (Assignment.juror_id == juror_id, Round.status == RoundStatus.OPEN.value,
            Entry.status == EntryStatus.SUBMITTED.value,  # a disqualified entry leaves every juror's list
            or_(Round.closes_at.is_(None), Round.closes_at > now))


_ORDER = (Round.number, Assignment.position, Assignment.code)


def juror_list(juror_id: int) -> list[ListItem]:
    """The juror's assignments in open rounds, in the round's secret order: one query."""
    rows = db.session.execute(
        select(Assignment.code, Category.age_group, Category.discipline, ScoreSet.status)
        .select_from(Assignment)
        .join(Round, Round.id == Assignment.round_id)
        .join(Entry, Entry.id == Assignment.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(*_open_list_filter(juror_id, utcnow()))
        .order_by(*_ORDER))
    return [ListItem(code, _category_title(age, discipline), status or NOT_STARTED)
            for code, age, discipline, status in rows]


def progress_of(items: list[ListItem]) -> Progress:
    return Progress(sum(1 for i in items if i.status == ScoreStatus.SUBMITTED.value), len(items))


def _neighbours(juror_id: int, code: str) -> tuple[str | None, str | None, Progress]:
    """Previous and next codes and the progress, computed by the database: one row comes back, not the list."""
    submitted = case((ScoreSet.status == ScoreStatus.SUBMITTED.value, 1), else_=0)
    ordered = (select(Assignment.code.label("code"),
                      func.lag(Assignment.code).over(order_by=_ORDER).label("previous"),
                      func.lead(Assignment.code).over(order_by=_ORDER).label("following"),
                      func.count().over().label("total"),
                      func.sum(submitted).over().label("done"))
               .select_from(Assignment)
               .join(Round, Round.id == Assignment.round_id)
               .join(Entry, Entry.id == Assignment.entry_id)
               .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
               .where(*_open_list_filter(juror_id, utcnow()))).subquery()
    row = db.session.execute(
        select(ordered.c.previous, ordered.c.following, ordered.c.total, ordered.c.done)
        .where(ordered.c.code == code)).first()
    if row is not None:
        return row.previous, row.following, Progress(int(row.done or 0), int(row.total))
    # A closed round's entry: no neighbours; the progress of the open list still shows.
    counts = db.session.execute(
        select(func.count(), func.coalesce(func.sum(submitted), 0)).select_from(Assignment)
        .join(Round, Round.id == Assignment.round_id).join(Entry, Entry.id == Assignment.entry_id)
        .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(*_open_list_filter(juror_id, utcnow()))).one()
    return None, None, Progress(int(counts[1]), int(counts[0]))


def _rubric(rubric_id: int | None, category_id: int) -> RubricView | None:
    """The score set's rubric once scoring has started, otherwise the category's current one: one query."""
    wanted = rubric_id if rubric_id is not None else (
        select(Rubric.id).where(Rubric.category_id == category_id, Rubric.is_current.is_(True))
        .limit(1).scalar_subquery())
    rows = db.session.execute(
        select(Rubric.id, Criterion).select_from(Rubric)
        .outerjoin(Criterion, Criterion.rubric_id == Rubric.id)
        .where(Rubric.id == wanted).order_by(Criterion.position, Criterion.id)).all()
    if not rows:
        return None
    criteria = tuple(
        CriterionView(id=c.id, key=c.key, title=c.title, description=c.description, weight=c.weight,
                      scale_min=c.scale_min, scale_max=c.scale_max, step=c.step, required=c.required,
                      descriptors=tuple(json.loads(c.descriptors_json or "[]")))
        for _rid, c in rows if c is not None)
    return RubricView(id=rows[0][0], criteria=criteria)


def _files(assignment_id: int) -> list[WorkFile]:
    entry_id = select(Assignment.entry_id).where(Assignment.id == assignment_id).scalar_subquery()
    rows = db.session.execute(
        select(EntryFile.id, EntryFile.purpose, EntryFile.kind, EntryFile.width, EntryFile.height,
               EntryFile.page_count, EntryFile.text)
        .where(EntryFile.entry_id == entry_id,
               EntryFile.purpose.in_([FilePurpose.WORK.value, FilePurpose.TRANSLATION.value]))
        .order_by(EntryFile.id))
    return [WorkFile(*row) for row in rows]


def juror_entry(juror_id: int, code: str) -> JurorEntry | None:
    """The juror's own assignment by its code, as they may see it; None for anything else (then 404)."""
    row = db.session.execute(
        select(Assignment.id, Assignment.code, Round.number, Round.name, Round.status, Round.closes_at,
               Round.show_other_scores, Entry.category_id, Entry.language, Entry.text, Entry.translation_text,
               Entry.translation_language, Category.age_group, Category.discipline, ScoreSet.id.label("set_id"),
               ScoreSet.status.label("set_status"), ScoreSet.rubric_id, ScoreSet.overall_comment, ScoreSet.total)
        .select_from(Assignment)
        .join(Round, Round.id == Assignment.round_id)
        .join(Entry, Entry.id == Assignment.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(Assignment.code == code, Assignment.juror_id == juror_id,
               Entry.status == EntryStatus.SUBMITTED.value)).first()
    if row is None:
        return None
    score_set = None
    if row.set_id is not None:
        values = tuple(ScoreValueView(*v) for v in db.session.execute(
            select(ScoreValue.criterion_id, ScoreValue.value, ScoreValue.comment)
            .where(ScoreValue.score_set_id == row.set_id)))
        score_set = ScoreSetView(row.set_id, row.set_status, row.overall_comment, row.total, values)
    files = _files(row.id)
    previous, following, progress = _neighbours(juror_id, code)
    is_open = row.status == RoundStatus.OPEN.value and (row.closes_at is None or utcnow() < row.closes_at)
    return JurorEntry(
        assignment_id=row.id, code=row.code, category_title=_category_title(row.age_group, row.discipline),
        language=row.language, text=row.text, translation_text=row.translation_text,
        translation_language=row.translation_language,
        work_files=tuple(f for f in files if f.purpose == FilePurpose.WORK.value),
        translation_files=tuple(f for f in files if f.purpose == FilePurpose.TRANSLATION.value),
        rubric=_rubric(row.rubric_id, row.category_id), score_set=score_set,
        round=RoundInfo(row.number, row.name, is_open, row.show_other_scores),
        previous_code=previous, next_code=following, progress=progress)


def other_scores(assignment_id: int) -> list[dict]:
    """The other jurors' submitted scores for the same entry and round, as Juror A, B, C: one query."""
    mine = select(Assignment.round_id, Assignment.entry_id).where(Assignment.id == assignment_id).subquery()
    rows = db.session.execute(
        select(Assignment.code, ScoreSet.total, ScoreValue.criterion_id, ScoreValue.value)
        .select_from(Assignment)
        .join(mine, (mine.c.round_id == Assignment.round_id) & (mine.c.entry_id == Assignment.entry_id))
        .join(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .outerjoin(ScoreValue, ScoreValue.score_set_id == ScoreSet.id)
        .where(Assignment.id != assignment_id, ScoreSet.status == ScoreStatus.SUBMITTED.value)
        .order_by(Assignment.code))
    by_code: dict[str, dict] = {}
    for code, total, criterion_id, value in rows:
        item = by_code.setdefault(code, {"total": total, "values": {}})
        if criterion_id is not None:
            item["values"][criterion_id] = value
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [{"label": letters[i % 26], **item} for i, item in enumerate(by_code.values())]


@dataclass(frozen=True)
class StoredCopy:
    key: str | None
    mime: str
    ext: str
    kind: str


def cleaned_file(juror_id: int, code: str, purpose: str, web: bool) -> StoredCopy | None:
    """The storage key of the cleaned (or web) copy of the juror's own assignment: never an original.

    The web copy is made by the task queue after the upload (competition/entries/image_copies.py); until it exists the
    cleaned copy (EXIF stripped, the same picture, larger) is served in its place, never a 404."""
    row = db.session.execute(
        select(EntryFile.cleaned_key, EntryFile.web_key, EntryFile.cleaned_mime, EntryFile.cleaned_ext,
               EntryFile.kind)
        .select_from(Assignment).join(Entry, Entry.id == Assignment.entry_id)
        .join(EntryFile, EntryFile.entry_id == Entry.id)
        .where(Assignment.code == code, Assignment.juror_id == juror_id, Entry.status == EntryStatus.SUBMITTED.value,
               EntryFile.purpose == purpose)
        .order_by(EntryFile.id).limit(1)).first()
    if row is None:
        return None
    if web and row.web_key:
        return StoredCopy(row.web_key, "image/jpeg", ".jpg", row.kind)
    return StoredCopy(row.cleaned_key, row.cleaned_mime or "application/octet-stream", row.cleaned_ext, row.kind)


def own_assignment(juror_id: int, code: str) -> Assignment | None:
    """The Assignment row to write scores on: the juror's own, of a submitted entry; round and score set loaded."""
    from sqlalchemy.orm import joinedload

    return db.session.scalar(
        select(Assignment).join(Entry, Entry.id == Assignment.entry_id)
        .where(Assignment.code == code, Assignment.juror_id == juror_id, Entry.status == EntryStatus.SUBMITTED.value)
        .options(joinedload(Assignment.round), joinedload(Assignment.score_set)))
