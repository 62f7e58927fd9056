"""The secretariat's entry list, disqualification, extensions and audit trail; coordinators see their city only."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.models import Role
from competition.models import City, Entry
from core.audit import AuditEvent
from core.db import db, utcnow
from tests.clients import client_for


@pytest.fixture()
def submitted(post, draft):
    post(f"/competition/entries/{draft.id}/work/text", {"text": "a poem about many things"})
    post(f"/competition/entries/{draft.id}/consent", {"consent_judging": "y"})
    post(f"/competition/entries/{draft.id}/submit")
    db.session.expire_all()
    assert draft.status == "submitted"
    return draft


def test_secretariat_lists_every_entry_with_counts_and_filters(secretariat, submitted, make_class, make_user):
    other = make_class(teacher=make_user("t2@example.org", name="Other Teacher"), city_name="Oslo", school_name="Tøyen skole", name="5A")
    db.session.add(Entry(school_class=other, category=submitted.category, title="Oslo poem", language="en"))
    db.session.commit()
    page = secretariat.get("/competition/entries/").get_data(as_text=True)
    assert "Many things" in page and "Oslo poem" in page and "2 entries match." in page
    oslo = db.session.scalar(select(City).where(City.name == "Oslo"))
    filtered = secretariat.get(f"/competition/entries/?city={oslo.id}&status=draft").get_data(as_text=True)
    assert "Oslo poem" in filtered and "Many things" not in filtered
    submitted_only = secretariat.get("/competition/entries/?status=submitted").get_data(as_text=True)
    assert "Many things" in submitted_only and "Oslo poem" not in submitted_only


@pytest.mark.parametrize("bad", ["abc", "-1", "999999", "<script>"])
def test_nonsense_filters_show_no_error(secretariat, submitted, bad):
    response = secretariat.get(f"/competition/entries/?city={bad}&category={bad}&status={bad}&flag={bad}&page={bad}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1]


def test_coordinator_sees_only_their_city_read_only(app, submitted, make_class, make_user):
    oslo_class = make_class(teacher=make_user("t2@example.org", name="Other Teacher"), city_name="Oslo", school_name="Tøyen skole", name="5A")
    oslo_entry = Entry(school_class=oslo_class, category=submitted.category, title="Oslo poem", language="en")
    db.session.add(oslo_entry)
    coordinator = make_user("coord@example.org", roles=(Role.COORDINATOR,), name="Coord")
    from competition.models import CityCoordinator

    db.session.add(CityCoordinator(user_id=coordinator.id, city_id=oslo_class.school.city_id))
    db.session.commit()
    client = client_for(app, "coord@example.org")
    page = client.get("/competition/entries/").get_data(as_text=True)
    assert "Oslo poem" in page and "Many things" not in page
    assert client.get(f"/competition/entries/{oslo_entry.id}").status_code == 200
    assert client.get(f"/competition/entries/{submitted.id}").status_code == 404
    assert client.get(f"/competition/entries/{oslo_entry.id}/work").status_code == 404
    assert client.post(f"/competition/entries/{oslo_entry.id}/disqualify", data={"reason": "x", "csrf_token": client.token}).status_code == 404


def test_disqualification_needs_a_reason_and_tells_the_teacher(app, secretariat, submitted, outbox):
    empty = secretariat.post(f"/competition/entries/{submitted.id}/disqualify", data={"reason": "  ", "csrf_token": secretariat.token})
    assert empty.status_code == 400 and "Enter the reason" in empty.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.status == "submitted"
    secretariat.post(f"/competition/entries/{submitted.id}/disqualify", data={"reason": "Copied from a book", "csrf_token": secretariat.token})
    db.session.expire_all()
    assert submitted.status == "disqualified" and submitted.disqualified_reason == "Copied from a book"
    mail = outbox()[-1]
    assert mail["To"] == "teacher@example.org" and "Copied from a book" in mail.get_body(("plain",)).get_content()
    secretariat.post(f"/competition/entries/{submitted.id}/reinstate", data={"csrf_token": secretariat.token})
    db.session.expire_all()
    assert submitted.status == "submitted"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == submitted.id)).all()
    assert {"entry.created", "entry.submitted", "entry.disqualified", "entry.reinstated"} <= set(actions)


def test_extension_reopens_one_class_and_emails_its_teacher(secretariat, school_class, edition, outbox):
    edition.deadline_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    before = secretariat.post(f"/competition/classes/{school_class.id}/extension",
                              data={"until": "2020-01-01T10:00", "csrf_token": secretariat.token})
    assert before.status_code == 400 and "after the edition" in before.get_data(as_text=True)
    until = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = secretariat.post(f"/competition/classes/{school_class.id}/extension", data={"until": until, "csrf_token": secretariat.token})
    assert response.status_code == 302
    db.session.expire_all()
    assert school_class.is_open()
    assert "More time for class 6B" == outbox()[-1]["Subject"]


def test_entry_page_shows_the_secretariat_the_history(secretariat, submitted):
    page = secretariat.get(f"/competition/entries/{submitted.id}").get_data(as_text=True)
    assert "Entry submitted" in page  # the history in words (core.audit_wording), no longer the code and "History" in page and "teacher@example.org" in page


@pytest.mark.parametrize("url", ["/competition/entries/", "/competition/admin/audit"])
def test_teachers_and_jurors_get_404_on_secretariat_pages(app, client, login, school_class, make_user, url):
    login()
    assert client.get(url).status_code == 404
    make_user("j@example.org", roles=(Role.JUROR,))
    assert client_for(app, "j@example.org").get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302


def test_the_entry_page_title_is_plain_text_for_the_secretariat(secretariat, submitted):
    import re

    page = secretariat.get(f"/competition/entries/{submitted.id}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and title.startswith("Many things")
    assert page.count('class="card secretariat-panel"') == 1


def test_the_disqualify_page_says_what_changes(secretariat, submitted):
    page = secretariat.get(f"/competition/entries/{submitted.id}/disqualify").get_data(as_text=True)
    for text in ("0 juror assignments are left out of the results", "0 submitted score sets stop counting",
                 "0 awards are withdrawn", "1 email to the teacher"):
        assert text in page
    db.session.expire_all()
    assert submitted.status == "submitted"
