"""A form sent back with its errors (400) after part of it was applied leaves nothing half-saved: the request's one
transaction (core/transaction.py) is rolled back, the words with the refused file, the consent with its form."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from campaign.models import Submission, SubmissionFile
from core.audit import AuditEvent
from core.db import db
from tests.campaign.submissions import QUOTE, jpeg_bytes, make_submission


def _state(sub_id: int):
    db.session.expire_all()
    sub = db.session.get(Submission, sub_id)
    return (sub.text, sub.person_name, sub.status, sub.consent_publication, sub.consent_social,
            db.session.scalar(select(func.count(SubmissionFile.id))),
            db.session.scalar(select(func.count(AuditEvent.id))))


def test_new_words_with_a_refused_photo_are_not_saved(post, signed_in_coordinator, edition, cities):
    sub = make_submission(edition, cities[0], status="draft", consents=())
    before = _state(sub.id)
    response = post(f"/campaign/{sub.id}/details",
                    {"person_name": "Someone Else", "language": "en", "text": QUOTE + " I changed this.",
                     "photo": (io.BytesIO(jpeg_bytes(size=(800, 500))), "wide.jpg")},  # landscape: refused
                    content_type="multipart/form-data")
    assert response.status_code == 400
    assert "landscape" in response.get_data(as_text=True)
    assert _state(sub.id) == before


def test_consent_with_a_refused_signed_form_is_not_saved(post, signed_in_coordinator, edition, cities):
    sub = make_submission(edition, cities[0], status="draft", consents=())
    before = _state(sub.id)
    assert before[3:5] == (False, False)
    response = post(f"/campaign/{sub.id}/consent",
                    {"consent_publication": "y", "consent_social": "y",
                     "consent_form": (io.BytesIO(b"this is no scan of a signed form"), "signed.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 400
    assert _state(sub.id) == before


def test_the_same_forms_sent_right_are_saved(post, signed_in_coordinator, edition, cities):
    """The two refusals above are refusals of the file only: the same requests with a good file save all."""
    sub = make_submission(edition, cities[0], status="draft", consents=())
    response = post(f"/campaign/{sub.id}/details",
                    {"person_name": "Someone Else", "language": "en", "text": QUOTE + " I changed this.",
                     "photo": (io.BytesIO(jpeg_bytes()), "tall.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    response = post(f"/campaign/{sub.id}/consent",
                    {"consent_publication": "y", "consent_social": "y",
                     "consent_form": (io.BytesIO(jpeg_bytes()), "signed.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    text, person, _status, publication, social, files, _events = _state(sub.id)
    assert (text, person, publication, social) == (QUOTE + " I changed this.", "Someone Else", True, True)
    assert files == 2
