"""Deciding a tie the rubric leaves: the secretariat orders the tied entries, with a reason kept in the audit log.

The order is stored as a ``TieOrder``; ``results_service.load_category`` passes every decided order of the
round and category to the ranking as its ``manual_order``. Flush and audit; the view commits.
"""
from __future__ import annotations

from flask_babel import gettext as _

from core import audit
from core.db import db
from judging.models import Round, TieOrder
from judging.results import service


def open_tie(res: service.CategoryResults, rank: int) -> list | None:
    """The rows of the unresolved tie sharing ``rank`` in the round's ranking, or None."""
    return next((group for group in res.unresolved_ties if group[0].ranked.rank == rank), None)


def order_problem(tie_rows: list, order: list[int | None], reason: str) -> tuple[str, str] | None:
    """(field, message saying how to fix it) when ``order`` is not a full order of the tie or the reason is missing."""
    wanted = {r.entry_id for r in tie_rows}
    if len(order) != len(tie_rows) or None in order or set(order) != wanted:
        return "places", _("Choose each tied entry once, one for each place.")
    if not reason.strip():
        return "reason", _("Type the reason for this order: it is recorded in the audit log.")
    return None


def decide(round_: Round, res: service.CategoryResults, tie_rows: list, order: list[int], reason: str,
           actor) -> TieOrder:
    problem = order_problem(tie_rows, order, reason)
    if problem is not None:
        raise ValueError(problem[1])
    decision = TieOrder(round_id=round_.id, category_id=res.category.id, entry_ids=[int(i) for i in order],
                        reason=reason.strip(), decided_by_id=getattr(actor, "id", None))
    db.session.add(decision)
    db.session.flush()
    refs = {r.entry_id: r.reference for r in tie_rows}
    audit.record("round.tie_decided", round_, category=res.category.id, rank=tie_rows[0].ranked.rank,
                 method=res.method, order=[refs[i] for i in order], reason=decision.reason)
    return decision
