"""The teacher's journey end to end: register a class, add a typed poem, an essay PDF and an illustration,
see the blindness warning and fix it, submit, and find the receipt in the outbox."""
from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest

from core.db import db, utcnow
from demo.files import drawing, text_pdf


@pytest.fixture()
def open_edition(live_app, demo):
    from competition.models import Edition

    with live_app.app_context():
        Edition.current().deadline_at = utcnow() + timedelta(days=30)
        db.session.commit()
    return demo


def receipts(app) -> list:
    outbox = Path(app.config["MAIL_OUTBOX"])
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(outbox.glob("*.eml"))]
    return [m for m in messages if m["Subject"].startswith("Receipt for your entry")]


def add_entry(page, discipline: str, title: str):
    page.get_by_role("link", name="Add an entry").click()
    page.get_by_role("heading", name="About the work").wait_for()
    page.get_by_label(discipline, exact=True).check()
    page.get_by_label("Title of the work").fill(title)
    page.get_by_label("The whole class made it").check()
    page.get_by_role("button", name="Save and continue").click()


def give_consent_and_submit(page, check_a11y, shoot=None, name=None):
    page.get_by_role("link", name="Consent", exact=True).click()
    page.get_by_label(re.compile("^Judging")).check()
    page.get_by_label(re.compile("^Publication")).check()
    page.get_by_role("button", name="Save consent").click()
    page.get_by_role("button", name="Submit the entry").click()
    page.get_by_role("heading", name="Entry submitted").wait_for()
    check_a11y(page)
    if shoot:
        shoot(page, name)
    reference = page.locator(".reference").inner_text()
    page.get_by_role("link", name="Back to your classes and entries").click()
    return reference


def test_teacher_submits_a_poem_an_essay_and_an_illustration(server, open_edition, page, check_a11y, shoot, tmp_path):
    page.goto(server.url + "/account/login?next=/competition/classes/")
    page.get_by_label("Email address").fill("teacher2@example.org")
    page.get_by_label("Password").fill(open_edition)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your classes").wait_for()

    # 1. Register a class at an existing school.
    page.get_by_role("link", name="Register a class").click()
    city = page.get_by_label("City")
    city.select_option(city.locator("option", has_text="Strasbourg").get_attribute("value"))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Collège Jean Monnet").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name of the class").fill("3e C")
    page.get_by_label("Ages 11–18").check()
    page.get_by_label("Number of pupils").fill("20")
    page.get_by_label("Language of work").select_option(label="French")
    page.get_by_role("button", name=re.compile("Register")).click()
    page.get_by_text("Class 3e C is registered").wait_for()

    # 2a. A typed poem that names the city: the blindness check catches it, the teacher fixes it.
    add_entry(page, "Poem", "Deux langues")
    page.get_by_label("The text").fill("Je viens de Strasbourg\net d'ailleurs,\n\nj'ai deux langues.")
    page.get_by_role("button", name="Save the text").click()
    page.get_by_role("link", name="Consent", exact=True).click()
    page.get_by_label(re.compile("^Judging")).check()
    page.get_by_role("button", name="Save consent").click()
    warning = page.locator(".blindness-warning")
    assert "The city's name" in warning.inner_text() and "line 1" in warning.inner_text()
    check_a11y(page)
    shoot(page, "entry-blindness-warning-en")
    page.get_by_role("link", name="Change the work").click()
    page.get_by_label("The text").fill("Je viens d'ici\net d'ailleurs,\n\nj'ai deux langues.")
    page.get_by_role("button", name="Save the text").click()
    assert page.locator(".blindness-warning").count() == 0
    shoot(page, "entry-check-answers-en")
    page.get_by_role("button", name="Submit the entry").click()
    page.get_by_role("heading", name="Entry submitted").wait_for()
    check_a11y(page)
    shoot(page, "entry-receipt-en")
    page.get_by_role("link", name="Back to your classes and entries").click()

    # 2b. An essay uploaded as PDF.
    page.get_by_role("link", name=re.compile("3e C")).first.click()
    add_entry(page, "Essay", "Les raccourcis")
    essay = tmp_path / "essai.pdf"
    essay.write_bytes(text_pdf("Les raccourcis", ["Les stéréotypes sont des raccourcis."], author="Tereza Teacher"))
    page.get_by_label("File").set_input_files(str(essay))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is uploaded and checked.").wait_for()
    check_a11y(page)
    give_consent_and_submit(page, check_a11y)

    # 2c. An illustration, first a fake (HTML named .png), then the real photo of the drawing.
    page.get_by_role("link", name=re.compile("3e C")).first.click()
    add_entry(page, "Illustration", "Mille couleurs")
    fake = tmp_path / "dessin.png"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.get_by_label("File").set_input_files(str(fake))
    page.get_by_role("button", name="Upload").click()
    assert "There is a problem" in page.get_by_role("alert").first.inner_text()
    check_a11y(page)
    shoot(page, "entry-upload-error-en")
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(drawing(7, size=(1200, 900), exif_gps=True))
    page.get_by_label("File").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is uploaded and checked.").wait_for()
    assert page.locator("img.thumb").count() == 1
    give_consent_and_submit(page, check_a11y, shoot, "entry-receipt-illustration-en")

    # The class page lists three submitted entries; three receipts are in the outbox.
    page.get_by_role("link", name=re.compile("3e C")).first.click()
    assert page.locator(".entry-card .tag-done").count() == 3
    check_a11y(page)
    shoot(page, "class-with-entries-en")
    mails = receipts(server.app)
    assert len(mails) == 3
    assert all(re.search(r"[0-9a-f]{64}", m.get_body(("plain",)).get_content()) for m in mails)

    page.get_by_role("button", name="Français").click()
    check_a11y(page)
    shoot(page, "class-with-entries-fr")
