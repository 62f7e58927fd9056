"""Mails and receipts in the recipient's language and time zone, formatted by Babel."""
from __future__ import annotations

from datetime import datetime, timezone

from core.db import db
from core.mail import mail_date
from tests.competition.entries.test_entry_journey import consent, upload
from tests.upload_builders import simple_pdf


def test_mail_dates_follow_the_recipients_language_and_time_zone(app):
    moment = datetime(2026, 12, 7, 0, 38, 43, tzinfo=timezone.utc)
    assert mail_date(moment, language="fr", timezone="Europe/Paris") == "7 décembre 2026, 01:38"
    assert mail_date(moment, language="en", timezone="Europe/Lisbon") == "7 December 2026, 00:38"
    assert mail_date(moment, language="fr", timezone="Not/AZone") == "7 décembre 2026, 00:38"  # UTC


def test_a_french_teacher_gets_a_french_receipt_with_the_time_in_their_zone(client, post, draft, outbox):
    teacher = draft.school_class.teacher
    teacher.language, teacher.timezone = "fr", "Europe/Paris"
    db.session.commit()
    assert upload(post, draft, simple_pdf(texts=(b"A poem about many things",)), "poeme.pdf").status_code == 302
    assert consent(post, draft).status_code == 302
    assert post(f"/competition/entries/{draft.id}/submit").status_code == 302
    db.session.refresh(draft)
    body = outbox()[-1].get_body(("plain",)).get_content()
    local = mail_date(draft.submitted_at, language="fr", timezone="Europe/Paris")
    assert f"Soumise le : {local}" in body  # the space before the colon is in the French string
    assert "AM" not in body and "PM" not in body and "Monday" not in body
