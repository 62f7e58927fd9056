"""The one boundary between the database and everything a juror sees.

Every juror-reachable response (scoring_views, the juror's side of conflict_views, templates/judging/scoring/*)
is built from the frozen projections of judging/scoring/projections.py, loaded here with explicit column
selects (statements built once, with parameters). No ``Entry``,
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
Constant queries (at most 4) per juror page, at 10     tests/judging/test_juror_boundary.py::
and at 100 assignments; neighbours, not the list       test_juror_pages_run_a_constant_number_of_queries
Neighbours are index steps in the secret order (the    tests/judging/scoring/test_neighbours.py
stored order key, ix_assignments_juror_list), the same
order as the list, across rounds, skipping withdrawn
The round and rubric a page shows come from a per-     tests/judging/scoring/test_page_cache.py
process cache keyed by revision tokens read with the   (two app instances, one database)
page's first query: a change shows at once everywhere
=====================================================  ==========================================================
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Integer, Numeric, String, and_, bindparam, case, cast, func, literal, null, or_, select, true, tuple_
from sqlalchemy.orm import aliased

from competition.models import AgeGroup, Category, Discipline, Entry, EntryFile, EntryStatus, FilePurpose
from core.db import db, utcnow
from judging.models import Assignment, Criterion, Round, RoundStatus, Rubric, ScoreSet, ScoreStatus, ScoreValue
from judging.scoring.cache import cached
from judging.scoring.projections import (
    NOT_STARTED,
    CriterionView,
    JurorEntry,
    ListItem,
    Progress,
    RoundData,
    RubricView,
    ScoreSetView,
    ScoreValueView,
    WorkFile,
)

# The only columns of these tables a juror request reads.
ENTRY_COLUMNS = ("id", "category_id", "language", "text", "translation_text", "translation_language", "status")
FILE_COLUMNS = ("id", "entry_id", "purpose", "kind", "width", "height", "page_count", "text",
                "cleaned_key", "cleaned_mime", "cleaned_ext", "web_key")

__all__ = [
    "NOT_STARTED",
    "JurorEntry",
    "ListItem",
    "Progress",
    "RubricView",
    "StoredCopy",
    "WorkFile",
    "cleaned_file",
    "juror_entry",
    "juror_list",
    "other_scores",
    "own_assignment",
    "progress_of",
]


def _category_title(age_group: str, discipline: str) -> str:
    return f"{AgeGroup(age_group).title} · {Discipline(discipline).title}"  # as Category.title


def _entry_in_lists(assignment=Assignment):
    """The assignment's entry is submitted (a disqualified entry leaves every juror's list): per row, by the
    primary key, rather than a join the planner may answer by reading every entry."""
    entry = aliased(Entry)
    status = select(entry.status).where(entry.id == assignment.entry_id).correlate(assignment).scalar_subquery()
    return status == EntryStatus.SUBMITTED


def _entry_listed(assignment):
    """As ``_entry_in_lists``, for a neighbour's step: a semi-join, whose selectivity the planner takes from
    ``entries.status`` (nearly all submitted), so it walks ix_assignments_juror_list in order and stops at the
    first row. The scalar form's default estimate (1 row in 200 passes) made it read and sort half the list."""
    entry = aliased(Entry)
    return (select(entry.id).where(entry.id == assignment.entry_id, entry.status == EntryStatus.SUBMITTED)
            .correlate(assignment).exists())


# The statements of a juror's page are built once, with parameters (:juror, :now, ...): building and keying
# a statement of subqueries costs more Python than the database takes to answer it.
_OPEN_ROUND = (Round.status == RoundStatus.OPEN,
               or_(Round.closes_at.is_(None), Round.closes_at > bindparam("now")))
_IN_OPEN_LIST = (Assignment.juror_id == bindparam("juror"), *_OPEN_ROUND, _entry_in_lists())
# The juror's list: round by round, then the round's secret order (Assignment.position, a keyed hash).
_ORDER = (Round.number, Assignment.round_id, Assignment.position, Assignment.code)

_LIST = (
    select(Assignment.code, Category.age_group, Category.discipline, ScoreSet.status)
    .select_from(Assignment)
    .join(Round, Round.id == Assignment.round_id)
    .join(Entry, Entry.id == Assignment.entry_id)
    .join(Category, Category.id == Entry.category_id)
    .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
    .where(Assignment.juror_id == bindparam("juror"), *_OPEN_ROUND, Entry.status == EntryStatus.SUBMITTED)
    .order_by(*_ORDER))


def juror_list(juror_id: int) -> list[ListItem]:
    """The juror's assignments in open rounds, in the round's secret order: one query."""
    rows = db.session.execute(_LIST, {"juror": juror_id, "now": utcnow()})
    return [ListItem(code, _category_title(age, discipline), status or NOT_STARTED)
            for code, age, discipline, status in rows]


def progress_of(items: list[ListItem]) -> Progress:
    return Progress(sum(1 for i in items if i.status == ScoreStatus.SUBMITTED), len(items))


def _step(forward: bool):
    """The code one step after (or before) the page's own assignment in the juror's list, for the page's
    statement (correlated with its ``assignments`` and ``rounds`` row): within the same round, one step along
    ix_assignments_juror_list; at the round's end, the nearest entry of another open round. Neither reads the
    list. NULL when the page's round is not open: a closed round's entry is in no list."""
    other, other_round = aliased(Assignment), aliased(Round)
    here, there = tuple_(other.position, other.code), tuple_(Assignment.position, Assignment.code)
    round_here, round_there = tuple_(other_round.number, other.round_id), tuple_(Round.number, Assignment.round_id)
    order = (other_round.number, other.round_id, other.position, other.code)
    within = select(other.code).where(
        other.juror_id == Assignment.juror_id, other.round_id == Assignment.round_id, _entry_listed(other),
        here > there if forward else here < there)
    beyond = (select(other.code).join(other_round, other_round.id == other.round_id).where(
        other.juror_id == Assignment.juror_id, other_round.status == RoundStatus.OPEN,
        or_(other_round.closes_at.is_(None), other_round.closes_at > bindparam("now")), _entry_listed(other),
        round_here > round_there if forward else round_here < round_there))
    if forward:
        within = within.order_by(other.position, other.code)
        beyond = beyond.order_by(*order)
    else:
        within = within.order_by(other.position.desc(), other.code.desc())
        beyond = beyond.order_by(*(column.desc() for column in order))
    return case((and_(*_OPEN_ROUND), func.coalesce(within.limit(1).scalar_subquery(), beyond.limit(1).scalar_subquery())),
                else_=null())


# The progress of the open list: the only part of a page's statement that reads the whole list.
_SUBMITTED = case((ScoreSet.status == ScoreStatus.SUBMITTED, 1), else_=0)
_COUNTS = (select(func.count().label("total"), func.coalesce(func.sum(_SUBMITTED), 0).label("done"))
           .select_from(Assignment).join(Round, Round.id == Assignment.round_id)
           .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
           .where(*_IN_OPEN_LIST)).subquery()


_ROUND = select(Round.revision, Round.number, Round.name, Round.status, Round.closes_at,
                Round.show_other_scores).where(Round.id == bindparam("round"))


def _round(round_id: int, revision: str) -> RoundData:
    """What the page shows of the round, from the process's cache under its revision; on a miss, one query."""
    def load():
        row = db.session.execute(_ROUND, {"round": round_id}).one()
        return (round_id, row.revision), RoundData(*row[1:])

    return cached("rounds", (round_id, revision), load)


_RUBRIC = (select(Rubric.revision, Criterion).select_from(Rubric)
           .outerjoin(Criterion, Criterion.rubric_id == Rubric.id)
           .where(Rubric.id == bindparam("rubric")).order_by(Criterion.position, Criterion.id))


def _rubric(rubric_id: int | None, revision: str | None) -> RubricView | None:
    """The rubric with its criteria, from the process's cache under its revision; on a miss, one query."""
    if rubric_id is None:
        return None

    def load():
        rows = db.session.execute(_RUBRIC, {"rubric": rubric_id}).all()
        if not rows:
            return (rubric_id, revision), None
        criteria = tuple(
            CriterionView(id=c.id, key=c.key, title=c.title, description=c.description, weight=c.weight,
                          scale_min=c.scale_min, scale_max=c.scale_max, step=c.step, required=c.required,
                          descriptors=tuple(json.loads(c.descriptors_json or "[]")))
            for _revision, c in rows if c is not None)
        return (rubric_id, rows[0][0]), RubricView(id=rubric_id, criteria=criteria)

    return cached("rubrics", (rubric_id, revision), load)


# The work's files and the juror's own scores, in one statement (no scores before scoring starts: :score_set is NULL).
_WORK_AND_SCORES = (
    select(literal("file").label("source"), EntryFile.id.label("ref"), EntryFile.purpose, EntryFile.kind,
           EntryFile.width, EntryFile.height, EntryFile.page_count, EntryFile.text, cast(null(), Numeric).label("value"))
    .where(EntryFile.entry_id == bindparam("entry"),
           EntryFile.purpose.in_([FilePurpose.WORK, FilePurpose.TRANSLATION]))
    .union_all(
        select(literal("score"), ScoreValue.criterion_id, cast(null(), String), cast(null(), String),
               cast(null(), Integer), cast(null(), Integer), cast(null(), Integer), ScoreValue.comment, ScoreValue.value)
        .where(ScoreValue.score_set_id == bindparam("score_set")))
    .order_by("source", "ref"))
_CURRENT = aliased(Rubric)
# The rubric shown: the score set's once scoring has started, else the category's current one.
_CURRENT_RUBRIC = (select(_CURRENT.id).where(_CURRENT.category_id == Entry.category_id, _CURRENT.is_current.is_(True))
                   .limit(1).scalar_subquery())
_ENTRY = (
    select(Assignment.id, Assignment.code, Assignment.round_id, Assignment.entry_id,
           Round.revision.label("round_revision"), Entry.language, Entry.text, Entry.translation_text,
           Entry.translation_language, Category.age_group, Category.discipline, ScoreSet.id.label("set_id"),
           ScoreSet.status.label("set_status"), ScoreSet.overall_comment, ScoreSet.total,
           Rubric.id.label("rubric_id"), Rubric.revision.label("rubric_revision"),
           _step(False).label("previous"), _step(True).label("following"),
           _COUNTS.c.total.label("listed"), _COUNTS.c.done.label("scored"))
    .select_from(Assignment)
    .join(Round, Round.id == Assignment.round_id)
    .join(Entry, Entry.id == Assignment.entry_id)
    .join(Category, Category.id == Entry.category_id)
    .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
    .outerjoin(Rubric, Rubric.id == func.coalesce(ScoreSet.rubric_id, _CURRENT_RUBRIC))
    .join(_COUNTS, true())
    .where(Assignment.code == bindparam("code"), Assignment.juror_id == bindparam("juror"),
           Entry.status == EntryStatus.SUBMITTED))


def juror_entry(juror_id: int, code: str) -> JurorEntry | None:
    """The juror's own assignment by its code, as they may see it; None for anything else (then 404).

    One statement reads the assignment, the work, the juror's score set, the revisions of the round and the
    rubric, the neighbours and the progress; the round and the rubric come from the process's cache
    (judging/scoring/cache.py) under those revisions; then the scores (once started) and the files."""
    row = db.session.execute(_ENTRY, {"code": code, "juror": juror_id, "now": utcnow()}).first()
    if row is None:
        return None
    files, values = [], []
    for source, ref, purpose, kind, width, height, pages, text, value in db.session.execute(
            _WORK_AND_SCORES, {"entry": row.entry_id, "score_set": row.set_id}):
        if source == "file":
            files.append(WorkFile(ref, purpose, kind, width, height, pages, text))
        else:
            values.append(ScoreValueView(ref, value, text))
    score_set = None
    if row.set_id is not None:
        score_set = ScoreSetView(row.set_id, row.set_status, row.overall_comment, row.total, tuple(values))
    round_info = _round(row.round_id, row.round_revision).info(utcnow())
    return JurorEntry(
        assignment_id=row.id, code=row.code, category_title=_category_title(row.age_group, row.discipline),
        language=row.language, text=row.text, translation_text=row.translation_text,
        translation_language=row.translation_language,
        work_files=tuple(f for f in files if f.purpose == FilePurpose.WORK),
        translation_files=tuple(f for f in files if f.purpose == FilePurpose.TRANSLATION),
        rubric=_rubric(row.rubric_id, row.rubric_revision), score_set=score_set, round=round_info,
        previous_code=row.previous, next_code=row.following, progress=Progress(int(row.scored or 0), int(row.listed)))


def other_scores(assignment_id: int) -> list[dict]:
    """The other jurors' submitted scores for the same entry and round, as Juror A, B, C: one query."""
    mine = select(Assignment.round_id, Assignment.entry_id).where(Assignment.id == assignment_id).subquery()
    rows = db.session.execute(
        select(Assignment.code, ScoreSet.total, ScoreValue.criterion_id, ScoreValue.value)
        .select_from(Assignment)
        .join(mine, (mine.c.round_id == Assignment.round_id) & (mine.c.entry_id == Assignment.entry_id))
        .join(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .outerjoin(ScoreValue, ScoreValue.score_set_id == ScoreSet.id)
        .where(Assignment.id != assignment_id, ScoreSet.status == ScoreStatus.SUBMITTED)
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
        .where(Assignment.code == code, Assignment.juror_id == juror_id, Entry.status == EntryStatus.SUBMITTED,
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
        .where(Assignment.code == code, Assignment.juror_id == juror_id, Entry.status == EntryStatus.SUBMITTED)
        .options(joinedload(Assignment.round), joinedload(Assignment.score_set)))
