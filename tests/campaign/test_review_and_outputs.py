"""The secretariat's review, the cards, captions, plan and calendar, and the public page; consent at once."""
from __future__ import annotations

import io

from icalendar import Calendar
from PIL import Image

from campaign.models import Submission
from core.db import db
from tests.campaign.submissions import ARABIC_STORY, ARABIC_TRANSLATION, QUOTE, STATEMENT, jpeg_bytes, make_submission


def test_the_list_filters_by_city_kind_and_status(client, sign_in, secretariat, edition, cities):
    make_submission(edition, cities[0], "quote", status="submitted", person_name="Amina")
    make_submission(edition, cities[1], "statement", text=STATEMENT, status="approved", person_name="Grégory Doucet",
                    person_title="Maire de Lyon")
    make_submission(edition, cities[0], "quote", status="draft", person_name="Hidden Draft")
    sign_in(client, secretariat)
    page = client.get("/campaign/review").get_data(as_text=True)
    assert "Amina" in page and "Grégory Doucet" in page and "Hidden Draft" not in page
    page = client.get(f"/campaign/review?city={cities[1].id}").get_data(as_text=True)
    assert "Amina" not in page and "Grégory Doucet" in page
    page = client.get("/campaign/review?kind=quote&status=draft").get_data(as_text=True)
    assert "Hidden Draft" in page and "Amina" not in page


def test_the_secretariat_sends_a_submission_back_with_a_message(client, post, sign_in, secretariat, coordinator,
                                                                  edition, cities, outbox):
    sub = make_submission(edition, cities[0], status="submitted", created_by_id=coordinator.id)
    sign_in(client, secretariat)
    response = post(f"/campaign/review/{sub.id}/return", {"message": ""})
    assert response.status_code == 400 and "Write what the city should change." in response.get_data(as_text=True)
    assert post(f"/campaign/review/{sub.id}/return", {"message": "Please add a portrait photo."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).status == "returned"
    mail = outbox()[-1]
    assert mail["To"] == "coordinator@example.org" and "Please add a portrait photo." in mail.get_body(("plain",)).get_content()


def test_cards_in_three_sizes_and_captions_in_english_and_french(client, post, sign_in, secretariat, edition, cities):
    sub = make_submission(edition, cities[0], photo=jpeg_bytes())
    sign_in(client, secretariat)
    for size, shape in (("portrait", (1080, 1350)), ("square", (1080, 1080)), ("landscape", (1200, 675))):
        for language in ("en", "fr"):
            response = client.get(f"/campaign/review/{sub.id}/card/{size}-{language}.png")
            assert response.status_code == 200 and response.mimetype == "image/png"
            assert Image.open(io.BytesIO(response.data)).size == shape
    page = client.get(f"/campaign/review/{sub.id}").get_data(as_text=True)
    assert "#ICCities #Morethanmigrants #MigrantsDay" in page
    assert "Amina from Lisbon" in page and "Amina, de Lisbon" in page


def test_the_secretariat_adjusts_the_crop_and_the_card_changes(client, post, sign_in, secretariat, edition, cities):
    sub = make_submission(edition, cities[0], photo=jpeg_bytes(size=(600, 1200)))
    sign_in(client, secretariat)
    before = client.get(f"/campaign/review/{sub.id}/card/portrait-en.png").data
    assert post(f"/campaign/review/{sub.id}/crop", {"crop_x": "50", "crop_y": "90", "crop_zoom": "2"}).status_code == 302
    after = client.get(f"/campaign/review/{sub.id}/card/portrait-en.png").data
    assert before != after
    assert post(f"/campaign/review/{sub.id}/crop", {"crop_x": "50", "crop_y": "50", "crop_zoom": "9"}).status_code == 400


def test_the_calendar_holds_every_post_from_the_launch(client, sign_in, secretariat, edition, cities):
    make_submission(edition, cities[0], "quote")
    make_submission(edition, cities[0], "story", text=ARABIC_STORY, language="ar", translation_language="en",
                    translation_text=ARABIC_TRANSLATION)
    make_submission(edition, cities[1], "statement", text=STATEMENT, person_name="Grégory Doucet", person_title="Maire")
    make_submission(edition, cities[1], "quote", consents=("publication",))  # no social media: not planned
    sign_in(client, secretariat)
    response = client.get("/campaign/review/schedule.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    starts = sorted((e.decoded("dtstart"), str(e["summary"])) for e in events)
    assert starts[0][1].startswith("Campaign launch") and starts[0][0].date().isoformat() == "2026-12-01"
    statements = [when for when, summary in starts if summary.startswith("Statement")]
    assert [w.date().isoformat() for w in statements] == ["2026-12-17"]
    assert any(s.startswith("School competition results") and w.date().isoformat() == "2026-12-06" for w, s in starts)
    assert sum(s.startswith("Quote card") for _w, s in starts) == 1


def test_the_public_page_shows_approved_work_with_consent_in_both_languages(client, edition, cities):
    make_submission(edition, cities[0], "quote", photo=jpeg_bytes())
    make_submission(edition, cities[0], "story", text=ARABIC_STORY, language="ar", person_name="فاطمة",
                    translation_language="en", translation_text=ARABIC_TRANSLATION)
    make_submission(edition, cities[1], "quote", text="I am a secret. I am a migrant.", status="submitted")
    make_submission(edition, cities[1], "quote", text="I am private. I am a migrant.", consents=("social",))
    page = client.get("/campaign/page").get_data(as_text=True)
    assert QUOTE in page and ARABIC_STORY in page and ARABIC_TRANSLATION in page and "فاطمة" in page
    assert "I am a secret" not in page and "I am private" not in page
    assert "/results" in page
    with client.session_transaction() as session:
        session["lang"] = "fr"
    french = client.get("/campaign/page", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and QUOTE in french and "Récits personnels" in french


def test_consent_withdrawn_after_publication_leaves_the_page_and_cards_at_once(client, post, sign_in, coordinator,
                                                                               secretariat, edition, cities):
    from flask import Flask  # noqa: F401

    sub = make_submission(edition, cities[0], photo=jpeg_bytes())
    page = client.get("/campaign/page").get_data(as_text=True)
    assert QUOTE in page and f"/campaign/page/photo/{sub.id}.jpg" in page and "Amina" in page
    assert client.get(f"/campaign/page/photo/{sub.id}.jpg").status_code == 200
    coordinator_client = client.application.test_client()
    sign_in(coordinator_client, coordinator)
    from tests.clients import form_post

    form_post(coordinator_client, f"/campaign/{sub.id}/withdraw-consent", {"withdraw": ["image", "name"]})
    page = client.get("/campaign/page").get_data(as_text=True)
    assert QUOTE in page and "Amina" not in page and f"/photo/{sub.id}.jpg" not in page
    assert client.get(f"/campaign/page/photo/{sub.id}.jpg").status_code == 404
    form_post(coordinator_client, f"/campaign/{sub.id}/withdraw-consent", {"withdraw": ["publication"]})
    assert QUOTE not in client.get("/campaign/page").get_data(as_text=True)
    sign_in(client, secretariat)
    assert client.get(f"/campaign/review/{sub.id}/card/portrait-en.png").status_code == 404
    assert "Quote card" not in client.get("/campaign/review/schedule").get_data(as_text=True).split("<tbody>")[1]


def test_the_results_gallery_links_to_the_campaign_page(client, edition):
    from datetime import timedelta

    from core.db import utcnow

    edition.results_published_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get("/results/").get_data(as_text=True)
    assert 'href="/campaign/page"' in page


def test_the_page_opens_on_its_day_and_the_secretariat_previews_it(client, sign_in, secretariat, edition, cities):
    from datetime import date, timedelta

    sub = make_submission(edition, cities[0], photo=jpeg_bytes())
    edition.campaign_page_on = date.today() + timedelta(days=2)
    db.session.commit()
    page = client.get("/campaign/page").get_data(as_text=True)
    assert "The campaign page opens on" in page and QUOTE not in page
    assert client.get(f"/campaign/page/photo/{sub.id}.jpg").status_code == 404
    sign_in(client, secretariat)
    page = client.get("/campaign/page").get_data(as_text=True)
    assert "Preview for the secretariat" in page and QUOTE in page
