"""The secretariat removes an edition's personal data once the results are out: refused before, a
wrong password changes nothing, then the purge; the teacher's page offers their data as a ZIP."""
from __future__ import annotations

import re
from pathlib import Path

from tests.browser.screens import DESKTOP, PHONE


def sign_in(page, server, email, password):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def test_purge_after_publication_and_the_teachers_data(server, demo, page, check_a11y, shoot):
    sign_in(page, server, "teacher@example.org", demo)
    page.goto(server.url + "/competition/classes")
    assert page.get_by_role("link", name="Download your classes' data (ZIP)").is_visible()
    check_a11y(page)
    shoot(page, "teacher-classes-data-en")
    page.get_by_role("button", name="Log out").click()

    sign_in(page, server, "secretariat@example.org", demo)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editions").click()
    page.get_by_role("main").get_by_role("link", name="More than migrants", exact=True).click()
    page.get_by_role("link", name="Remove personal data").click()
    page.get_by_role("heading", name=re.compile("Remove the personal data")).wait_for()
    assert page.get_by_role("button", name="Remove the personal data").count() == 0, "refused before the results"
    check_a11y(page)
    shoot(page, "purge-refused-en")

    # The current edition's round 1 is open: closing it goes through a page that counts what is unfinished.
    page.goto(server.url + "/judging/dashboard")
    page.get_by_role("link", name="Round 1").first.click()
    page.get_by_role("link", name="Close the round").click()
    page.get_by_role("heading", name="Close Round 1?").wait_for()
    assert "not started" in page.get_by_role("list", name="What will happen").inner_text()
    check_a11y(page)
    SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
    for language in ("en", "fr"):
        if language == "fr":
            page.get_by_role("button", name="Français").click()
            page.get_by_role("heading", name="Clôturer Tour 1 ?").wait_for()
            check_a11y(page)
        for width, size in ((1280, DESKTOP), (360, PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SHOTS / f"confirm-close-round-{language}-{width}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Cancel, go back").click()

    # Last year's edition is judged and published: its personal data can be removed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editions").click()
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^More than migrants \d{4}$")).click()
    page.get_by_role("link", name="Remove personal data").click()

    page.get_by_label("Your password").fill("not the right password")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Remove the personal data").click()
    assert "There is a problem" in page.get_by_role("alert").first.inner_text()
    check_a11y(page)
    shoot(page, "purge-error-en")

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name=re.compile("Supprimer|Retirer|données")).first.wait_for()
    check_a11y(page)
    shoot(page, "purge-form-fr")
