"""Between the database and the pure assignment algorithm (:mod:`judging.assignment`).

``run_assignment(round)`` computes the whole round (keeping scored and hand-made
assignments); ``reassign(round)`` only removes what has become invalid (a juror
who dropped out or declared a conflict) and fills the open slots. Both flush and
never commit: the view commits once.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from accounts.models import User
from competition.models import Discipline, Entry, SchoolClass
from core.audit import record
from core.db import db

from .assignment import PARTIAL, STRICT, AssignmentResult, EntrySpec, JurorSpec, assign
from .models import Assignment, Conflict, ConflictKind, JurorProfile, RemovedPair, Round, RoundStatus, ScoreStatus, ShortlistEntry

WRITTEN = {Discipline.POEM.value, Discipline.ESSAY.value}


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


def conflicted_jurors(entry: Entry, profiles: list[JurorProfile]) -> frozenset:
    school = entry.school_class.school
    out = set()
    for profile in profiles:
        if profile.user.city_id is not None and profile.user.city_id == school.city_id:
            out.add(profile.user_id)
            continue
        for conflict in profile.conflicts:
            if ((conflict.kind == ConflictKind.SCHOOL and conflict.school_id == school.id)
                    or (conflict.kind == ConflictKind.CITY and conflict.city_id == school.city_id)
                    or (conflict.kind == ConflictKind.ENTRY and conflict.entry_id == entry.id)):
                out.add(profile.user_id)
                break
    return frozenset(out)


def _other_rounds_load(judging_round: Round) -> dict[int, int]:
    """Entries each juror has in the edition's other rounds that are not closed yet."""
    rows = db.session.execute(
        select(Assignment.juror_id, func.count()).join(Round, Round.id == Assignment.round_id)
        .where(Round.edition_id == judging_round.edition_id, Round.id != judging_round.id,
               Round.status != RoundStatus.CLOSED.value)
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
    extra, earlier = _proposed_extra(judging_round)
    entry_specs = [EntrySpec(id=e.id, category=str(e.category_id), languages=entry_languages(e),
                             conflicts=conflicted_jurors(e, profiles) | frozenset(earlier.get(e.id, ())),
                             k=extra.get(e.id)) for e in entries]
    juror_specs = [JurorSpec(id=p.user_id, languages=frozenset(p.language_list),
                             cap=max(0, p.max_entries - other.get(p.user_id, 0))) for p in profiles]
    return entry_specs, juror_specs


def new_juror_cap(profiles: list[JurorProfile]) -> int:
    """The limit a juror added to fix an assignment is assumed to have: the jury's usual one (the median)."""
    limits = sorted(p.max_entries for p in profiles if p.max_entries > 0)
    return limits[len(limits) // 2] if limits else JurorProfile.max_entries.default.arg


def _round_assignments(judging_round: Round) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).options(selectinload(Assignment.score_set))
        .where(Assignment.round_id == judging_round.id).order_by(Assignment.id)))


def has_submitted_score(assignment: Assignment) -> bool:
    return assignment.score_set is not None and assignment.score_set.status == ScoreStatus.SUBMITTED.value


def _solve(judging_round, keep_rows, mode):
    entries = eligible_entries(judging_round)
    profiles = round_jurors(judging_round)
    entry_specs, juror_specs = build_specs(judging_round, entries, profiles)
    by_id = {e.id: e for e in entries}
    keep = [(a.entry_id, a.juror_id) for a in keep_rows if a.entry_id in by_id]
    forbidden = [tuple(pair) for pair in db.session.execute(
        select(RemovedPair.entry_id, RemovedPair.juror_id).where(RemovedPair.round_id == judging_round.id))]
    result = assign(entry_specs, juror_specs, k=judging_round.jurors_per_entry, seed=judging_round.seed,
                    keep=keep, forbidden=forbidden, mode=mode, new_juror_cap=new_juror_cap(profiles))
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
    record("round_assigned", judging_round, created=len(outcome.created), removed=outcome.removed,
           seed=judging_round.seed, k=judging_round.jurors_per_entry)
    return outcome


def invalid_assignments(judging_round: Round) -> list[Assignment]:
    """Assignments whose juror dropped out, or has declared a conflict with the entry since."""
    entries = {e.id: e for e in eligible_entries(judging_round)}
    profiles = {p.user_id: p for p in round_jurors(judging_round)}
    out = []
    for a in _round_assignments(judging_round):
        entry = entries.get(a.entry_id)
        if a.juror_id not in profiles or (entry is not None and a.juror_id in conflicted_jurors(entry, [profiles[a.juror_id]])):
            out.append(a)
    return out


def reassign(judging_round: Round) -> Outcome:
    """Remove the invalid assignments without a submitted score and fill every open slot that can be filled.

    Scores already given are kept; entries that cannot get enough jurors stay short (see the dashboard).
    """
    removed = 0
    for a in invalid_assignments(judging_round):
        if not has_submitted_score(a):
            db.session.delete(a)
            removed += 1
    db.session.flush()
    rows = _round_assignments(judging_round)
    outcome = _solve(judging_round, rows, PARTIAL)
    outcome.removed = removed
    if judging_round.status != RoundStatus.CLOSED.value:
        have = {(a.entry_id, a.juror_id) for a in rows}
        _create(judging_round, [p for p in outcome.result.pairs if p not in have], rows, outcome)
    record("round_reassigned", judging_round, created=len(outcome.created), removed=removed)
    return outcome


def _create(judging_round: Round, pairs: list[tuple], rows: list[Assignment], outcome: Outcome) -> None:
    """New rows, placed after each juror's existing ones in a seeded shuffled order; one flush."""
    last = {}
    for a in rows:
        if a in db.session and a not in db.session.deleted:
            last[a.juror_id] = max(last.get(a.juror_id, 0), a.position)
    by_juror: dict[int, list[int]] = {}
    for entry_id, juror_id in sorted(pairs):
        by_juror.setdefault(juror_id, []).append(entry_id)
    for juror_id, entry_ids in sorted(by_juror.items()):
        random.Random(f"{judging_round.seed}|{judging_round.id}|{juror_id}").shuffle(entry_ids)
        for i, entry_id in enumerate(entry_ids, start=last.get(juror_id, 0) + 1):
            assignment = Assignment(round_id=judging_round.id, entry_id=entry_id, juror_id=juror_id, position=i)
            db.session.add(assignment)
            outcome.created.append(assignment)
    db.session.flush()


def add_manual(judging_round: Round, entry: Entry, juror: User) -> Assignment:
    last = db.session.scalar(select(func.max(Assignment.position)).where(
        Assignment.round_id == judging_round.id, Assignment.juror_id == juror.id)) or 0
    assignment = Assignment(round_id=judging_round.id, entry_id=entry.id, juror_id=juror.id, manual=True,
                            position=last + 1)
    db.session.add(assignment)
    db.session.execute(delete(RemovedPair).where(  # added back by hand: no longer forbidden
        RemovedPair.round_id == judging_round.id, RemovedPair.entry_id == entry.id, RemovedPair.juror_id == juror.id))
    db.session.flush()
    record("assignment_added", assignment, round_id=judging_round.id, entry_id=entry.id, juror_id=juror.id)
    return assignment


def remove(assignment: Assignment) -> None:
    """Remove one assignment (a draft score goes with it). Refused with a submitted score."""
    if has_submitted_score(assignment):
        raise ValueError("assignment has a submitted score")
    record("assignment_removed", assignment, round_id=assignment.round_id, entry_id=assignment.entry_id,
           juror_id=assignment.juror_id, had_draft=assignment.score_set is not None)
    db.session.add(RemovedPair(round_id=assignment.round_id, entry_id=assignment.entry_id, juror_id=assignment.juror_id))
    db.session.delete(assignment)
    db.session.flush()


def declare_entry_conflict(assignment: Assignment, profile: JurorProfile) -> Outcome:
    """The juror knows this work: record it, drop the assignment unless already scored, refill the slot."""
    db.session.add(Conflict(juror_id=profile.user_id, kind=ConflictKind.ENTRY.value, entry_id=assignment.entry_id))
    judging_round = assignment.round
    if not has_submitted_score(assignment):
        db.session.delete(assignment)
    db.session.flush()
    record("conflict_declared", object_type="conflicts", kind="entry", juror_id=profile.user_id)
    return reassign(judging_round)


def reassign_open_rounds(juror_id: int) -> list[tuple[Round, Outcome]]:
    """After a juror's change (conflict, dropped out): reassign every round of theirs not closed yet."""
    rounds = db.session.scalars(
        select(Round).join(Assignment, Assignment.round_id == Round.id)
        .where(Assignment.juror_id == juror_id, Round.status != RoundStatus.CLOSED.value).distinct())
    return [(judging_round, reassign(judging_round)) for judging_round in list(rounds)]

