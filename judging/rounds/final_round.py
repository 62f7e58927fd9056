"""The database side of a final round that settles the top (the algorithm is judging/aggregation/final_round.py).

``plan`` reads one category of a round and proposes, within the workload the secretariat sets, which entries
need more scores and how many more jurors each, counting for each entry only the jurors of the final jury the
assignment could give it (``available_jurors``: never had it, no conflict, reads one of its languages, room under
their limit), as the second wave does. It is the first of two waves (``aggregation.final_round.waves``): two thirds of the workload now, the rest
once the final round's first scores are in, planned on both rounds' scores (judging/rounds/second_wave.py).
``create`` turns the proposal into the final round: each proposed entry is shortlisted with its number of extra
jurors (``ShortlistEntry.extra_jurors``), which the assignment then gives it (``assignment_service.build_specs``),
never with a juror who scored it before; the category's workload and the score sets spent are stored
(``FinalRoundWorkload``) for the second wave. Flush and audit, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from competition.models import Category
from core import audit
from core.audit_actions import AuditAction
from core.db import db
from judging.aggregation.final_round import Proposal, propose_final_round, waves
from judging.assignment import service as assignment_service
from judging.models import Assignment, FinalRoundWorkload, Round, ShortlistEntry
from judging.results import evidence as evidence_service
from judging.results import operations, service
from judging.results.ranking_evidence import PRIZE_PLACES

MAX_PER_ENTRY = 8  # the first wave's cap (aggregation.final_round.waves)
MAX_WORKLOAD = 10000


@dataclass
class Plan:
    round: Round
    category: Category
    workload: int
    top_n: int
    res: service.CategoryResults
    proposal: Proposal | None = None  # None: nothing scored yet
    jurors: int = 0  # jurors of the final jury
    rows: list = field(default_factory=list)  # (Row, extra jurors, probability of the top N now), in ranking order

    @property
    def round1_sets(self) -> int:
        return self.res.submitted

    @property
    def first_wave(self) -> int:
        """The score sets the first wave may spend; the rest of the workload waits for the second."""
        return waves(self.workload)[0][0]

    @property
    def second_wave(self) -> int:
        return self.workload - self.first_wave


def plan(round_: Round, category: Category, workload: int) -> Plan:
    """Propose at most ``workload`` more score sets for ``category`` (1 or more)."""
    if not 1 <= workload <= MAX_WORKLOAD:
        raise ValueError("the workload must be from 1 to MAX_WORKLOAD")
    res = service.load_category(round_, category)
    top_n = evidence_service.top_n(res)
    out = Plan(round_, category, workload, top_n, res)
    final = service.final_round(round_.edition_id)
    final_round = final or Round(edition_id=round_.edition_id, number=round_.number + 1, name="")  # not made yet
    profiles = assignment_service.round_jurors(final_round)
    out.jurors = len(profiles)
    if not res.has_scores or res.group.model is None:
        return out
    available = None  # no final jury chosen yet: the proposal assumes enough jurors (the assignment will say)
    if profiles:
        wanted = set(res.group.entries)
        entries = [e for e in assignment_service.eligible_entries(round_) if e.id in wanted]
        had = jurors_had(final_round, wanted)
        for (juror, entry) in res.group.totals:  # scored, even if the assignment is gone since
            had.setdefault(entry, set()).add(juror)
        available = available_jurors(final_round, entries, had, profiles)
    (first, cap), _second = waves(workload)
    out.proposal = propose_final_round(res.group.model, top_n, first, boundaries=PRIZE_PLACES,
                                       max_per_entry=min(cap, MAX_PER_ENTRY), available=available)
    # the same chance of the top N as the ranking page shows (posterior draws), in the ranking's order
    evidence = evidence_service.for_results(res, links=False)
    for row in res.rows:
        if row.entry_id in out.proposal.extra:
            ev = evidence.entries.get(row.entry_id)
            out.rows.append((row, out.proposal.extra[row.entry_id], ev.p_top if ev else None))
    return out


def jurors_had(final: Round, entry_ids) -> dict[int, set[int]]:
    """Entry -> every juror it has had in the edition's rounds up to ``final`` (assigned or scored)."""
    out: dict[int, set[int]] = {}
    for entry_id, juror_id in db.session.execute(
            select(Assignment.entry_id, Assignment.juror_id).join(Round, Round.id == Assignment.round_id)
            .where(Round.edition_id == final.edition_id, Round.number <= final.number,
                   Assignment.entry_id.in_(list(entry_ids)))):
        out.setdefault(entry_id, set()).add(juror_id)
    return out


def available_jurors(final: Round, entries: list, had: dict[int, set[int]], profiles=None) -> dict[int, int]:
    """Entry -> jurors of the final jury the assignment could still give it: never had it (``had``), no conflict
    (declared, or by another role), a language it is in, and room under their limit (the assignment's own specs,
    ``build_specs``). The count both waves plan with; ``final`` may be a round not made yet (the first wave's)."""
    profiles = assignment_service.round_jurors(final) if profiles is None else profiles
    entry_specs, juror_specs = assignment_service.build_specs(final, entries, profiles)
    load = {} if final.id is None else dict(db.session.execute(select(Assignment.juror_id, func.count()).where(
        Assignment.round_id == final.id).group_by(Assignment.juror_id)).all())
    free = [(j.id, {str(lang).strip().lower() for lang in j.languages})
            for j in juror_specs if j.cap > load.get(j.id, 0)]
    out = {e.id: 0 for e in entries}
    for spec in entry_specs:
        taken = had.get(spec.id, set()) | set(spec.conflicts)
        langs = {str(lang).strip().lower() for lang in spec.languages}
        out[spec.id] = sum(1 for j, juror_langs in free if j not in taken and (not langs or langs & juror_langs))
    return out


def workload_of(final: Round, category_id: int) -> FinalRoundWorkload | None:
    """The workload row of one category of the final round (None before its first wave)."""
    return db.session.scalar(select(FinalRoundWorkload).where(FinalRoundWorkload.round_id == final.id,
                                                              FinalRoundWorkload.category_id == category_id))


def create(the_plan: Plan) -> tuple[Round, int]:
    """Shortlist the proposed entries in the final round with their extra jurors; (final round, entries added)."""
    proposal = the_plan.proposal
    if proposal is None or not proposal.extra:
        raise ValueError("nothing to create: the proposal is empty")
    extra = {row.entry_id: n for row, n, _p in the_plan.rows}
    final, added = operations.make_shortlist(the_plan.round, {the_plan.category.id: list(extra)}, {
        "rule": "final_round_proposal", "workload": the_plan.workload, "top_n": the_plan.top_n})
    for item in db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == final.id,
                                                                ShortlistEntry.entry_id.in_(list(extra)))):
        item.extra_jurors = min(20, extra[item.entry_id])
    stored = workload_of(final, the_plan.category.id)
    if stored is None:  # a first wave made again replaces the category's workload and what was spent
        stored = FinalRoundWorkload(round_id=final.id, category_id=the_plan.category.id, workload=the_plan.workload)
        db.session.add(stored)
    stored.workload, stored.spent = the_plan.workload, proposal.total
    db.session.flush()
    audit.record(AuditAction.ROUND_FINAL_PROPOSAL_USED, final, source_round=the_plan.round.id,
                 category=the_plan.category.id,
                 workload=the_plan.workload, first_wave=the_plan.first_wave, top_n=the_plan.top_n,
                 score_sets=proposal.total,
                 extra={str(k): v for k, v in extra.items()},
                 expected_errors_before=round(proposal.expected_errors_before, 3),
                 expected_errors_after=round(proposal.expected_errors_after, 3))
    return final, added
