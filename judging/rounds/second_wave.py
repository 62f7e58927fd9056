"""The final round's second wave (the algorithm is judging/aggregation/final_round.py, ``waves``).

The final round is planned in two waves. The first (``final_round.plan`` and ``create``) spends two thirds of
the workload the secretariat set, planned on round 1's scores. Once scores of the final round come in,
``plan`` here proposes the rest of that workload with the same planner, on the model the final ranking fits
(``results.service.load_category`` of the final round: every score of both rounds for the entries it holds),
up to ``SECOND_WAVE_MAX_PER_ENTRY`` more jurors for entries already in the final round. ``add`` raises those
entries' number of jurors (``ShortlistEntry.extra_jurors``), fills the new places with the assignment service
(conflicts, languages, automatic conflicts of other roles and caps hold; new rows take the round's secret list
order), mails the jurors concerned through the queue and records it. Flush and audit, never commit.

The workload and what was spent are in ``FinalRoundWorkload`` (one row per category of the final round): the
first wave sets the workload and its score sets, each second wave adds its own. The audit trail records each
wave too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from competition.models import Category
from core import audit
from core.audit_actions import AuditAction
from core.db import db
from judging.aggregation.final_round import SECOND_WAVE_MAX_PER_ENTRY, Proposal, propose_final_round
from judging.assignment import service as assignment_service
from judging.models import Assignment, Round, RoundStatus, ShortlistEntry
from judging.results import evidence as evidence_service
from judging.results import service
from judging.results.ranking_evidence import PRIZE_PLACES
from judging.rounds.final_round import available_jurors, jurors_had, workload_of
from judging.rounds.operations import RoundRefused, state_refusal, tell_jurors

MOST_JURORS = 20  # ShortlistEntry.extra_jurors' upper bound (its CHECK constraint)
BUDGET_SPENT = _l("The workload set for this category's final round is spent: there is nothing left for a second "
                  "wave.")
NO_BUDGET = _l("This category's final round was not made from a proposal, so no workload is set for a second wave.")
NO_SCORES = _l("No score of the final round is in yet in this category: the second wave is planned on them.")
NOTHING = _l("No entry needs more scores: the places are settled, or no juror of the final jury can score the "
             "entries that are not.")


@dataclass
class Budget:
    workload: int = 0  # what the secretariat set (0: the final round was not made from a proposal)
    spent: int = 0  # extra score sets proposed and confirmed so far (the first wave and any second)

    @property
    def remaining(self) -> int:
        return max(0, self.workload - self.spent)


@dataclass
class SecondWave:
    final: Round
    category: Category
    budget: Budget
    res: service.CategoryResults | None = None
    top_n: int = 0
    proposal: Proposal | None = None  # None: not possible now (``refusal`` says why)
    refusal: object = None  # a translated message
    rows: list = field(default_factory=list)  # (Row, jurors so far, more jurors, chance of the top N), ranking order


def budget(final: Round, category: Category) -> Budget:
    """The workload of the category's last first wave, and the score sets proposed since (one query)."""
    row = workload_of(final, category.id)
    return Budget(row.workload, row.spent) if row is not None else Budget()


def _refusal(final: Round, the_budget: Budget):
    refusal = state_refusal(final, (RoundStatus.OPEN,), scoring=True)
    if refusal is not None:
        return refusal
    if not the_budget.workload:
        return NO_BUDGET
    if not the_budget.remaining:
        return BUDGET_SPENT
    return None


def _final_counts(final: Round, entry_ids) -> dict[int, int]:
    return dict(db.session.execute(select(Assignment.entry_id, func.count()).where(
        Assignment.round_id == final.id, Assignment.entry_id.in_(list(entry_ids))).group_by(Assignment.entry_id)).all())


def _wanted(final: Round, entry_ids) -> dict[int, int]:
    """Entry -> the final-round jurors it is to have now (its shortlist's extra jurors, else the round's k)."""
    stored = dict(db.session.execute(select(ShortlistEntry.entry_id, ShortlistEntry.extra_jurors).where(
        ShortlistEntry.round_id == final.id, ShortlistEntry.entry_id.in_(list(entry_ids)))).all())
    return {i: stored.get(i) or final.jurors_per_entry for i in entry_ids}


def plan(final: Round, category: Category) -> SecondWave:
    """The second wave's proposal for ``category``, or why there is none (``refusal``)."""
    out = SecondWave(final, category, budget(final, category))
    out.refusal = _refusal(final, out.budget)
    if out.refusal is not None:
        return out
    res = service.load_category(final, category)  # the final ranking's own model: both rounds' scores
    out.res = res
    if not res.submitted or not res.has_scores or res.group.model is None:
        out.refusal = NO_SCORES
        return out
    out.top_n = evidence_service.top_n(res)
    entries = list(res.group.entries)
    wanted = _wanted(final, entries)
    shortlisted = [e for e in assignment_service.eligible_entries(final) if e.id in wanted]
    able = available_jurors(final, shortlisted, jurors_had(final, entries))
    available = {i: min(MOST_JURORS - wanted[i], able.get(i, 0)) for i in entries}
    out.proposal = propose_final_round(res.group.model, out.top_n, out.budget.remaining, boundaries=PRIZE_PLACES,
                                       max_per_entry=SECOND_WAVE_MAX_PER_ENTRY, available=available)
    if not out.proposal.extra:
        out.refusal = NOTHING
        return out
    evidence = evidence_service.for_results(res, links=False)
    counts = _final_counts(final, entries)
    for row in res.rows:
        if row.entry_id in out.proposal.extra:
            ev = evidence.entries.get(row.entry_id)
            out.rows.append((row, counts.get(row.entry_id, 0), out.proposal.extra[row.entry_id],
                             ev.p_top if ev else None))
    return out


def add(wave: SecondWave) -> assignment_service.Outcome:
    """Give the proposed entries their extra jurors in the final round and tell those jurors. Refused
    (``RoundRefused``, nothing changed) when the round is closed or not open, the results are public, the
    workload is spent, or nothing is proposed."""
    final = wave.final
    refusal = _refusal(final, budget(final, wave.category)) or wave.refusal
    if refusal is not None:
        raise RoundRefused(refusal)
    extra = dict(wave.proposal.extra)
    wanted = _wanted(final, list(extra))
    counts = _final_counts(final, list(extra))
    for item in db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == final.id,
                                                                ShortlistEntry.entry_id.in_(list(extra)))):
        now = max(wanted[item.entry_id], counts.get(item.entry_id, 0))
        item.extra_jurors = min(MOST_JURORS, now + extra[item.entry_id])
    stored = workload_of(final, wave.category.id)
    stored.spent += wave.proposal.total
    db.session.flush()
    outcome = assignment_service.fill(final)
    tell_jurors(final, outcome.created)
    short = sorted(int(i) for i in outcome.result.unassigned if i in extra)
    audit.record(AuditAction.ROUND_SECOND_WAVE, final, category=wave.category.id, workload=wave.budget.workload,
                 spent_before=wave.budget.spent, score_sets=wave.proposal.total, top_n=wave.top_n,
                 extra={str(k): v for k, v in extra.items()}, created=len(outcome.created), short=short,
                 expected_errors_before=round(wave.proposal.expected_errors_before, 3),
                 expected_errors_after=round(wave.proposal.expected_errors_after, 3))
    return outcome
