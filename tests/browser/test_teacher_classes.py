"""A teacher registers a class at a new school, records three pupils (fixing an age), and sees the dashboard."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.db import db, utcnow


@pytest.fixture()
def open_edition(live_app, demo):
    """The demo's deadline (19 November 2026) has passed: give the current edition another month."""
    from competition.models import Edition

    with live_app.app_context():
        Edition.current().deadline_at = utcnow() + timedelta(days=30)
        db.session.commit()
    return demo


def test_teacher_registers_a_class_and_records_its_pupils(server, open_edition, page, check_a11y, shoot):
    page.goto(server.url + "/account/login?next=/competition/classes/")
    page.get_by_label("Email address").fill("teacher@example.org")
    page.get_by_label("Password").fill(open_edition)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Your classes").wait_for()
    check_a11y(page)
    page.get_by_role("link", name="Register a class").click()

    # Step 1, by keyboard only: type-ahead in the list of cities, Tab to the button, Enter.
    page.get_by_role("heading", name="Which city is your school in?").wait_for()
    check_a11y(page)
    shoot(page, "class-step1-city-en")
    page.get_by_label("City").focus()
    page.keyboard.type("Lisb")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # Step 2: the school is not in the list yet; a first try forgets to type its name.
    page.get_by_role("heading", name="Which school is the class in?").wait_for()
    page.get_by_label("My school is not in the list").check()
    page.get_by_role("button", name="Continue").click()
    assert "Enter the name of your school." in page.get_by_role("alert").inner_text()
    check_a11y(page)
    shoot(page, "class-step2-school-error-en")
    page.get_by_label("Name of your school").fill("Escola Nova da Mouraria")
    page.get_by_role("button", name="Continue").click()

    # Step 3, by keyboard only: type, Tab, Space on a radio, arrow-free type-ahead in the select, Enter.
    page.get_by_role("heading", name="About the class").wait_for()
    assert "Escola Nova da Mouraria" in page.inner_text("main")
    check_a11y(page)
    page.get_by_label("Name of the class").focus()
    page.keyboard.type("5A <Sol>")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first age category, 5 to 10
    page.keyboard.press("Tab")
    page.keyboard.type("24")
    page.keyboard.press("Tab")
    page.keyboard.type("Portu")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # The name with < and > is refused, and the rest of the answers are kept.
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    assert page.get_by_label("Number of pupils").input_value() == "24"
    assert page.get_by_label("Ages 5–10").is_checked()
    check_a11y(page)
    shoot(page, "class-step3-error-en")
    page.get_by_label("Name of the class").fill("5A")
    page.keyboard.press("Enter")

    page.get_by_text("Class 5A is registered. Now add its pupils.").wait_for()
    check_a11y(page)
    shoot(page, "class-page-new-en")
    page.get_by_role("link", name="Add pupils").click()

    page.get_by_role("heading", name="Pupils of class 5A").wait_for()
    check_a11y(page)
    shoot(page, "pupils-empty-en")
    for number, (first, initial, age) in enumerate([("Ana", "B.", "9"), ("Rui", "", "10"), ("Zoé", "m", "12")], start=1):
        row = page.get_by_role("group", name=f"Pupil {number}")
        row.get_by_label("First name").fill(first)
        row.get_by_label("Initial (optional)").fill(initial)
        row.get_by_label("Age").fill(age)
    page.get_by_role("button", name="Save pupils").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "Zoé M. is 12, but this class is for ages 5 to 10." in summary.inner_text()
    check_a11y(page)
    shoot(page, "pupils-age-error-en")
    summary.get_by_role("link").first.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("8")
    page.keyboard.press("Enter")

    page.get_by_text("The pupils are saved.").wait_for()
    main = page.inner_text("main")
    assert "3 of 24 pupils recorded" in main and "Zoé M." in main and "Ana B." in main
    check_a11y(page)
    shoot(page, "class-page-pupils-en")

    page.get_by_role("link", name="Back to your classes").click()
    card = page.get_by_role("listitem").filter(has_text="Class 5A")
    assert re.search(r"Pupils recorded\s*3 of 24", card.inner_text())
    check_a11y(page)
    shoot(page, "classes-dashboard-en")

    page.get_by_role("button", name="Français").click()
    # The new texts are translated later; the page must already work in French.
    page.get_by_role("button", name="Se déconnecter").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    check_a11y(page)
    shoot(page, "classes-dashboard-fr")
    page.get_by_role("link", name=re.compile("5A")).click()
    check_a11y(page)
    shoot(page, "class-page-fr")
    page.goto(page.url + "/pupils")
    check_a11y(page)
    shoot(page, "pupils-fr")
