"""State changes of the results: the ranking method, the shortlist into the final round, awards, the order of a
tie, publishing and unpublishing.

Each flushes and records an audit event, never commits: the request commits once (core/transaction.py), and the
recomputation it asks for (``store.schedule``) reaches the task queue with that commit. The rules an award must
follow are read in ``service`` (``award_problem``, ``award_exceptions``); a refusal to publish is a
``PublishRefused`` carrying a translated message, with nothing changed.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from competition.models import Category, Edition, Entry
from core import audit
from core.audit_actions import AuditAction
from core.db import db, utcnow
from judging.exports.dataset import collect
from judging.models import Award, Round, RoundStatus, ShortlistEntry, TieOrder
from judging.results import service, store
from judging.results.ties import order_problem


class PublishRefused(Exception):
    """The results cannot be published now; ``message`` says why, for the secretariat."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def set_method(round_: Round, method: str) -> None:
    if method not in service.METHODS:
        raise ValueError(method)
    if method != round_.method:
        audit.record(AuditAction.ROUND_METHOD_CHANGED, round_, before=round_.method, after=method)
        round_.method = method
        db.session.flush()


def make_shortlist(round_: Round, picked: dict[int, list[int]], rule: dict) -> tuple[Round, int]:
    """Create (or reuse) round 2 "Final" and add the picked entries ({category id: [entry ids]})."""
    final = service.final_round(round_.edition_id)
    if final is None:
        final = Round(edition_id=round_.edition_id, number=service.FINAL_ROUND_NUMBER, name="Final",
                      jurors_per_entry=round_.jurors_per_entry, status=RoundStatus.SETUP,
                      method=round_.method, tie_criterion_key=round_.tie_criterion_key, seed=round_.seed)
        db.session.add(final)
        db.session.flush()
        audit.record(AuditAction.ROUND_CREATED, final, number=final.number, source_round=round_.id)
    present = set(db.session.scalars(select(ShortlistEntry.entry_id).where(ShortlistEntry.round_id == final.id)))
    added = [i for ids in picked.values() for i in ids if i not in present]
    db.session.add_all(ShortlistEntry(round_id=final.id, entry_id=i) for i in added)
    db.session.flush()
    audit.record(AuditAction.ROUND_SHORTLISTED, final, source_round=round_.id, method=round_.method, added=added,
                 **{k: v for k, v in rule.items() if v is not None})
    return final, len(added)


def give_award(edition_id: int, category: Category, entry: Entry, kind: str, note: str, actor, *,
               exceptions: list[str] = (), reason: str = "") -> Award:
    """Give the award; ``exceptions`` (from ``service.award_exceptions``) need a ``reason``, recorded in the audit."""
    if exceptions and not reason.strip():
        raise ValueError("an award that breaks a rule needs a reason")
    award = Award(edition_id=edition_id, category_id=category.id, entry_id=entry.id, kind=kind, note=note,
                  decided_by_id=getattr(actor, "id", None))
    db.session.add(award)
    db.session.flush()
    extra = {"exceptions": list(exceptions), "reason": reason} if exceptions else {}
    audit.record(AuditAction.AWARD_GIVEN, award, entry=entry.reference, kind=kind, category=category.id, note=note,
                 **extra)
    return award


def remove_award(award: Award) -> None:
    audit.record(AuditAction.AWARD_REMOVED, award, entry_id=award.entry_id, kind=award.kind, category=award.category_id)
    db.session.delete(award)
    db.session.flush()


def decide_tie(round_: Round, res: service.CategoryResults, tie_rows: list, order: list[int], reason: str,
               actor) -> TieOrder:
    """Record the order of a tie the rubric leaves (``ties.open_tie``), with its reason; the stored ranking is
    computed again at once, with the order in it."""
    problem = order_problem(tie_rows, order, reason)
    if problem is not None:
        raise ValueError(problem[1])
    decision = TieOrder(round_id=round_.id, category_id=res.category.id, entry_ids=[int(i) for i in order],
                        reason=reason.strip(), decided_by_id=getattr(actor, "id", None))
    db.session.add(decision)
    db.session.flush()
    refs = {r.entry_id: r.reference for r in tie_rows}
    audit.record(AuditAction.ROUND_TIE_DECIDED, round_, category=res.category.id, rank=tie_rows[0].ranked.rank,
                 method=res.method, order=[refs[i] for i in order], reason=decision.reason)
    store.schedule(round_.id, res.category.id, delay=0)
    return decision


def publish(edition: Edition) -> None:
    """Put the results on the public page (the gallery, the entry pages and the feed). Refused while a round is
    open (a juror still scoring would see the authors' names) and when nothing has consent to publication."""
    if db.session.scalar(select(exists().where(Round.edition_id == edition.id,
                                               Round.status == RoundStatus.OPEN))):
        raise PublishRefused(_l("Close the rounds that are still open first: jurors who are still scoring would see "
                                "the authors' names on the public page."))
    if not collect(edition, ranked=False).for_publication:
        raise PublishRefused(_l("Nothing can be published yet: no winner or selected entry has consent to "
                                "publication."))
    edition.results_published_at = edition.results_published_at or utcnow()
    db.session.flush()
    audit.record(AuditAction.RESULTS_PUBLISHED, edition)


def unpublish(edition: Edition) -> None:
    """Take the results off the public page; they can be published again later."""
    edition.results_published_at = None
    db.session.flush()
    audit.record(AuditAction.RESULTS_UNPUBLISHED, edition)
