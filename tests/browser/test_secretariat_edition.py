"""The secretariat sets up the edition (deadline, category, city, material); the public page shows it."""
from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_secretariat_edits_the_edition_and_the_public_page_shows_it(server, demo, page, check_a11y,
                                                                     shoot):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editions").click()
    check_a11y(page)
    shoot(page, "admin-editions-en")
    page.get_by_role("main").get_by_role("link", name="More than migrants", exact=True).click()
    page.get_by_role("heading", name="Edit the edition").wait_for()
    check_a11y(page)

    # A time that does not exist (the clocks go forward) is explained, and nothing is saved.
    page.get_by_label("Deadline date", exact=True).fill("2026-03-29")
    page.get_by_label("Deadline time", exact=True).fill("02:30")
    page.get_by_role("button", name="Save changes").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "does not exist in Europe/Paris" in summary.inner_text()
    check_a11y(page)
    shoot(page, "admin-edition-error-en")

    deadline = date(date.today().year + 1, 11, 19)
    page.get_by_label("Deadline date", exact=True).fill(deadline.isoformat())
    page.get_by_label("Deadline time", exact=True).fill("23:59")
    page.get_by_label("Results announced on").fill(deadline.replace(day=6, month=12).isoformat())
    page.get_by_role("group", name="Ages 5–10 · Essay").get_by_label("Open for entries").uncheck()
    page.get_by_role("group", name="Ages 11–18 · Poem").get_by_label("Entries per class, at most").fill("5")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes have been saved.").wait_for()
    check_a11y(page)
    shoot(page, "admin-edition-en")

    admin_nav = page.get_by_role("navigation", name="Competition administration")
    admin_nav.get_by_role("link", name="Cities and schools").click()
    page.get_by_role("link", name="Add a city").click()
    page.get_by_label("Name of the city").fill("Ljubljana")
    page.get_by_label("Country").select_option(label="Slovenia")
    check_a11y(page)
    page.get_by_role("button", name="Add the city").click()
    page.get_by_text("Ljubljana has been added.").wait_for()
    assert page.get_by_role("row", name=re.compile("Ljubljana Slovenia 0")).is_visible()
    check_a11y(page)
    shoot(page, "admin-cities-en")

    admin_nav.get_by_role("link", name="Editions").click()
    page.get_by_role("link", name="Materials · More than migrants", exact=True).click()
    page.get_by_role("link", name="Add a material").click()
    page.get_by_label("Title", exact=True).fill("Instructions for teachers")
    page.get_by_label("Description (optional)").fill("How to prepare the class, step by step.")
    page.get_by_label("PDF file (optional)").set_input_files(
        {"name": "instructions.pdf", "mimeType": "application/pdf", "buffer": PDF})
    check_a11y(page)
    shoot(page, "admin-material-form-en")
    page.get_by_role("button", name="Add the material").click()
    page.get_by_text("The material Instructions for teachers has been saved.").wait_for()
    check_a11y(page)
    shoot(page, "admin-materials-en")

    page.clock.install()  # so that the countdown script can be moved forward in time
    admin_nav.get_by_role("link", name="Public page").click()
    page.get_by_role("heading", name="More than migrants", level=1).wait_for()
    assert f"{format_date(deadline, 'full', locale='en')}, 23:59" in page.locator(".deadline-when").inner_text()
    countdown = page.locator("[data-countdown]")
    before = countdown.inner_text()
    assert re.fullmatch(r"\d+ days, \d+ hours? left", before)
    page.clock.fast_forward("05:00:00")  # the script ticks the countdown live
    page.wait_for_function("text => document.querySelector('[data-countdown]').textContent !== text", arg=before)
    assert re.fullmatch(r"\d+ days?, \d+ hours? left", countdown.inner_text())
    categories = page.get_by_role("table").inner_text()
    assert "Ages 5–10 · Essay" not in categories and "Ages 5–10 · Poem" in categories
    assert "up to 5 entries" in categories
    assert page.get_by_role("link", name="Download Instructions for teachers").is_visible()
    check_a11y(page)
    shoot(page, "public-edition-en")

    page.get_by_role("button", name="Français").click()
    page.get_by_text(format_date(deadline, "full", locale="fr")).wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    check_a11y(page)
    shoot(page, "public-edition-fr")
    page.goto(server.url + "/competition/admin/editions")
    page.get_by_role("main").get_by_role("link", name="More than migrants", exact=True).click()
    check_a11y(page)
    shoot(page, "admin-edition-fr")
