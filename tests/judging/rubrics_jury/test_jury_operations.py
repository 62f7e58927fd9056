"""judging/jury/operations.py: a juror's change, a drop-out's reassignment and its mails, and declared conflicts are
flushed and audited but never committed, so a rollback (a request answered with an error, core/transaction.py)
leaves nothing of them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from core.queue_model import QueuedTask
from judging.jury import operations as ops
from judging.models import Assignment, Conflict, JurorProfile


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def holders(round_id: int) -> list[int]:
    return db.session.scalars(select(Assignment.juror_id).where(Assignment.round_id == round_id)).all()


def test_a_drop_out_and_its_reassignment_are_undone_by_a_rollback(make_juror, make_entries, round1, assign, outbox):
    juror = make_juror()
    other = make_juror("other@example.org", name="Olivia Other")
    entry = make_entries(1)[0]
    round1.jurors_per_entry = 1
    assign(round1, entry, juror)
    profile = db.session.get(JurorProfile, juror.id)
    assert ops.update_juror(juror, profile, {"active": False}, None) is True
    assert holders(round1.id) == [other.id]  # the round is open: the entry went to the juror still active
    assert audited("juror.changed") == 1 and audited("round_reassigned") == 1
    assert db.session.scalar(select(func.count()).select_from(QueuedTask).where(QueuedTask.name == "mail")) == 1
    db.session.rollback()
    assert holders(round1.id) == [juror.id] and db.session.get(JurorProfile, juror.id).active is True
    assert audited("juror.changed") == 0 and audited("round_reassigned") == 0 and count(QueuedTask) == 0
    assert outbox() == []


def test_a_change_that_is_no_drop_out_reassigns_nothing(make_juror, make_entries, round1, assign):
    juror = make_juror()
    make_juror("other@example.org", name="Olivia Other")
    assign(round1, make_entries(1)[0], juror)
    profile = db.session.get(JurorProfile, juror.id)
    assert ops.update_juror(juror, profile, {"max_entries": 12}, None) is True
    assert holders(round1.id) == [juror.id] and audited("round_reassigned") == 0 and count(QueuedTask) == 0
    assert ops.update_juror(juror, profile, {"max_entries": 12}, None) is False


def test_declaring_and_deleting_a_conflict_are_undone_by_a_rollback(make_juror, make_entries):
    school = make_entries(1)[0].school_class.school
    juror = make_juror()
    profile = db.session.get(JurorProfile, juror.id)
    city = ops.declare_conflict(profile, city_id=school.city_id)
    ops.declare_conflict(profile, school_id=school.id)
    assert (city.kind, city.juror_id) == ("city", juror.id)
    assert sorted(db.session.scalars(select(Conflict.kind))) == ["city", "school"]
    assert audited("conflict_declared") == 2
    db.session.rollback()
    assert count(Conflict) == 0 and audited("conflict_declared") == 0
    city = ops.declare_conflict(profile, city_id=school.city_id)
    db.session.commit()
    ops.delete_conflict(city)
    assert count(Conflict) == 0 and audited("conflict_deleted") == 1
    db.session.rollback()
    assert count(Conflict) == 1 and audited("conflict_deleted") == 0


def test_a_conflict_is_with_one_city_or_one_school(make_juror, make_entries):
    school = make_entries(1)[0].school_class.school
    profile = db.session.get(JurorProfile, make_juror().id)
    with pytest.raises(ValueError):
        ops.declare_conflict(profile)
    with pytest.raises(ValueError):
        ops.declare_conflict(profile, city_id=school.city_id, school_id=school.id)
    assert count(Conflict) == 0
