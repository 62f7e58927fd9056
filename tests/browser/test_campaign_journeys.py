"""The campaign in a browser: a city coordinator sends a quote card (with a gentle suggestion, a photo and
consent) and submits it; the secretariat filters, sends one back with a message, looks at the cards and the
plan; the public page shows both languages. English and French, 1280 px and 360 px, axe on every page."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw

from core.db import db, utcnow

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture()
def campaign_open(live_app, demo, tmp_path):
    """The demo, with the campaign's deadline ten days ahead; returns a portrait photo's path."""
    from competition.models import Edition

    with live_app.app_context():
        Edition.current().campaign_deadline_at = utcnow() + timedelta(days=10)
        db.session.commit()
    image = Image.new("RGB", (600, 800), (38, 84, 124))
    ImageDraw.Draw(image).ellipse((200, 150, 400, 420), fill=(226, 185, 150))
    path = tmp_path / "portrait.jpg"
    image.save(path, "JPEG")
    return path


def log_in(page, server, email, password):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/account/login).*$"))


def both_widths(page, check_a11y, shoot, name):
    """axe at 1280 px and at 360 px, and screenshots at both (``shoot`` fails on sideways scrolling)."""
    check_a11y(page)
    page.set_viewport_size(PHONE)
    check_a11y(page)
    page.set_viewport_size(DESKTOP)
    shoot(page, name)


def switch_language(page, code):
    page.locator(f'button[name="lang"][value="{code}"]').click()
    page.wait_for_selector(f'html[lang="{code}"]')


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_coordinator_sends_a_quote_card(server, demo, campaign_open, page, check_a11y, shoot, language):
    log_in(page, server, "coordinator@example.org", demo)
    page.goto(server.url + "/campaign/")
    if language == "fr":
        switch_language(page, "fr")
    words = {
        "en": dict(add="Add a quote card", quote="The quote", save="Save and continue", hint="A suggestion",
                   publication="Publication on the campaign page", social="Publication on social media",
                   consent="Save consent", submit="Submit", check="Check your answers", submitted="Submitted",
                   photo="Portrait photo (optional)"),
        "fr": dict(add="Ajouter une carte citation", quote="La citation", save="Save and continue",
                   hint="Une suggestion", publication="Publication sur la page de la campagne",
                   social="Publication sur les réseaux sociaux", consent="Enregistrer le consentement",
                   submit="Envoyer", check="Vérifiez vos réponses", submitted="Envoyée",
                   photo="Photo portrait (facultative)"),
    }[language]
    page.get_by_role("heading", level=1).wait_for()
    both_widths(page, check_a11y, shoot, f"campaign-coordinator-list-{language}")
    page.get_by_role("link", name=words["add"]).click()
    page.get_by_label(words["quote"]).fill("I am a baker. I like jazz.")
    page.get_by_label(words["photo"]).set_input_files(str(campaign_open))
    both_widths(page, check_a11y, shoot, f"campaign-coordinator-quote-{language}")
    page.locator("main form button.button").click()
    page.get_by_text(words["hint"]).first.wait_for()  # saved, with a suggestion rather than a refusal
    both_widths(page, check_a11y, shoot, f"campaign-coordinator-consent-{language}")
    page.get_by_label(words["publication"]).check()
    page.get_by_label(words["social"]).check()
    page.get_by_role("button", name=words["consent"]).click()
    page.get_by_role("heading", name=re.compile(words["check"])).wait_for()
    assert page.locator("img.thumb").count() == 1
    both_widths(page, check_a11y, shoot, f"campaign-coordinator-check-{language}")
    page.get_by_role("button", name=words["submit"], exact=True).click()
    page.locator(".panel").wait_for()
    assert words["submitted"] in page.locator(".panel").inner_text()
    both_widths(page, check_a11y, shoot, f"campaign-coordinator-submitted-{language}")


def test_a_coordinator_sees_a_clear_message_for_a_landscape_photo(server, demo, campaign_open, page, check_a11y,
                                                                   tmp_path):
    wide = tmp_path / "wide.jpg"
    Image.new("RGB", (900, 500), (90, 90, 90)).save(wide, "JPEG")
    log_in(page, server, "coordinator@example.org", demo)
    page.goto(server.url + "/campaign/new/quote")
    page.get_by_label("The quote").fill("I am a baker. I am a migrant.")
    page.get_by_label("Portrait photo (optional)").set_input_files(str(wide))
    page.locator("main form button.button").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "landscape format (900 × 500 pixels)" in summary.inner_text()
    summary.get_by_role("link").first.click()  # the summary's link moves to the field
    check_a11y(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_secretariat_reviews_and_sends_back_with_a_message(server, demo, campaign_open, page, check_a11y, shoot,
                                                                language):
    log_in(page, server, "secretariat@example.org", demo)
    page.goto(server.url + "/campaign/review")
    if language == "fr":
        switch_language(page, "fr")
    both_widths(page, check_a11y, shoot, f"campaign-review-list-{language}")
    page.locator("#kind").select_option("quote")
    page.locator("#status").select_option("submitted")
    page.locator("form.filters button").click()
    page.get_by_role("link", name=re.compile(r"^Q\d+")).first.click()
    page.get_by_role("heading", level=1).wait_for()
    page.locator("form[action$='/return'] button").click()
    page.locator(".error-summary").wait_for()
    both_widths(page, check_a11y, shoot, f"campaign-review-return-error-{language}")
    page.locator("#message").fill("Please add a portrait photo.")
    page.locator("form[action$='/return'] button").click()
    page.locator(".notice-success").wait_for()
    # An approved story: its card preview, the crop and the captions in both languages.
    page.goto(server.url + "/campaign/review?kind=story")
    page.get_by_role("link", name=re.compile(r"^P\d+")).first.click()
    preview = page.locator("img.card-preview")
    preview.wait_for()
    page.wait_for_function("() => { const i = document.querySelector('img.card-preview'); "
                           "return i.complete && i.naturalWidth === 1080; }")
    assert page.get_by_text("#ICCities #Morethanmigrants #MigrantsDay").count() >= 2
    both_widths(page, check_a11y, shoot, f"campaign-review-story-{language}")
    page.goto(server.url + "/campaign/review/schedule")
    both_widths(page, check_a11y, shoot, f"campaign-schedule-{language}")
    calendar = page.request.get(server.url + "/campaign/review/schedule.ics")
    assert calendar.ok and b"BEGIN:VEVENT" in calendar.body()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_public_page_in_both_languages(server, demo, live_app, page, check_a11y, shoot, language):
    from datetime import date

    from competition.models import Edition

    with live_app.app_context():  # Migrants Day has come
        Edition.current().campaign_page_on = date.today() - timedelta(days=1)
        db.session.commit()
    page.goto(server.url + "/results/")
    page.goto(server.url + "/campaign/page")
    if language == "fr":
        switch_language(page, "fr")
    page.locator("blockquote[lang=ar]").wait_for()
    assert page.locator("blockquote[lang=uk]").count() == 1
    both_widths(page, check_a11y, shoot, f"campaign-public-page-{language}")


def test_a_coordinator_sends_a_story_and_a_statement(server, demo, campaign_open, page, check_a11y, shoot):
    log_in(page, server, "coordinator@example.org", demo)
    page.goto(server.url + "/campaign/new/story")
    page.get_by_text("Why did you decide to migrate to your Intercultural City?").first.wait_for(state="attached")
    story = page.get_by_label("The story", exact=True)
    story.fill(" ".join(["My city welcomed us."] * 200))  # 800 words
    live = page.locator("#story-length-live")
    assert "800 words, about 1.6 A4 pages" in live.inner_text() and "Too long" in live.inner_text()
    page.locator("main form button.button").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "The story is 800 words, about 1.6 A4 pages" in summary.inner_text()
    both_widths(page, check_a11y, shoot, "campaign-coordinator-story-too-long-en")
    page.get_by_label("The story", exact=True).fill("I came to Lisbon in 2019. The sea and my neighbours made me feel at home.")
    assert "16 words" in page.locator("#story-length-live").inner_text()
    page.get_by_label("Portrait photo (optional)").set_input_files(str(campaign_open))
    page.locator("main form button.button").click()
    page.get_by_label("Publication on the campaign page").check()
    page.locator("main form button.button").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    assert "16 words, about 0.03 A4 pages" in page.locator(".summary-list").inner_text()
    page.get_by_role("button", name="Submit", exact=True).click()
    page.locator(".panel").wait_for()

    page.goto(server.url + "/campaign/new/statement")
    page.get_by_label("Name of the mayor or elected official").fill("Carlos Moedas")
    page.get_by_label("Official title").fill("Mayor of Lisbon")
    page.get_by_label("The statement").fill("Наше місто пишається різноманіттям своїх мешканців і їхнім досвідом.")
    page.locator("main form button.button").click()
    page.locator(".error-summary").wait_for()
    assert "Write the statement in English or French" in page.locator(".error-summary").inner_text()
    both_widths(page, check_a11y, shoot, "campaign-coordinator-statement-error-en")
