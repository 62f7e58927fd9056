"""judging/rounds/operations.py: each change is flushed and audited but never committed, so a rollback (a request
answered with an error, core/transaction.py) leaves nothing of it: no row, no audit event, no mail."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db, utcnow
from core.queue_model import QueuedTask
from judging.models import Assignment, Round
from judging.rounds import operations as ops
from tests.judging.rounds.assignments import count_assignments


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def queued_mails() -> int:
    return db.session.scalar(select(func.count()).select_from(QueuedTask).where(QueuedTask.name == "mail"))


def test_creating_a_round_is_flushed_audited_and_undone_by_a_rollback(edition):
    created = ops.create_round(edition, 2, 7, None)
    assert created.id is not None and created.number == 1 and created.name == "Round 1"
    assert db.session.scalar(select(func.count()).select_from(Round)) == 1  # in the database, not yet committed
    assert audited("round.created") == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0
    assert audited("round.created") == 0


def test_the_next_round_takes_the_next_number(round1, edition):
    assert ops.create_round(edition, 3, 1, None).number == 2


def test_changing_a_round_is_undone_by_a_rollback(round1):
    closes = utcnow().replace(microsecond=0) + timedelta(days=3)
    ops.change_round(round1, 5, 99, closes)
    assert db.session.scalar(select(Round.jurors_per_entry).where(Round.id == round1.id)) == 5
    assert audited("round_changed") == 1
    db.session.rollback()
    assert (round1.jurors_per_entry, round1.seed, round1.closes_at) == (3, 2026, None)
    assert audited("round_changed") == 0


def test_a_closed_round_is_not_changed(round1):
    round1.status = "closed"
    db.session.commit()
    with pytest.raises(ops.RoundRefused):
        ops.change_round(round1, 5, 99, None)
    with pytest.raises(ops.RoundRefused):
        ops.assign(round1)
    assert round1.jurors_per_entry == 3 and audited("round_changed") == 0


def test_opening_mails_the_jurors_only_when_the_request_commits(round1, make_entries, jurors, assign, outbox):
    round1.status = "setup"
    db.session.commit()
    (entry,) = make_entries(1)
    juror = jurors(1)[0]
    assign(round1, entry, juror)
    ops.set_status(round1, "open")
    assert db.session.scalar(select(Round.status).where(Round.id == round1.id)) == "open"
    assert audited("round_open") == 1 and queued_mails() == 1 and outbox() == []
    db.session.rollback()
    assert round1.status == "setup" and audited("round_open") == 0 and queued_mails() == 0
    assert outbox() == []
    ops.set_status(round1, "open")
    db.session.commit()  # what the end of a successful request does
    assert [m["To"] for m in outbox()] == [juror.email]


@pytest.mark.parametrize("status, action", [("open", "open"), ("setup", "close"), ("open", "reopen"),
                                            ("closed", "close")])
def test_a_status_change_from_the_wrong_status_is_refused(round1, status, action):
    round1.status = status
    db.session.commit()
    with pytest.raises(ops.RoundRefused) as refused:
        ops.set_status(round1, action)
    assert "nothing was changed" in str(refused.value.message)
    assert round1.status == status and audited(f"round_{action}") == 0


@pytest.mark.parametrize("status, action", [("setup", "open"), ("closed", "reopen")])
def test_no_round_opens_while_the_results_are_public(round1, status, action):
    round1.status = status
    round1.edition.results_published_at = utcnow()
    db.session.commit()
    with pytest.raises(ops.RoundRefused) as refused:
        ops.set_status(round1, action)
    assert "The results are public" in str(refused.value.message)
    assert round1.status == status


def test_one_guard_says_why_for_every_change_of_a_round(round1):
    """Changing, assigning, opening and the second wave refuse a closed round with the same words (the one guard,
    ``state_refusal``); whatever lets jurors score is refused while the results are public."""
    from competition.models import Category
    from judging.rounds import second_wave

    round1.status = "closed"
    db.session.commit()
    refusals = []
    for change in (lambda: ops.change_round(round1, 3, 1, None), lambda: ops.assign(round1),
                   lambda: ops.set_status(round1, "close"),
                   lambda: second_wave.add(second_wave.plan(round1, db.session.scalars(select(Category)).first()))):
        with pytest.raises(ops.RoundRefused) as refused:
            change()
        refusals.append(str(refused.value.message))
    assert refusals == [str(ops.STATE_REFUSALS[ops.RoundStatus.CLOSED])] * 4
    assert ops.state_refusal(round1, (ops.RoundStatus.CLOSED,), scoring=True) is None
    round1.edition.results_published_at = utcnow()
    assert ops.state_refusal(round1, (ops.RoundStatus.CLOSED,), scoring=True) is ops.RESULTS_PUBLIC
    assert ops.state_refusal(round1, (ops.RoundStatus.CLOSED,)) is None  # closing, say: no juror scores
    round1.status = "setup"
    assert ops.state_refusal(round1, (ops.RoundStatus.OPEN,)) is ops.STATE_REFUSALS[ops.RoundStatus.SETUP]


def test_closing_and_reopening_are_audited_and_undone_by_a_rollback(round1):
    ops.set_status(round1, "close")
    assert audited("round_close") == 1
    db.session.rollback()
    assert round1.status == "open" and audited("round_close") == 0
    ops.set_status(round1, "close")
    db.session.commit()
    ops.set_status(round1, "reopen")
    assert audited("round_reopen") == 1
    db.session.rollback()
    assert round1.status == "closed" and audited("round_reopen") == 0


def test_assigning_an_open_round_mails_the_jurors_and_a_rollback_undoes_both(round1, make_entries, jurors, outbox):
    make_entries(2)
    jurors(3)
    outcome = ops.assign(round1)
    assert outcome.complete and count_assignments(round1.id) == 6
    assert audited("round_assigned") == 1 and queued_mails() == 3
    db.session.rollback()
    assert count_assignments(round1.id) == 0 and audited("round_assigned") == 0 and queued_mails() == 0
    assert outbox() == []


def test_an_assignment_that_cannot_be_made_changes_nothing_and_mails_nobody(round1, make_entries, jurors):
    make_entries(1)
    jurors(2)  # three jurors per entry are asked for
    outcome = ops.assign(round1)
    assert not outcome.complete
    assert count_assignments(round1.id) == 0 and queued_mails() == 0 and audited("round_assigned") == 0


def test_reassigning_is_undone_by_a_rollback(round1, make_entries, jurors, outbox):
    make_entries(2)
    jurors(3)
    outcome = ops.reassign(round1)
    assert len(outcome.created) == 6 and audited("round_reassigned") == 1 and queued_mails() == 3
    db.session.rollback()
    assert count_assignments(round1.id) == 0 and audited("round_reassigned") == 0 and queued_mails() == 0


def test_reminders_are_queued_audited_and_undone_by_a_rollback(round1, make_entries, jurors, assign, score, outbox):
    entries = make_entries(2)
    busy, done, other = jurors(3)
    assign(round1, entries[0], busy)
    assign(round1, entries[1], other)
    score(assign(round1, entries[0], done), "submitted")
    reminded = ops.send_reminders(round1)
    assert sorted(jp.juror.id for jp in reminded) == sorted([busy.id, other.id])
    assert queued_mails() == 2 and audited("reminders_sent") == 1
    db.session.rollback()
    assert queued_mails() == 0 and audited("reminders_sent") == 0 and outbox() == []
    assert [jp.juror.id for jp in ops.send_reminders(round1, {busy.id})] == [busy.id]
    assert ops.send_reminders(round1, set()) == [] and ops.send_reminders(round1, {done.id}) == []
    db.session.commit()
    assert [m["To"] for m in outbox()] == [busy.email]
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 3
