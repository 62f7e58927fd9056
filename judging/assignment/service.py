"""Between the database and the pure assignment algorithm (:mod:`judging.assignment.assign`).

``run_assignment(round)`` computes the whole round (keeping scored and hand-made
assignments); ``reassign(round)``, the secretariat's batch, applies what changed
since (a juror who dropped out, conflicts declared or implied by another role)
and fills the open slots. Declaring a conflict never changes a juror's list by
itself: it waits for that batch, which then releases *all* the juror's unstarted
entries, so the list cannot tell which entries a declaration matched. Everything
flushes and never commits: the request commits once (core/transaction.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from accounts.models import User
from competition.models import Discipline, Entry, SchoolClass
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db
from judging.assignment.assign import PARTIAL, STRICT, AssignmentResult, EntrySpec, JurorSpec, assign
from judging.jury.reach import Reach, reach_of
from judging.models import (
    Assignment,
    Conflict,
    ConflictKind,
    JurorProfile,
    RemovedPair,
    Round,
    RoundStatus,
    ScoreStatus,
    ShortlistEntry,
    order_key,
)

WRITTEN = {Discipline.POEM, Discipline.ESSAY}


@dataclass
class Outcome:
    """What a run did (or would do): the algorithm's result plus the rows touched."""

    result: AssignmentResult
    entries: dict  # entry id -> Entry
    jurors: dict  # user id -> User
    created: list = field(default_factory=list)
    removed: int = 0

    @property
    def complete(self) -> bool:
        return self.result.complete


def eligible_entries(judging_round: Round) -> list[Entry]:
    """Round 1: the edition's submitted entries. A later round: its shortlist."""
    query = select(Entry).options(selectinload(Entry.category),
                                  selectinload(Entry.school_class).selectinload(SchoolClass.school))
    if judging_round.number == 1:
        query = (query.join(Entry.school_class)
                 .where(SchoolClass.edition_id == judging_round.edition_id, Entry.status == "submitted"))
    else:
        query = query.join(ShortlistEntry, ShortlistEntry.entry_id == Entry.id).where(
            ShortlistEntry.round_id == judging_round.id)
    return list(db.session.scalars(query.order_by(Entry.id)))


def round_jurors(judging_round: Round) -> list[JurorProfile]:
    """Active profiles of the round's jury: round 1 jurors, or the final jury for a later round."""
    wanted = JurorProfile.round1 if judging_round.number == 1 else JurorProfile.final_jury
    query = (select(JurorProfile).join(User, User.id == JurorProfile.user_id)
             .options(selectinload(JurorProfile.user), selectinload(JurorProfile.conflicts))
             .where(JurorProfile.active.is_(True), wanted.is_(True), User.is_active_account.is_(True))
             .order_by(JurorProfile.user_id))
    return list(db.session.scalars(query))


def entry_languages(entry: Entry) -> frozenset:
    """Languages a juror may read a written entry in; empty for an illustration (anyone can judge it)."""
    if entry.category.discipline not in WRITTEN:
        return frozenset()
    return frozenset(code for code in (entry.language, entry.translation_language) if code)


def conflicted_jurors(entry: Entry, profiles: list[JurorProfile], reach: dict[int, Reach] | None = None) -> frozenset:
    """Jurors who must not score ``entry``: what they declared, and what they see under another role (juror_reach)."""
    reach = reach_of(profiles) if reach is None else reach
    school = entry.school_class.school
    return frozenset(p.user_id for p in profiles
                     if p.user_id in reach and reach[p.user_id].covers(entry.id, entry.class_id, school.id, school.city_id))


def _other_rounds_load(judging_round: Round) -> dict[int, int]:
    """Entries each juror has in the edition's other rounds that are not closed yet."""
    rows = db.session.execute(
        select(Assignment.juror_id, func.count()).join(Round, Round.id == Assignment.round_id)
        .where(Round.edition_id == judging_round.edition_id, Round.id != judging_round.id,
               Round.status != RoundStatus.CLOSED)
        .group_by(Assignment.juror_id))
    return dict(rows.all())


def _proposed_extra(judging_round: Round) -> tuple[dict[int, int], dict[int, set[int]]]:
    """For entries a final-round proposal placed in this round: {entry: more jurors} and {entry: the jurors who
    scored it in earlier rounds}, who cannot be among the new ones (two queries; nothing for round 1)."""
    if judging_round.number == 1:
        return {}, {}
    extra = dict(db.session.execute(select(ShortlistEntry.entry_id, ShortlistEntry.extra_jurors).where(
        ShortlistEntry.round_id == judging_round.id, ShortlistEntry.extra_jurors.is_not(None))).all())
    earlier: dict[int, set[int]] = {}
    if extra:
        for entry_id, juror_id in db.session.execute(
                select(Assignment.entry_id, Assignment.juror_id).join(Round, Round.id == Assignment.round_id)
                .where(Round.edition_id == judging_round.edition_id, Round.number < judging_round.number,
                       Assignment.entry_id.in_(list(extra)))):
            earlier.setdefault(entry_id, set()).add(juror_id)
    return extra, earlier


def build_specs(judging_round: Round, entries: list[Entry], profiles: list[JurorProfile]):
    other = _other_rounds_load(judging_round)
    reach = reach_of(profiles)
    extra, earlier = _proposed_extra(judging_round)
    entry_specs = [EntrySpec(id=e.id, category=str(e.category_id), languages=entry_languages(e),
                             conflicts=conflicted_jurors(e, profiles, reach) | frozenset(earlier.get(e.id, ())),
                             k=extra.get(e.id)) for e in entries]
    juror_specs = [JurorSpec(id=p.user_id, languages=frozenset(p.language_list),
                             cap=max(0, p.max_entries - other.get(p.user_id, 0))) for p in profiles]
    return entry_specs, juror_specs


def new_juror_cap(profiles: list[JurorProfile]) -> int:
    """The limit a juror added to fix an assignment is assumed to have: the jury's usual one (the median)."""
    limits = sorted(p.max_entries for p in profiles if p.max_entries > 0)
    return limits[len(limits) // 2] if limits else JurorProfile.max_entries.default.arg


def _round_assignments(judging_round: Round) -> list[Assignment]:
    # One joined query whatever the size (selectinload runs one more per 500 assignments: the round page grew).
    return list(db.session.scalars(
        select(Assignment).options(joinedload(Assignment.score_set))
        .where(Assignment.round_id == judging_round.id).order_by(Assignment.id)))


def has_submitted_score(assignment: Assignment) -> bool:
    return assignment.score_set is not None and assignment.score_set.status == ScoreStatus.SUBMITTED


def _solve(judging_round, keep_rows, mode, avoid=()):
    """``avoid``: pairs not to propose in this run if the jury allows (released entries do not come back)."""
    entries = eligible_entries(judging_round)
    profiles = round_jurors(judging_round)
    entry_specs, juror_specs = build_specs(judging_round, entries, profiles)
    by_id = {e.id: e for e in entries}
    keep = [(a.entry_id, a.juror_id) for a in keep_rows if a.entry_id in by_id]
    forbidden = [tuple(pair) for pair in db.session.execute(
        select(RemovedPair.entry_id, RemovedPair.juror_id).where(RemovedPair.round_id == judging_round.id))]
    def run(extra):
        return assign(entry_specs, juror_specs, k=judging_round.jurors_per_entry, seed=judging_round.seed,
                      keep=keep, forbidden=forbidden + list(extra), mode=mode, new_juror_cap=new_juror_cap(profiles))

    result = run(avoid)
    if avoid and result.unassigned:
        fallback = run(())
        if len(fallback.unassigned) < len(result.unassigned):
            result = fallback
    jurors = {p.user_id: p.user for p in profiles}
    return Outcome(result=result, entries=by_id, jurors=jurors)


def preview(judging_round: Round) -> Outcome:
    """What ``run_assignment`` would save, without touching the database."""
    keep = [a for a in _round_assignments(judging_round) if a.manual or a.score_set is not None]
    return _solve(judging_round, keep, STRICT)


def run_assignment(judging_round: Round) -> Outcome:
    """Assign the whole round. Scored and hand-made assignments stay; the others are recomputed.

    If some entry cannot get its jurors, nothing is changed and ``outcome.problems`` says why.
    """
    rows = _round_assignments(judging_round)
    keep = [a for a in rows if a.manual or a.score_set is not None]
    outcome = _solve(judging_round, keep, STRICT)
    if not outcome.complete:
        return outcome
    wanted = set(outcome.result.pairs)
    existing = {}
    for a in rows:
        if a in keep:
            continue
        if (a.entry_id, a.juror_id) in wanted:
            existing[(a.entry_id, a.juror_id)] = a  # same pair: keep the row and its code
        else:
            db.session.delete(a)
            outcome.removed += 1
    kept_pairs = {(a.entry_id, a.juror_id) for a in keep} | set(existing)
    _create(judging_round, [p for p in outcome.result.pairs if p not in kept_pairs], rows, outcome)
    record(AuditAction.ROUND_ASSIGNED, judging_round, created=len(outcome.created), removed=outcome.removed,
           seed=judging_round.seed, k=judging_round.jurors_per_entry)
    return outcome


def invalid_assignments(judging_round: Round) -> list[Assignment]:
    """Assignments whose juror dropped out, or is in conflict with the entry since (declared or by a role)."""
    entries = {e.id: e for e in eligible_entries(judging_round)}
    profiles = {p.user_id: p for p in round_jurors(judging_round)}
    reach = reach_of(list(profiles.values()))
    out = []
    for a in _round_assignments(judging_round):
        entry = entries.get(a.entry_id)
        if a.juror_id not in profiles or (
                entry is not None and a.juror_id in conflicted_jurors(entry, [profiles[a.juror_id]], reach)):
            out.append(a)
    return out


def reassign(judging_round: Round) -> Outcome:
    """The secretariat's batch: apply every change since the last run and fill every open slot that can be filled.

    An assignment that became invalid goes unless it has a submitted score. Its juror also loses every other
    assignment of the round they have not started, and none of those comes back to them in this run when other
    jurors can take it: the list changes as a whole, never by exactly the entries a conflict matched. Scores
    already given are kept; entries that cannot get enough jurors stay short (see the dashboard).
    """
    invalid = {a.id for a in invalid_assignments(judging_round)}
    rows = _round_assignments(judging_round)
    touched = {a.juror_id for a in rows if a.id in invalid}
    released, removed = [], 0
    for a in rows:
        if has_submitted_score(a):
            continue
        if a.id in invalid or (a.juror_id in touched and a.score_set is None):
            released.append((a.entry_id, a.juror_id))
            db.session.delete(a)
            removed += 1
    db.session.flush()
    outcome = _fill(judging_round, avoid=released)
    outcome.removed = removed
    record(AuditAction.ROUND_REASSIGNED, judging_round, created=len(outcome.created), removed=removed)
    return outcome


def fill(judging_round: Round) -> Outcome:
    """Fill the round's open places (an entry given more jurors, e.g. the final round's second wave), keeping every
    assignment there is; the new rows are returned in ``outcome.created``. Entries that cannot get all their jurors
    stay short (``outcome.result.unassigned``)."""
    return _fill(judging_round)


def _fill(judging_round: Round, avoid=()) -> Outcome:
    """Fill the open slots, keeping every row there is (even one a pending declaration will later release)."""
    rows = _round_assignments(judging_round)
    outcome = _solve(judging_round, rows, PARTIAL, avoid=avoid)
    if judging_round.status != RoundStatus.CLOSED:
        have = {(a.entry_id, a.juror_id) for a in rows}
        _create(judging_round, [p for p in outcome.result.pairs if p not in have], rows, outcome)
    return outcome


def _create(judging_round: Round, pairs: list[tuple], rows: list[Assignment], outcome: Outcome) -> None:
    """New rows, each placed in its juror's list by the round's secret order (place); two flushes."""
    created = [Assignment(round_id=judging_round.id, entry_id=entry_id, juror_id=juror_id)
               for entry_id, juror_id in sorted(pairs)]
    db.session.add_all(created)
    outcome.created.extend(created)
    place(judging_round, created)


def place(judging_round: Round, assignments: list[Assignment]) -> None:
    """Give new assignments their place in the juror's list: a keyed hash of the id with the round's secret.

    Not a shuffle of a guessable seed: without the secret, nobody can tell ids or creation order from the list."""
    db.session.flush()  # ids
    for assignment in assignments:
        assignment.position = order_key(judging_round.order_secret, assignment.id)
    db.session.flush()


def add_manual(judging_round: Round, entry: Entry, juror: User) -> Assignment:
    assignment = Assignment(round_id=judging_round.id, entry_id=entry.id, juror_id=juror.id, manual=True)
    db.session.add(assignment)
    place(judging_round, [assignment])
    db.session.execute(delete(RemovedPair).where(  # added back by hand: no longer forbidden
        RemovedPair.round_id == judging_round.id, RemovedPair.entry_id == entry.id, RemovedPair.juror_id == juror.id))
    db.session.flush()
    record(AuditAction.ASSIGNMENT_ADDED, assignment, round_id=judging_round.id, entry_id=entry.id, juror_id=juror.id)
    return assignment


def remove(assignment: Assignment) -> None:
    """Remove one assignment (a draft score goes with it). Refused with a submitted score."""
    if has_submitted_score(assignment):
        raise ValueError("assignment has a submitted score")
    record(AuditAction.ASSIGNMENT_REMOVED, assignment, round_id=assignment.round_id, entry_id=assignment.entry_id,
           juror_id=assignment.juror_id, had_draft=assignment.score_set is not None)
    db.session.add(RemovedPair(round_id=assignment.round_id, entry_id=assignment.entry_id, juror_id=assignment.juror_id))
    db.session.delete(assignment)
    db.session.flush()


class RoundClosed(Exception):
    """The round is closed: nothing about its assignments changes any more."""


def declare_entry_conflict(assignment: Assignment, profile: JurorProfile) -> None:
    """The juror knows this work: record it and drop the assignment unless already scored. Refused on a closed round.

    Only this entry leaves the list (the juror chose it, so that tells them nothing). Its open slot is filled at
    the secretariat's next batch (reassign), with every other pending declaration; nothing here loads an entry."""
    judging_round = assignment.round
    if not judging_round.is_open:
        raise RoundClosed()
    db.session.add(Conflict(juror_id=profile.user_id, kind=ConflictKind.ENTRY, entry_id=assignment.entry_id))
    if not has_submitted_score(assignment):
        db.session.delete(assignment)
    db.session.flush()
    record(AuditAction.CONFLICT_DECLARED, object_type="conflicts", kind="entry", juror_id=profile.user_id)


def reassign_open_rounds(juror_id: int) -> list[tuple[Round, Outcome]]:
    """After a juror's change (conflict, dropped out): reassign every round of theirs not closed yet."""
    rounds = db.session.scalars(
        select(Round).join(Assignment, Assignment.round_id == Round.id)
        .where(Assignment.juror_id == juror_id, Round.status != RoundStatus.CLOSED).distinct())
    return [(judging_round, reassign(judging_round)) for judging_round in list(rounds)]

