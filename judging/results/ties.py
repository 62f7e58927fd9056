"""Deciding a tie the rubric leaves: the secretariat orders the tied entries, with a reason kept in the audit log.

The order is stored as a ``TieOrder``; ``results_service.load_category`` passes every decided order of the
round and category to the ranking as its ``manual_order``. Recording an order is ``operations.decide_tie``.
"""
from __future__ import annotations

from flask_babel import gettext as _

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
