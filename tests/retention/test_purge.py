"""Purging an edition's personal data: when it is allowed, how it is confirmed, what goes and what stays."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import db, utcnow
from tests.clients import TEST_PASSWORD, csrf_token_of, form_post


def url(world) -> str:
    return f"/competition/admin/editions/{world.w.edition}/purge"


def snapshot() -> dict:
    """Everything a purge may change, as plain data."""
    from accounts.models import Token, User
    from competition.models import Entry, EntryFile, Pupil
    from core.audit import AuditEvent
    from core.files import get_storage
    from judging.models import Award, ScoreSet, ScoreValue

    db.session.expire_all()
    return {
        "pupils": sorted((p.id, p.first_name, p.initial, p.age) for p in db.session.scalars(select(Pupil))),
        "entries": sorted((e.id, e.title, e.text, e.translation_text, e.status, e.blindness_hits_json)
                          for e in db.session.scalars(select(Entry))),
        "files": sorted((f.id, f.entry_id, f.purpose, f.original_name, f.original_key, f.cleaned_key, f.web_key,
                         f.thumb_key) for f in db.session.scalars(select(EntryFile))),
        "stored": sorted(get_storage().keys()),
        "users": sorted((u.id, u.name, u.email, u.password_hash, u.is_active_account, u.alternative_id)
                        for u in db.session.scalars(select(User))),
        "tokens": db.session.scalar(select(func.count(Token.id))),
        "scores": (db.session.scalar(select(func.count(ScoreSet.id))),
                   db.session.scalar(select(func.count(ScoreValue.id))),
                   sorted(str(t) for t in db.session.scalars(select(ScoreSet.total)))),
        "awards": sorted((a.entry_id, a.kind) for a in db.session.scalars(select(Award))),
        "purges": db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "edition.purged")),
    }


def confirm(client, world, password=TEST_PASSWORD, tick=True):
    data = {"password": password}
    if tick:
        data["confirm"] = "y"
    return form_post(client, url(world), data)


def pupil_named(first_name):
    from competition.models import Pupil

    return db.session.scalar(select(Pupil).where(Pupil.first_name == first_name))


# When a purge is allowed ------------------------------------------------------------------------------------

def _unpublish(world, results_in_days: int):
    from competition.models import Edition

    edition = db.session.get(Edition, world.w.edition)
    edition.results_published_at = None
    edition.results_on = (utcnow() + timedelta(days=results_in_days)).date()
    db.session.commit()


def test_refused_before_the_results_day_and_publication(world, client_as):
    _unpublish(world, results_in_days=30)
    client = client_as(world, "secretariat")
    page = client.get(url(world))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "can be removed once its results are published" in html
    assert 'name="password"' not in html  # no form to fill in
    before = snapshot()
    refused = confirm(client, world)
    assert refused.status_code == 302
    assert "Nothing was removed." in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert snapshot() == before


def test_on_the_results_day_itself_it_is_still_refused(world, client_as):
    _unpublish(world, results_in_days=0)
    before = snapshot()
    confirm(client_as(world, "secretariat"), world)
    assert snapshot() == before


def test_allowed_once_the_results_day_has_passed_even_unpublished(world, client_as):
    _unpublish(world, results_in_days=-1)
    html = client_as(world, "secretariat").get(url(world)).get_data(as_text=True)
    assert 'name="password"' in html and "can be removed once" not in html


# Confirming ----------------------------------------------------------------------------------------------

def test_the_page_shows_what_goes_and_what_stays_with_counts(world, client_as):
    from competition.models import Edition
    from retention import purge as retention

    counts = retention.scope(db.session.get(Edition, world.w.edition)).counts()
    assert counts == {
        "pupils_renamed": 2, "pupils_named": 1, "pupils": 3,  # Tiago and Lina renamed; Amira credited in A1
        "teachers_anonymised": 1, "teachers_kept": 1,  # the other teacher has a class in the old edition
        "consent_forms": 1, "originals": 1, "entries_emptied": 2, "unpublished_files": 1,
        "entries": 3, "entries_published": 1, "published_files": 1, "classes": 2, "categories": 6,
        "score_sets": 2, "awards": 2,
    }
    html = client_as(world, "secretariat").get(url(world)).get_data(as_text=True)
    for text in ("What is removed", "What stays", "names: 2", "Consent forms: 1", "Original uploads: 1",
                 "Entries not published: 2", "Published entries: 1", "Credited pupils: 1", "Score sets: 2",
                 "Awards: 2", "Your password"):
        assert text in html, text


def test_a_wrong_password_changes_nothing(world, client_as):
    client = client_as(world, "secretariat")
    before = snapshot()
    response = confirm(client, world, password="not my password at all")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "The password is not right. Nothing was removed." in html
    assert snapshot() == before
    assert pupil_named("Tiago") is not None


def test_without_the_tick_nothing_changes(world, client_as):
    client = client_as(world, "secretariat")
    before = snapshot()
    response = confirm(client, world, tick=False)
    assert response.status_code == 400
    assert "Tick the box to confirm that the data may be removed." in response.get_data(as_text=True)
    assert snapshot() == before


def test_without_a_password_nothing_changes(world, client_as):
    before = snapshot()
    response = confirm(client_as(world, "secretariat"), world, password="")
    assert response.status_code == 400
    assert "Enter your password." in response.get_data(as_text=True)
    assert snapshot() == before


# The purge -----------------------------------------------------------------------------------------------------

def test_the_purge_removes_personal_data_and_keeps_the_published_results(world, client_as, app):
    from accounts.models import User
    from competition.models import Entry, EntryFile
    from core.audit import AuditEvent
    from core.files import get_storage

    w = world.w
    storage = get_storage()
    a1_work, consent = db.session.get(EntryFile, w.file_a1_work), db.session.get(EntryFile, w.file_a1_consent)
    work_keys = (a1_work.original_key, a1_work.cleaned_key, a1_work.web_key, a1_work.thumb_key)
    consent_keys = {k for k in (consent.original_key, consent.cleaned_key, consent.web_key, consent.thumb_key) if k}
    a1_title, a1_text = db.session.get(Entry, w.entry_a1).title, db.session.get(Entry, w.entry_a1).text
    assert work_keys[0] != work_keys[1]  # the original differs from its cleaned copy
    assert consent_keys.isdisjoint(work_keys)
    a1_work.hidden_text = "picture EXIF Artist: Amira K."  # what cleaning removed: a name, never published
    db.session.commit()
    before = snapshot()

    client = client_as(world, "secretariat")
    response = confirm(client, world)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    after = snapshot()
    gone = len(set(before["stored"]) - set(after["stored"]))
    assert gone > 0 and f"has been removed. Stored files deleted: {gone}." in page  # counted before the commit

    # Pupils: renamed, except the author credited by name in the published entry; ages stay.
    assert pupil_named("Tiago") is None and pupil_named("Lina") is None
    assert (pupil_named("Amira").initial, pupil_named("Amira").age) == ("K", 12)
    renamed = {p[0]: p for p in after["pupils"]}
    assert [(p[1], p[2], p[3]) for p in after["pupils"] if p[1].startswith("Pupil")] == [
        ("Pupil 2", "", 13), ("Pupil 1", "", 14)]
    assert renamed[pupil_named("Noor").id][1] == "Noor"  # the old edition is not touched

    # Consent form: row and every stored copy gone.
    assert db.session.get(EntryFile, w.file_a1_consent) is None
    assert not any(storage.exists(k) for k in consent_keys)
    # The published work: its original gone, its cleaned copies kept and served by the public gallery.
    a1_work = db.session.get(EntryFile, w.file_a1_work)
    assert not storage.exists(work_keys[0])
    assert all(storage.exists(k) for k in work_keys[1:])
    assert a1_work.original_key == a1_work.cleaned_key and a1_work.hidden_text == ""
    assert a1_work.original_name == f"{w.ref_a1}-1{a1_work.cleaned_ext}"
    a1 = db.session.get(Entry, w.entry_a1)
    assert (a1.title, a1.text) == (a1_title, a1_text)
    anonymous = client_as(world, "anonymous")
    image = anonymous.get(f"/results/{w.ref_a1}/image")
    assert image.status_code == 200 and image.get_data() == storage.open(a1_work.web_key).read()
    page = anonymous.get(f"/results/{w.ref_a1}").get_data(as_text=True)
    assert a1_title in page and "Amira" in page

    # Unpublished entries (A2: no publication consent; B1: no award): text, files and title gone.
    for entry_id, reference in ((w.entry_a2, w.ref_a2), (w.entry_b1, w.ref_b1)):
        entry = db.session.get(Entry, entry_id)
        assert (entry.title, entry.text, entry.translation_text, entry.files) == (reference, "", "", [])
        assert entry.status == "submitted" and entry.category_id  # the statistics stay
    # B1's stored file is also C1's, in the old edition: it survives.
    assert storage.exists(world.shared_key)
    assert db.session.get(Entry, world.entry_c1).files[0].original_key == world.shared_key

    # Scores and awards intact.
    assert after["scores"] == before["scores"] and after["awards"] == before["awards"]

    # Teachers: the one with no other edition anonymised; the other one (old edition) untouched.
    teacher, other = db.session.get(User, w.user_ids["teacher"]), db.session.get(User, w.user_ids["other_teacher"])
    assert (teacher.name, teacher.email, teacher.password_hash, teacher.is_active_account) == (
        "Former teacher", f"purged-{teacher.id}@invalid", None, False)
    assert teacher.alternative_id != w.users["teacher"]
    assert (other.name, other.email, other.is_active_account) == ("Tereza Novak", "teacher2@example.org", True)

    # Audited, with the counts; the entries' audit events no longer repeat file names.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.purged"))
    assert event.object_id == w.edition and event.actor_id == w.user_ids["secretariat"]
    assert event.details["pupils_renamed"] == 2 and event.details["consent_forms"] == 1
    assert event.details["teachers_anonymised"] == 1 and event.details["entries_emptied"] == 2
    names = [e.details.get("name") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "entry.file_uploaded"))]
    assert names and set(names) == {"[removed]"}


def test_a_purged_teacher_can_no_longer_log_in(world, client_as, app):
    signed_in_before = client_as(world, "teacher")
    assert signed_in_before.get("/competition/classes/").status_code == 200
    assert confirm(client_as(world, "secretariat"), world).status_code == 302

    # The session they had is over, and neither the old address nor the new one opens the account.
    assert signed_in_before.get("/competition/classes/").status_code == 302
    from accounts.models import User

    purged = db.session.get(User, world.w.user_ids["teacher"]).email
    for email in ("teacher@example.org", purged):
        client = app.test_client()
        response = form_post(client, "/account/login", {"email": email, "password": TEST_PASSWORD})
        assert response.status_code == 200, email  # the login form again, with an error
        assert "There is a problem" in response.get_data(as_text=True)
        assert client.get("/competition/classes/").headers["Location"].startswith("/account/login")


def test_a_second_purge_is_harmless(world, client_as):
    client = client_as(world, "secretariat")
    assert confirm(client, world).status_code == 302
    first = snapshot()
    html = client.get(url(world)).get_data(as_text=True)
    assert "personal data was removed on" in html
    assert confirm(client, world).status_code == 302
    second = snapshot()
    assert second["purges"] == 2
    assert {k: v for k, v in second.items() if k != "purges"} == {k: v for k, v in first.items() if k != "purges"}

    from core.audit import AuditEvent

    last = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "edition.purged")
                              .order_by(AuditEvent.id.desc())).first()
    assert all(last.details[k] == 0 for k in ("pupils_renamed", "teachers_anonymised", "consent_forms", "originals",
                                              "entries_emptied", "unpublished_files", "stored_files"))


def test_a_teacher_with_another_role_is_kept(world, client_as):
    from accounts.models import Role, User

    teacher = db.session.get(User, world.w.user_ids["teacher"])
    teacher.add_role(Role.JUROR)
    db.session.commit()
    assert confirm(client_as(world, "secretariat"), world).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.w.user_ids["teacher"]).email == "teacher@example.org"


def test_a_teacher_whose_other_edition_is_purged_is_anonymised(world, client_as):
    """The other teacher's old class no longer counts once the old edition is purged too."""
    from accounts.models import User
    from competition.models import Edition

    client = client_as(world, "secretariat")
    assert form_post(client, f"/competition/admin/editions/{world.w.old_edition}/purge",
                     {"password": TEST_PASSWORD, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.w.user_ids["other_teacher"]).email == "teacher2@example.org"  # still in E1
    assert db.session.get(Edition, world.w.old_edition) is not None
    assert confirm(client, world).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.w.user_ids["other_teacher"]).name == "Former teacher"


def test_a_failed_commit_loses_no_file(world, client_as, monkeypatch):
    client = client_as(world, "secretariat")
    before = snapshot()

    token = csrf_token_of(client)
    pupils_at_commit = []

    def fail(session):
        from competition.models import Pupil

        pupils_at_commit.extend(p.first_name for p in session.scalars(select(Pupil)))
        raise RuntimeError("the database went away")

    # On the class: the request's one commit is core/transaction.py's, on the request's own session.
    monkeypatch.setattr(Session, "commit", fail)
    try:
        response = client.post(url(world), data={"csrf_token": token, "password": TEST_PASSWORD, "confirm": "y"})
    except RuntimeError:
        response = None
    assert response is None or response.status_code == 500
    assert "Pupil 2" in pupils_at_commit  # the purge had run, and was about to be committed
    monkeypatch.undo()
    db.session.rollback()
    assert snapshot() == before  # rows and stored files all there


# Who may see the page -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["teacher", "juror", "coordinator"])
def test_others_get_404(world, client_as, role):
    client = client_as(world, role)
    before = snapshot()
    assert client.get(url(world)).status_code == 404
    assert confirm(client, world).status_code == 404
    assert snapshot() == before


def test_anonymous_visitors_go_to_the_login_page(world, client_as):
    client = client_as(world, "anonymous")
    response = client.get(url(world))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_an_unknown_edition_is_404(world, client_as):
    assert client_as(world, "secretariat").get("/competition/admin/editions/999999/purge").status_code == 404


def test_the_edition_page_links_to_the_purge(world, client_as):
    html = client_as(world, "secretariat").get(f"/competition/admin/editions/{world.w.edition}").get_data(as_text=True)
    assert url(world) in html


def test_password_attempts_are_limited(world, client_as):
    client = client_as(world, "secretariat")
    token = csrf_token_of(client)
    answers = [client.post(url(world), data={"csrf_token": token}).status_code for _ in range(21)]
    assert answers[:20] == [400] * 20 and answers[20] == 429
