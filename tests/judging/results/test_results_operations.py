"""judging/results/operations.py: the method, the shortlist, awards and tie orders are flushed and audited but never
committed, so a rollback (a request answered with an error, core/transaction.py) leaves nothing of them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from core.queue_model import QueuedTask
from judging.models import Award, Round, ShortlistEntry, TieOrder
from judging.results import operations, service, ties
from tests.fixtures import add_scores

KEYS = ("relevance", "originality", "expression", "impression")


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_changing_the_method_is_undone_by_a_rollback(round1):
    before = round1.method
    operations.set_method(round1, "median")
    assert db.session.scalar(select(Round.method).where(Round.id == round1.id)) == "median"
    assert audited("round.method_changed") == 1
    db.session.rollback()
    assert round1.method == before and audited("round.method_changed") == 0
    with pytest.raises(ValueError):
        operations.set_method(round1, "best_guess")


def test_the_shortlist_and_its_final_round_are_undone_by_a_rollback(scored, round1):
    entries, _jurors = scored(4)
    final, added = operations.make_shortlist(round1, {entries[0].category_id: [entries[0].id, entries[1].id]},
                                             {"rule": "top_n", "top_n": 2, "threshold": None})
    assert added == 2 and final.number == service.FINAL_ROUND_NUMBER
    assert count(ShortlistEntry) == 2 and count(Round) == 2
    assert audited("round.created") == 1 and audited("round.shortlisted") == 1
    db.session.rollback()
    assert count(ShortlistEntry) == 0 and count(Round) == 1
    assert audited("round.created") == 0 and audited("round.shortlisted") == 0


def test_giving_and_removing_an_award_are_undone_by_a_rollback(scored, round1, edition):
    entries, _jurors = scored(3)
    entry = entries[0]
    award = operations.give_award(edition.id, entry.category, entry, "special", "A fine poem.", None)
    assert award.id is not None and count(Award) == 1 and audited("award.given") == 1
    db.session.rollback()
    assert count(Award) == 0 and audited("award.given") == 0
    award = operations.give_award(edition.id, entry.category, entry, "special", "", None)
    db.session.commit()
    operations.remove_award(award)
    assert count(Award) == 0 and audited("award.removed") == 1
    db.session.rollback()
    assert count(Award) == 1 and audited("award.removed") == 0


def test_a_tie_order_and_its_recomputation_are_undone_by_a_rollback(round1, make_entries, make_juror, assign):
    entries = make_entries(3)
    juror = make_juror()
    for entry, v in zip(entries, (8, 8, 5)):
        add_scores(assign(round1, entry, juror), {k: v for k in KEYS})
    db.session.commit()
    a, b, _c = entries
    res = service.load_category(round1, a.category)
    tie = ties.open_tie(res, 1)
    with pytest.raises(ValueError):
        operations.decide_tie(round1, res, tie, [b.id, a.id], "  ", None)
    assert count(TieOrder) == 0
    decision = operations.decide_tie(round1, res, tie, [b.id, a.id], "Read again by the whole jury.", None)
    assert decision.entry_ids == [b.id, a.id] and count(TieOrder) == 1 and audited("round.tie_decided") == 1
    assert db.session.scalar(select(QueuedTask.key).where(QueuedTask.name == "results")) == \
        f"results:{round1.id}:{a.category_id}"  # the ranking is computed again after the commit
    db.session.rollback()
    assert count(TieOrder) == 0 and audited("round.tie_decided") == 0 and count(QueuedTask) == 0
