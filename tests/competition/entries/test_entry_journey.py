"""A teacher's entry, from draft to receipt, and the bad inputs on the way."""
from __future__ import annotations

import hashlib
import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.models import Role
from competition.models import Entry, EntryFile
from core.audit import AuditEvent
from core.db import db, utcnow
from tests.fixtures import jpeg_bytes
from tests.upload_builders import simple_pdf

POEM = "I am many things.\nI am a sister,\nI like football.\n\nI am more\nthan one word."


def upload(post, entry, data, name, field="file", url=None):
    return post(url or f"/competition/entries/{entry.id}/work/upload", {field: (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def consent(post, entry, **extra):
    data = {"consent_judging": "y", **extra}
    response = post(f"/competition/entries/{entry.id}/consent", data)
    db.session.expire_all()  # the request committed through its own session
    return response


def test_typed_poem_keeps_line_breaks_and_stanzas(client, post, draft):
    response = post(f"/competition/entries/{draft.id}/work/text", {"text": POEM.replace("\n", "\r\n")})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.text == POEM
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "I am a sister,\nI like football.\n\nI am more" in page
    assert 'class="text-work-view"' in page


def test_submit_sends_receipt_with_each_files_name_size_and_sha256(client, post, draft, outbox):
    draft.category = next(c for c in draft.school_class.edition.categories if c.age_group == "11-18" and c.discipline == "poem")
    data = simple_pdf(texts=(b"A poem about many things",))
    assert upload(post, draft, data, "my poem.pdf").status_code == 302
    assert consent(post, draft).status_code == 302
    response = post(f"/competition/entries/{draft.id}/submit")
    assert response.status_code == 302 and response.location.endswith(f"/competition/entries/{draft.id}/receipt")
    db.session.refresh(draft)
    assert draft.status == "submitted" and draft.submitted_at is not None
    receipt = client.get(response.location).get_data(as_text=True)
    digest = hashlib.sha256(data).hexdigest()
    assert draft.reference in receipt and digest in receipt and "my poem.pdf" in receipt
    mail = outbox()[-1]
    body = mail.get_body(("plain",)).get_content()
    assert draft.reference in mail["Subject"]
    assert f"my poem.pdf, {len(data)}, {digest}" in body


def test_illustration_upload_serves_cleaned_copy_and_thumbnail_safely(client, post, login, school_class):
    login()
    post(f"/competition/classes/{school_class.id}/entries/new",
         {"discipline": "illustration", "title": "Faces", "language": "pt", "whole_class": "y"})
    entry = db.session.scalars(select(Entry)).one()
    assert upload(post, entry, jpeg_bytes(), "drawing.JPG").status_code == 302
    stored = db.session.scalars(select(EntryFile)).one()
    assert stored.kind == "image" and stored.thumb_key and stored.web_key
    for variant in ("thumb", "web", "cleaned"):
        response = client.get(f"/competition/entries/{entry.id}/files/{stored.id}/{variant}")
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        assert response.data[:3] == b"\xff\xd8\xff"
    assert client.get(f"/competition/entries/{entry.id}/files/{stored.id}/original").status_code == 404


@pytest.mark.parametrize("name,data", [
    ("picture.png", b"<html><script>alert(1)</script></html>"),
    ("empty.png", b""),
    ("one.png", b"\x89"),
])
def test_bad_upload_is_refused_with_a_message_and_nothing_saved(post, login, school_class, name, data):
    login()
    post(f"/competition/classes/{school_class.id}/entries/new",
         {"discipline": "illustration", "title": "Faces", "language": "pt", "whole_class": "y"})
    entry = db.session.scalars(select(Entry)).one()
    response = upload(post, entry, data, name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#file"' in page
    assert db.session.scalar(select(func.count(EntryFile.id))) == 0


def test_upload_of_50_mb_gets_the_413_page(post, draft):
    response = upload(post, draft, b"0" * (50 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_names_found_by_the_blindness_check_are_shown_in_context_and_flag_the_entry(client, post, draft):
    post(f"/competition/entries/{draft.id}/work/text", {"text": "Line one\nmy friend Amira K. from Lisbon\nend"})
    consent(post, draft)
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "possible names found" in page
    assert "line 2" in page and "Amira K." in page
    refused = post(f"/competition/entries/{draft.id}/submit")
    assert refused.status_code == 302
    db.session.refresh(draft)
    assert draft.status == "draft"
    post(f"/competition/entries/{draft.id}/submit", {"confirm_names": "y"})
    db.session.refresh(draft)
    assert draft.status == "submitted" and draft.blindness_flag
    assert {h["kind"] for h in draft.blindness_hits} >= {"pupil", "city"}


def test_fixing_the_names_lets_the_entry_go_without_a_flag(post, draft):
    post(f"/competition/entries/{draft.id}/work/text", {"text": "my friend Amira"})
    post(f"/competition/entries/{draft.id}/work/text", {"text": "my friend"})
    consent(post, draft)
    post(f"/competition/entries/{draft.id}/submit")
    db.session.refresh(draft)
    assert draft.status == "submitted" and not draft.blindness_flag


def test_submission_needs_the_work_and_judging_consent(post, draft):
    post(f"/competition/entries/{draft.id}/submit")
    db.session.refresh(draft)
    assert draft.status == "draft"


@pytest.mark.parametrize("offset,allowed", [(timedelta(seconds=-1), True), (timedelta(0), True), (timedelta(seconds=1), False)])
def test_deadline_is_enforced_at_the_moment_of_submission(post, draft, offset, allowed):
    from competition.entries import operations as ops

    post(f"/competition/entries/{draft.id}/work/text", {"text": "a poem"})
    consent(post, draft)
    deadline = draft.school_class.deadline_at
    if allowed:
        ops.submit(draft, False, now=deadline + offset)
        assert draft.status == "submitted"
    else:
        with pytest.raises(ops.EntryError):
            ops.submit(draft, False, now=deadline + offset)


def test_deadline_across_a_daylight_saving_change(post, draft, edition):
    """23:59 local on 25 October 2026 (the night summer time ends in Paris) is 22:59 UTC, not 21:59."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from competition.entries import operations as ops

    post(f"/competition/entries/{draft.id}/work/text", {"text": "a poem"})
    consent(post, draft)
    edition.deadline_at = datetime(2026, 10, 25, 23, 59, tzinfo=ZoneInfo("Europe/Paris"))
    db.session.commit()
    db.session.refresh(edition)
    assert edition.deadline_at.hour == 22 and edition.deadline_at.minute == 59
    with pytest.raises(ops.EntryError):
        ops.submit(draft, False, now=edition.deadline_at + timedelta(seconds=1))
    ops.submit(draft, False, now=edition.deadline_at - timedelta(minutes=59))
    assert draft.status == "submitted"


def test_edits_after_the_deadline_change_nothing(client, post, draft, edition):
    edition.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = post(f"/competition/entries/{draft.id}/work/text", {"text": "too late"}, follow_redirects=True)
    assert "deadline has passed" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.text == ""


def test_a_class_extension_reopens_submission(post, draft, edition):
    from competition.entries import operations as ops

    edition.deadline_at = utcnow() - timedelta(hours=1)
    draft.school_class.deadline_extended_to = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert post(f"/competition/entries/{draft.id}/work/text", {"text": "in time"}).status_code == 302
    consent(post, draft)
    ops.submit(draft, False)
    assert draft.status == "submitted"


def test_two_parallel_submissions_of_one_draft_submit_it_once(app, client, post, draft, outbox):
    post(f"/competition/entries/{draft.id}/work/text", {"text": "a poem"})
    consent(post, draft)
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    cookie = client.get_cookie("session").value
    url, reference = f"/competition/entries/{draft.id}/submit", draft.reference
    results = []

    def submit():
        other = app.test_client()
        other.set_cookie("session", cookie)
        results.append(other.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302]
    db.session.expire_all()
    submitted = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "entry.submitted"))
    assert submitted == 1
    assert db.session.scalar(select(func.count(Entry.id))) == 1
    assert len([m for m in outbox() if reference in m["Subject"]]) == 1


def test_an_entry_beyond_the_class_limit_is_refused(post, draft):
    for title in ("Second", "Third"):
        response = post(f"/competition/classes/{draft.class_id}/entries/new",
                        {"discipline": "poem", "title": title, "language": "pt", "whole_class": "y"})
    assert response.status_code == 400
    assert "most allowed" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Entry.id))) == 2


def test_html_in_a_title_is_escaped(client, post, draft):
    post(f"/competition/entries/{draft.id}/details",
         {"discipline": "poem", "title": "<script>alert(1)</script>", "language": "pt", "whole_class": "y"})
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_teacher_and_a_juror_get_404_for_the_entry_and_its_files(app, client, post, login, draft, make_user):
    upload(post, draft, simple_pdf(), "poem.pdf")
    stored = db.session.scalars(select(EntryFile)).one()
    urls = [f"/competition/entries/{draft.id}", f"/competition/entries/{draft.id}/work",
            f"/competition/entries/{draft.id}/files/{stored.id}/cleaned", f"/competition/entries/{draft.id}/receipt"]
    for email, roles in (("other@example.org", (Role.TEACHER,)), ("juror@example.org", (Role.JUROR,))):
        make_user(email, roles=roles)
        other = app.test_client()
        token = other.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        assert other.post("/account/login", data={"email": email, "password": "correct horse battery staple", "csrf_token": token}).status_code == 302
        for url in urls:
            assert other.get(url).status_code == 404, (email, url)


def test_secretariat_can_download_the_original(app, post, draft, make_user):
    data = simple_pdf()
    upload(post, draft, data, "poem.pdf")
    stored = db.session.scalars(select(EntryFile)).one()
    make_user("sec@example.org", roles=(Role.SECRETARIAT,))
    other = app.test_client()
    token = other.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    other.post("/account/login", data={"email": "sec@example.org", "password": "correct horse battery staple", "csrf_token": token})
    response = other.get(f"/competition/entries/{draft.id}/files/{stored.id}/original")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_withdrawing_an_entry(post, draft):
    post(f"/competition/entries/{draft.id}/withdraw")
    db.session.refresh(draft)
    assert draft.status == "withdrawn"


def test_dashboard_counts_down_to_the_class_extension_without_javascript(client, login, school_class, edition):
    login()
    edition.deadline_at = utcnow() - timedelta(hours=1)
    school_class.deadline_extended_to = utcnow() + timedelta(days=2, hours=3, minutes=30)
    db.session.commit()
    page = client.get("/competition/classes/").get_data(as_text=True)
    assert "2 days, 3 hours left" in page
    # The countdown says whose deadline it counts down to.
    assert f"Your class {school_class.name}: extended to " in page
    school_class.deadline_extended_to = None
    db.session.commit()
    page = client.get("/competition/classes/").get_data(as_text=True)
    assert "Submissions are closed" in page and "extended to" not in page
    assert "deadline: " in page.split('countdown-for')[1][:80]


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("/abs/path/poem.pdf", "poem.pdf"),
    ("evil\u202egpj.pdf", "evilgpj.pdf"),
    ("a" * 1000 + ".pdf", None),
    ("\U0001F600\U0001F389.pdf", None),
    ("tab\there.pdf", None),
])
def test_hostile_file_names_are_stored_and_shown_safely(client, post, draft, outbox, name, expected):
    data = simple_pdf()
    assert upload(post, draft, data, name).status_code == 302
    stored = db.session.scalars(select(EntryFile)).one()
    shown = stored.original_name
    assert "/" not in shown and "\\" not in shown and "\r" not in shown and "\n" not in shown
    assert "\u202e" not in shown and "\t" not in shown and len(shown) <= 120 and shown.strip()
    if expected:
        assert shown == expected
    consent(post, draft)
    post(f"/competition/entries/{draft.id}/submit")
    body = outbox()[-1].get_body(("plain",)).get_content()
    assert shown in body and "Bcc:" not in outbox()[-1].keys()
    response = client.get(f"/competition/entries/{draft.id}/files/{stored.id}/cleaned")
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition.split("filename*=")[0]


def test_a_file_name_with_crlf_that_breaks_the_form_encoding_saves_nothing(post, draft):
    """A raw CR/LF in the multipart header ends the header early: the request is refused, nothing is kept."""
    response = upload(post, draft, simple_pdf(), "line\r\nBcc: x@example.org.pdf")
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True) or "not right" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EntryFile.id))) == 0
