"""A city coordinator's submissions through the web: drafts, checks, consent, submit, receipt, deadline, limits."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from campaign.models import Submission
from core.db import db, utcnow
from core.files import get_storage
from tests.campaign.submissions import ARABIC_STORY, ARABIC_TRANSLATION, QUOTE, STATEMENT, docx_bytes, gps_exif, jpeg_bytes


def _quote(post, text=QUOTE, **extra):
    return post("/campaign/new/quote", {"person_name": "Amina", "language": "en", "text": text, **extra},
                content_type="multipart/form-data")


def _only():
    db.session.expire_all()
    return db.session.scalars(db.select(Submission)).all()


def test_a_quote_card_from_draft_to_receipt(post, client, signed_in_coordinator, outbox):
    photo = (io.BytesIO(jpeg_bytes()), "amina.jpg")
    response = _quote(post, photo=photo)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    sub = _only()[0]
    assert sub.city.name == "Lisbon" and sub.status == "draft" and sub.photo.height > sub.photo.width
    page = client.get(f"/campaign/{sub.id}").get_data(as_text=True)
    assert "Consent to publication" in page and "Submit</button>" not in page
    response = post(f"/campaign/{sub.id}/consent", {"consent_publication": "y", "consent_social": "y"},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/campaign/{sub.id}").get_data(as_text=True)
    assert "Check your answers" in page and QUOTE in page
    assert post(f"/campaign/{sub.id}/submit").status_code == 302
    assert _only()[0].status == "submitted"
    receipt = outbox()[-1]
    assert receipt["To"] == "coordinator@example.org" and sub.reference in receipt["Subject"]
    assert "amina.jpg" in receipt.get_body(("plain",)).get_content()


def test_a_change_before_the_deadline_returns_it_to_draft(post, signed_in_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    sub = make_submission(edition, cities[0], status="submitted")
    response = post(f"/campaign/{sub.id}/details", {"person_name": "Amina", "language": "en",
                                                    "text": QUOTE.replace("mother", "teacher")})
    assert response.status_code == 302
    assert _only()[0].status == "draft" and "teacher" in _only()[0].text


def test_a_sixth_quote_card_is_refused(post, client, signed_in_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    for n in range(5):
        make_submission(edition, cities[0], status="draft", person_name=f"P{n}")
    response = _quote(post)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lisbon already has 5 quote cards, the most allowed" in page
    assert len(_only()) == 5
    edition.campaign_max_quotes = 6  # a setting of the edition
    db.session.commit()
    assert _quote(post).status_code == 302 and len(_only()) == 6


def test_a_quote_without_i_am_a_migrant_is_saved_with_a_suggestion(post, client, signed_in_coordinator):
    response = _quote(post, text="I am a cook. I like the sea.")
    assert response.status_code == 302
    assert _only()[0].text == "I am a cook. I like the sea."
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A suggestion: the brief&#39;s quotes end with" in page


def test_a_landscape_photo_is_refused_as_a_portrait_and_nothing_is_saved(post, signed_in_coordinator):
    response = _quote(post, photo=(io.BytesIO(jpeg_bytes(size=(800, 500))), "wide.jpg"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The photo is in landscape format (800 × 500 pixels)" in page and 'href="#photo"' in page
    assert _only() == []


def test_a_photo_s_gps_and_camera_data_are_stripped(post, signed_in_coordinator):
    data = jpeg_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload has a position
    assert _quote(post, photo=(io.BytesIO(data), "gps.jpg")).status_code == 302
    photo = _only()[0].photo
    storage = get_storage()
    for key in (photo.cleaned_key, photo.web_key, photo.thumb_key):
        stored = Image.open(io.BytesIO(storage.open(key).read()))
        exif = stored.getexif()
        assert not exif.get_ifd(0x8825) and 0x013B not in exif and 0x010F not in exif
        assert b"Fatima" not in storage.open(key).read()


def test_a_story_of_three_pages_is_refused_typed_or_uploaded(post, signed_in_coordinator):
    long_story = " ".join(["My city welcomed us."] * 375)  # 1,500 words: three pages
    response = post("/campaign/new/story", {"language": "en", "text": long_story})
    assert response.status_code == 400
    assert "The story is 1500 words, about 3.0 A4 pages" in response.get_data(as_text=True)
    response = post("/campaign/new/story", {"language": "en",
                                            "document": (io.BytesIO(docx_bytes([long_story])), "story.docx")},
                    content_type="multipart/form-data")
    assert response.status_code == 400 and "about 3.0 A4 pages" in response.get_data(as_text=True)
    assert 'href="#document"' in response.get_data(as_text=True)  # beside the upload, not the typed text
    assert _only() == []


def test_a_story_uploaded_as_docx_in_arabic_with_its_translation(post, client, signed_in_coordinator):
    response = post("/campaign/new/story", {
        "person_name": "فاطمة", "language": "ar", "translation_language": "en", "translation_text": ARABIC_TRANSLATION,
        "document": (io.BytesIO(docx_bytes([ARABIC_STORY])), "قصة.docx"),
        "photo": (io.BytesIO(jpeg_bytes()), "portrait.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    sub = _only()[0]
    assert sub.text == ARABIC_STORY and sub.file("document").kind == "docx"
    page = client.get(f"/campaign/{sub.id}").get_data(as_text=True)
    assert "words, about 0.05 A4 pages" in page or "words, about 0.04 A4 pages" in page
    assert 'dir="auto"' in page


def test_a_story_in_another_language_needs_a_translation_to_be_submitted(post, client, signed_in_coordinator):
    post("/campaign/new/story", {"language": "ar", "text": ARABIC_STORY})
    sub = _only()[0]
    post(f"/campaign/{sub.id}/consent", {"consent_publication": "y"}, content_type="multipart/form-data")
    assert "A translation into English or French" in client.get(f"/campaign/{sub.id}").get_data(as_text=True)
    post(f"/campaign/{sub.id}/submit")
    assert _only()[0].status == "draft"


def test_a_statement_in_another_language_is_refused(post, signed_in_coordinator):
    base = {"person_name": "Ana Silva", "person_title": "Mayor"}
    response = post("/campaign/new/statement", {**base, "language": "de", "text": STATEMENT})
    assert response.status_code == 400 and "Choose English or French" in response.get_data(as_text=True)
    german = ("Unsere Stadt ist stolz auf die Vielfalt, und wir sind nicht allein: die Menschen, die zu uns kommen, "
              "machen die Stadt reicher und das ist gut für uns alle.")
    response = post("/campaign/new/statement", {**base, "language": "en", "text": german})
    assert response.status_code == 400 and "Write the statement in English or French" in response.get_data(as_text=True)
    assert _only() == []
    assert post("/campaign/new/statement", {**base, "language": "en", "text": STATEMENT}).status_code == 302


def test_guiding_questions_are_shown_as_hints(client, signed_in_coordinator):
    assert "Why did you decide to migrate" in client.get("/campaign/new/story").get_data(as_text=True)
    assert "What does diversity mean for your city?" in client.get("/campaign/new/statement").get_data(as_text=True)


def test_after_the_deadline_nothing_is_created_changed_or_submitted(post, client, signed_in_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    draft = make_submission(edition, cities[0], status="draft")
    edition.campaign_deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = _quote(post)
    assert response.status_code == 302
    assert "new submissions are no longer accepted" in client.get(response.headers["Location"]).get_data(as_text=True)
    post(f"/campaign/{draft.id}/details", {"language": "en", "text": "changed"})
    post(f"/campaign/{draft.id}/submit")
    assert [(s.text, s.status) for s in _only()] == [(QUOTE, "draft")]


def test_a_submission_sent_back_can_be_changed_after_the_deadline(post, signed_in_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    sub = make_submission(edition, cities[0], status="returned", review_message="Add the ending.")
    edition.campaign_deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert post(f"/campaign/{sub.id}/details", {"language": "en", "text": QUOTE}).status_code == 302
    assert post(f"/campaign/{sub.id}/submit").status_code == 302
    assert _only()[0].status == "submitted"


def test_a_coordinator_cannot_see_or_submit_for_another_city(client, post, sign_in, other_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    sub = make_submission(edition, cities[0], status="draft")
    sign_in(client, other_coordinator)
    for url in (f"/campaign/{sub.id}", f"/campaign/{sub.id}/details", f"/campaign/{sub.id}/consent",
                f"/campaign/{sub.id}/photo.jpg", f"/campaign/{sub.id}/withdraw-consent"):
        assert client.get(url).status_code == 404, url
    for url in (f"/campaign/{sub.id}/submit", f"/campaign/{sub.id}/details", f"/campaign/{sub.id}/delete"):
        assert post(url, {"language": "en", "text": "x", "city_id": cities[1].id}).status_code == 404, url
    # A posted city is ignored: a new submission is always the coordinator's own city.
    post("/campaign/new/quote", {"language": "en", "text": QUOTE, "city_id": cities[0].id})
    assert {s.city.name for s in _only()} == {"Lisbon", "Lyon"}


def test_consent_withdrawn_keeps_the_status(post, signed_in_coordinator, edition, cities):
    from tests.campaign.submissions import make_submission

    sub = make_submission(edition, cities[0], status="approved")
    edition.campaign_deadline_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert post(f"/campaign/{sub.id}/withdraw-consent", {"withdraw": ["publication"]}).status_code == 302
    sub = _only()[0]
    assert sub.status == "approved" and not sub.consent_publication and not sub.is_public


def test_a_signed_consent_form_is_kept_for_the_secretariat_only(post, client, sign_in, signed_in_coordinator,
                                                                 secretariat, edition, cities):
    from tests.campaign.submissions import make_submission

    sub = make_submission(edition, cities[0], status="draft")
    response = post(f"/campaign/{sub.id}/consent", {"consent_publication": "y",
                                                    "consent_form": (io.BytesIO(jpeg_bytes()), "signed.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.get(f"/campaign/review/{sub.id}/consent-form").status_code == 404  # not the coordinator
    sign_in(client, secretariat)
    download = client.get(f"/campaign/review/{sub.id}/consent-form")
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_replaced_photo_leaves_the_storage_after_the_commit(post, signed_in_coordinator):
    _quote(post, photo=(io.BytesIO(jpeg_bytes(color=(10, 20, 30))), "first.jpg"))
    sub = _only()[0]
    old_keys = [sub.photo.original_key, sub.photo.cleaned_key, sub.photo.web_key, sub.photo.thumb_key]
    post(f"/campaign/{sub.id}/details", {"language": "en", "text": QUOTE,
                                         "photo": (io.BytesIO(jpeg_bytes(color=(200, 200, 30))), "second.jpg")},
         content_type="multipart/form-data")
    assert _only()[0].photo.original_name == "second.jpg"
    storage = get_storage()
    assert not any(storage.exists(key) for key in old_keys)
    post(f"/campaign/{sub.id}/delete")
    assert _only() == []


def test_the_suggestion_stays_on_the_check_page_and_does_not_stop_submission(post, client, signed_in_coordinator):
    _quote(post, text="I am a cook. I like the sea.")
    sub = _only()[0]
    post(f"/campaign/{sub.id}/consent", {"consent_publication": "y"}, content_type="multipart/form-data")
    page = client.get(f"/campaign/{sub.id}").get_data(as_text=True)
    assert "A suggestion: the brief&#39;s quotes end with" in page
    assert post(f"/campaign/{sub.id}/submit").status_code == 302 and _only()[0].status == "submitted"
