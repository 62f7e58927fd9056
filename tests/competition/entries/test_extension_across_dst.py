"""A class's extension is a wall-clock time in the edition's zone, converted like the edition's deadline
(``local_to_utc``): across a daylight-saving change, into the hour the clocks skip, and into the hour they repeat."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from core.queue_model import QueuedTask

WINTER_DEADLINE = datetime(2027, 3, 20, 17, 0, tzinfo=UTC)  # 18:00 in Paris, before the clocks go forward


@pytest.fixture()
def winter_edition(edition):
    edition.deadline_at = WINTER_DEADLINE
    db.session.commit()
    return edition


def _extend(client, school_class, until: str):
    return client.post(f"/competition/classes/{school_class.id}/extension",
                       data={"until": until, "csrf_token": client.token})


def _counts():
    return (db.session.scalar(select(func.count(AuditEvent.id))), db.session.scalar(select(func.count(QueuedTask.id))))


def test_an_extension_entered_in_summer_time_is_stored_in_utc(secretariat, winter_edition, school_class, outbox):  # noqa: F811
    response = _extend(secretariat, school_class, "2027-04-02T18:00")  # Paris is UTC+2 from 28 March
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert school_class.deadline_extended_to == datetime(2027, 4, 2, 16, 0, tzinfo=UTC)
    assert school_class.is_open(datetime(2027, 4, 2, 15, 59, tzinfo=UTC))
    assert not school_class.is_open(datetime(2027, 4, 2, 16, 1, tzinfo=UTC))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "class.deadline_extended")).one()
    assert event.details["until"] == "2027-04-02T16:00:00+00:00"
    mail = outbox()[-1].get_body(("plain",)).get_content()
    assert "2 April 2027, 18:00" in mail  # the teacher is in Paris too: their own wall-clock time
    form = secretariat.get(f"/competition/classes/{school_class.id}/extension").get_data(as_text=True)
    assert 'value="2027-04-02T18:00"' in form  # shown again as it was typed


def test_a_time_the_clocks_skip_is_refused_and_nothing_is_saved(secretariat, winter_edition, school_class, outbox):  # noqa: F811
    before = _counts()
    response = _extend(secretariat, school_class, "2027-03-28T02:30")  # 02:00 → 03:00 that night in Paris
    assert response.status_code == 400
    assert "02:30 on 2027-03-28 does not exist in Europe/Paris" in response.get_data(as_text=True)
    db.session.expire_all()
    assert school_class.deadline_extended_to is None
    assert _counts() == before and outbox() == []


def test_a_time_that_happens_twice_is_the_first_and_the_secretariat_is_told(secretariat, winter_edition, school_class):  # noqa: F811
    response = _extend(secretariat, school_class, "2027-10-31T02:30")  # 03:00 → 02:00 that night in Paris
    assert response.status_code == 302
    page = secretariat.get(response.headers["Location"]).get_data(as_text=True)
    assert "02:30 happens twice on 2027-10-31 in Europe/Paris" in page
    db.session.expire_all()
    assert school_class.deadline_extended_to == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time


def test_an_extension_before_the_editions_deadline_is_refused(secretariat, winter_edition, school_class):  # noqa: F811
    response = _extend(secretariat, school_class, "2027-03-20T18:00")  # exactly the deadline
    assert response.status_code == 400 and "after the edition" in response.get_data(as_text=True)
    db.session.expire_all()
    assert school_class.deadline_extended_to is None
