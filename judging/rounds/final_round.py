"""The database side of a final round that settles the top (the algorithm is judging/aggregation/final_round.py).

``plan`` reads one category of a round and proposes, within the workload the secretariat sets, which entries
need more scores and how many more jurors each (only jurors of the final jury who have not scored the entry
yet). It is the first of two waves (``aggregation.final_round.waves``): two thirds of the workload now, the rest
once the final round's first scores are in, planned on both rounds' scores (judging/rounds/second_wave.py).
``create`` turns the proposal into the final round: each proposed entry is shortlisted with its number of extra
jurors (``ShortlistEntry.extra_jurors``), which the assignment then gives it (``assignment_service.build_specs``),
never with a juror who scored it before. Flush and audit, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from competition.models import Category
from core import audit
from core.audit_actions import AuditAction
from core.db import db
from judging.aggregation.final_round import Proposal, propose_final_round, waves
from judging.assignment import service as assignment_service
from judging.models import Round, ShortlistEntry
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
    profiles = assignment_service.round_jurors(final or Round(edition_id=round_.edition_id, number=2, name=""))
    out.jurors = len(profiles)
    if not res.has_scores or res.group.model is None:
        return out
    final_ids = {p.user_id for p in profiles}
    scored_by: dict = {}
    for (juror, entry) in res.group.totals:
        scored_by.setdefault(entry, set()).add(juror)
    # no final jury chosen yet: the proposal assumes enough jurors (the assignment will say if there are not)
    available = {i: len(final_ids - scored_by.get(i, set())) for i in res.group.entries} if final_ids else None
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
    db.session.flush()
    audit.record(AuditAction.ROUND_FINAL_PROPOSAL_USED, final, source_round=the_plan.round.id,
                 category=the_plan.category.id,
                 workload=the_plan.workload, first_wave=the_plan.first_wave, top_n=the_plan.top_n,
                 score_sets=proposal.total,
                 extra={str(k): v for k, v in extra.items()},
                 expected_errors_before=round(proposal.expected_errors_before, 3),
                 expected_errors_after=round(proposal.expected_errors_after, 3))
    return final, added
