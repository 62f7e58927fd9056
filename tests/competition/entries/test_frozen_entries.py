"""Judged work is frozen: a deadline extension reopens only the entries no juror has seen (issue 9, point 6)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.models import Role
from competition.models import Entry, EntryAuthor, EntryFile, Pupil
from core.audit import AuditEvent
from core.db import db, utcnow
from tests.competition.entries.test_secretariat import client_for

POEM = "I am many things.\nI am more than one word."
FROZEN = {
    "awarded": "This entry has an award, so it can no longer be changed",
    "scored": "Jurors have scored this entry, so it can no longer be changed",
    "assigned": "Jurors have this entry to score, so it can no longer be changed",
}


@pytest.fixture()
def submitted(post, draft):
    post(f"/competition/entries/{draft.id}/work/text", {"text": POEM})
    post(f"/competition/entries/{draft.id}/consent", {"consent_judging": "y", "consent_publication": "y",
                                                       "consent_social": "y", "consent_name": "y"})
    assert post(f"/competition/entries/{draft.id}/submit").status_code == 302
    db.session.expire_all()
    assert draft.status == "submitted"
    return draft


@pytest.fixture()
def judge(app, make_user):
    """``judge(entry, state, round_status="open")``: a juror assigned ("assigned"), who has scored ("scored"),
    and an award on top ("awarded")."""
    from judging.models import Assignment, Award, Round, ScoreSet
    from judging.rubrics.defaults import ensure_rubrics

    def _judge(entry, state="awarded", round_status="open"):
        edition = entry.school_class.edition
        ensure_rubrics(edition)
        juror = make_user("juror@example.org", roles=(Role.JUROR,), name="Jonas Juror")
        round_ = Round(edition=edition, number=1, name="Round 1", jurors_per_entry=1, status=round_status)
        assignment = Assignment(round=round_, entry=entry, juror=juror)
        db.session.add_all([round_, assignment])
        db.session.flush()
        if state in ("scored", "awarded"):
            from judging.models import Rubric

            rubric = db.session.scalar(select(Rubric).where(Rubric.category_id == entry.category_id))
            db.session.add(ScoreSet(assignment=assignment, rubric_id=rubric.id, status="draft"))
        if state == "awarded":
            db.session.add(Award(edition_id=edition.id, category_id=entry.category_id, entry_id=entry.id, kind="first"))
        db.session.commit()
        return round_

    return _judge


@pytest.fixture()
def extension(app, make_user, edition):
    """``extension(school_class)``: the edition's deadline passes, then the secretariat gives the class two days."""

    def _extend(school_class):
        edition.deadline_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sofia Sec")
        secretariat = client_for(app, "sec@example.org")
        until = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        response = secretariat.post(f"/competition/classes/{school_class.id}/extension",
                                    data={"until": until, "csrf_token": secretariat.token})
        assert response.status_code == 302
        db.session.expire_all()
        assert school_class.is_open()
        return secretariat

    return _extend


def snapshot(entry_id: int) -> tuple:
    db.session.expire_all()
    entry = db.session.get(Entry, entry_id)
    return (entry.status, entry.title, entry.text, entry.translation_text, entry.category_id, entry.consent_judging,
            entry.consent_publication, [f.id for f in entry.files], [a.pupil_id for a in entry.authors])


EDITS = {
    "details page": ("get", "details", None),
    "details": ("post", "details", {"discipline": "poem", "title": "A new title", "language": "pt", "whole_class": "y"}),
    "work page": ("get", "work", None),
    "typed text": ("post", "work/text", {"text": "A brand new poem for the gallery."}),
    "work upload": ("post", "work/upload", {"file": (io.BytesIO(b"A brand new poem, uploaded.\n"), "poem.txt")}),
    "translation page": ("get", "translation", None),
    "translation": ("post", "translation", {"translation_language": "en", "translation_text": "A new translation."}),
    "consent form": ("post", "consent", {"consent_judging": "y", "consent_publication": "y"}),
    "resubmit": ("post", "submit", {}),
}


@pytest.mark.parametrize("route", EDITS)
def test_an_extension_granted_after_the_awards_reopens_no_edit_route(client, post, submitted, judge, extension,
                                                                     route):
    judge(submitted, "awarded", round_status="closed")
    extension(submitted.school_class)
    before = snapshot(submitted.id)
    method, path, data = EDITS[route]
    url = f"/competition/entries/{submitted.id}/{path}"
    response = client.get(url) if method == "get" else post(url, data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith(f"/competition/entries/{submitted.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert FROZEN["awarded"] in page
    assert snapshot(submitted.id) == before
    assert db.session.scalar(select(func.count(EntryFile.id))) == 0


def test_withdraw_and_resubmit_after_the_awards_changes_nothing_published(client, post, submitted, judge, extension):
    from judging.models import Award

    judge(submitted, "awarded", round_status="closed")
    extension(submitted.school_class)
    assert post(f"/competition/entries/{submitted.id}/withdraw").status_code == 302
    response = post(f"/competition/entries/{submitted.id}/submit", follow_redirects=True)
    assert "out of the competition, so it cannot be submitted again" in response.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.status == "withdrawn"
    # A new entry under the extension, within the class's limits: allowed, but the award stays where it was.
    created = post(f"/competition/classes/{submitted.class_id}/entries/new",
                   {"discipline": "poem", "title": "Many things, again", "language": "pt", "whole_class": "y"})
    assert created.status_code == 302
    copy = db.session.scalar(select(Entry).where(Entry.id != submitted.id))
    post(f"/competition/entries/{copy.id}/work/text", {"text": "A brand new poem for the gallery."})
    post(f"/competition/entries/{copy.id}/consent", {"consent_judging": "y", "consent_publication": "y"})
    assert post(f"/competition/entries/{copy.id}/submit").status_code == 302
    db.session.expire_all()
    assert copy.status == "submitted"
    assert [a.entry_id for a in db.session.scalars(select(Award))] == [submitted.id]


def test_the_teacher_is_told_why_in_french(client, post, submitted, judge, extension):
    judge(submitted, "scored")
    extension(submitted.school_class)
    submitted.school_class.teacher.language = "fr"
    db.session.commit()
    page = client.get(f"/competition/entries/{submitted.id}").get_data(as_text=True)
    assert "Des membres du jury ont noté cette participation" in page
    assert "ne rouvre que les participations qu’aucun membre du jury n’a vues" in page
    assert f"/competition/entries/{submitted.id}/details" not in page  # no "Change" links


@pytest.mark.parametrize("state", ["assigned", "scored", "awarded"])
def test_each_judged_state_freezes_the_entry(client, post, submitted, judge, extension, state):
    judge(submitted, state)
    extension(submitted.school_class)
    response = post(f"/competition/entries/{submitted.id}/work/text", {"text": "Changed."}, follow_redirects=True)
    assert FROZEN[state] in response.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.text == POEM and submitted.status == "submitted"


def test_an_extension_reopens_an_entry_no_juror_has_seen(client, post, submitted, judge, extension):
    judge(submitted, "assigned", round_status="setup")  # a round being prepared shows nothing to jurors
    extension(submitted.school_class)
    assert post(f"/competition/entries/{submitted.id}/work/text", {"text": "Changed."}).status_code == 302
    db.session.expire_all()
    assert submitted.text == "Changed." and submitted.status == "draft"
    page = client.get(f"/competition/entries/{submitted.id}").get_data(as_text=True)
    assert "can no longer be changed" not in page


def test_the_operations_refuse_even_when_a_view_forgets(submitted, judge, extension):
    from competition.entries import operations as ops

    judge(submitted, "awarded")
    extension(submitted.school_class)
    entry = db.session.get(Entry, submitted.id)
    for change in (lambda: ops.set_text(entry, "x"), lambda: ops.set_translation(entry, "en", "x"),
                   lambda: ops.set_consent(entry, True, True, True, True),
                   lambda: ops.set_details(entry, entry.school_class, "poem", "x", "pt", [], True)):
        with pytest.raises(ops.EntryError, match="has an award"):
            change()
        db.session.rollback()


def test_a_legacy_awarded_draft_cannot_be_resubmitted(client, post, submitted, judge, extension):
    """Before the freeze an extension let a teacher turn an awarded entry back into a draft and change it."""
    judge(submitted, "awarded")
    extension(submitted.school_class)
    submitted.status, submitted.text = "draft", "Changed after the award."
    db.session.commit()
    response = post(f"/competition/entries/{submitted.id}/submit", follow_redirects=True)
    assert FROZEN["awarded"] in response.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.status == "draft"


# Consent is never frozen ----------------------------------------------------------------------------------

def test_consent_can_be_withdrawn_after_the_deadline_and_the_awards(client, post, submitted, judge, edition):
    judge(submitted, "awarded")
    edition.deadline_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/competition/entries/{submitted.id}").get_data(as_text=True)
    assert "What you can still do" in page and f"/competition/entries/{submitted.id}/consent/withdraw" in page
    url = f"/competition/entries/{submitted.id}/consent/withdraw"
    form = client.get(url).get_data(as_text=True)
    assert 'value="publication"' in form and 'value="name"' in form and 'value="judging"' not in form
    review = post(url, {"withdraw": ["name", "social"]})
    text = review.get_data(as_text=True)
    assert review.status_code == 200 and "Check before you withdraw consent" in text
    assert "it is credited as" in text and "a class from Lisbon" in text and "will not be posted on social media" in text
    db.session.expire_all()
    assert submitted.consent_name and submitted.consent_social, "nothing changes before the confirmation"
    done = post(url, {"withdraw": ["name", "social"], "confirm": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    assert (submitted.consent_name, submitted.consent_social, submitted.consent_publication) == (False, False, True)
    assert submitted.status == "submitted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entry.consent_withdrawn"))
    assert event.details["withdrawn"] == ["social", "name"]


@pytest.mark.parametrize("data", [{}, {"withdraw": ["judging"]}, {"withdraw": ["everything"], "confirm": "yes"}])
def test_withdrawing_consent_needs_a_given_consent_ticked(client, post, submitted, edition, data):
    edition.deadline_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = post(f"/competition/entries/{submitted.id}/consent/withdraw", data)
    assert response.status_code == 400 and "Tick the consent to withdraw." in response.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.consent_judging and submitted.consent_publication and submitted.consent_name


def test_another_teacher_cannot_withdraw_consent_or_the_entry(app, submitted, make_user, sign_in):
    from tests.clients import form_post

    other = sign_in(app.test_client(), make_user("t2@example.org", name="Other Teacher"))
    for path in ("consent/withdraw", "withdraw"):
        assert other.get(f"/competition/entries/{submitted.id}/{path}").status_code == 404
        assert form_post(other, f"/competition/entries/{submitted.id}/{path}",
                         {"withdraw": ["name"], "confirm": "yes"}).status_code == 404
    db.session.expire_all()
    assert submitted.consent_name and submitted.status == "submitted"


def test_an_entry_can_be_withdrawn_after_the_deadline_after_a_confirmation(client, post, submitted, edition):
    edition.deadline_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/competition/entries/{submitted.id}/withdraw").get_data(as_text=True)
    assert "What this changes" in page and "It cannot be undone." in page
    db.session.expire_all()
    assert submitted.status == "submitted"
    assert post(f"/competition/entries/{submitted.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert submitted.status == "withdrawn"
    again = post(f"/competition/entries/{submitted.id}/withdraw", follow_redirects=True)
    assert "Only a draft or a submitted entry can be withdrawn." in again.get_data(as_text=True)


def test_unticking_a_consent_before_the_deadline_keeps_the_entry_submitted(post, submitted):
    post(f"/competition/entries/{submitted.id}/consent", {"consent_judging": "y", "consent_publication": "y"})
    db.session.expire_all()
    assert submitted.status == "submitted" and not submitted.consent_social and not submitted.consent_name
    post(f"/competition/entries/{submitted.id}/consent", {"consent_judging": "y", "consent_publication": "y",
                                                           "consent_name": "y"})
    db.session.expire_all()
    assert submitted.status == "draft", "giving a consent is checked again at submission"


def test_the_pupils_who_made_a_judged_entry_keep_their_name_and_age(client, post, submitted, judge, extension):
    """Their name and age are the awarded work's public credit: an extension must not let it change."""
    submitted.whole_class = False
    amira, jonas = submitted.school_class.pupils
    submitted.authors = [EntryAuthor(pupil=amira)]
    db.session.commit()
    judge(submitted, "awarded")
    extension(submitted.school_class)
    url = f"/competition/classes/{submitted.class_id}/pupils"

    def rows(first_amira, age_amira=12, first_jonas="Jonas"):
        return {"pupils-0-pupil_id": str(amira.id), "pupils-0-first_name": first_amira, "pupils-0-initial": "K",
                "pupils-0-age": str(age_amira), "pupils-1-pupil_id": str(jonas.id),
                "pupils-1-first_name": first_jonas, "pupils-1-initial": "", "pupils-1-age": "12"}

    for data in (rows("Amira Smith-Jones"), rows("Amira", age_amira=13)):
        response = post(url, data)
        assert response.status_code == 400
        assert "Amira K. made an entry that the jury has seen" in response.get_data(as_text=True)
    assert post(url, rows("Amira", first_jonas="Jonas Pedro")).status_code == 302, "other pupils can change"
    db.session.expire_all()
    assert [(p.first_name, p.age) for p in db.session.scalars(select(Pupil).order_by(Pupil.id))] == [
        ("Amira", 12), ("Jonas Pedro", 12)]
