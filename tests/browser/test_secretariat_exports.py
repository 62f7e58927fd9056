"""The secretariat opens last year's judged edition's exports, builds the publication in the background, sees
what is left out, takes the results off the public page and publishes them again (each after a confirmation
page with counts), and the public gallery shows the winners, in English and in French."""
from __future__ import annotations

import re


def test_secretariat_exports_and_the_public_gallery(server, demo, page, check_a11y, shoot):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()

    page.goto(server.url + "/judging/")
    page.get_by_role("navigation", name="Judging").get_by_role("link", name="Exports").click()
    # This year's round 1 is still open: nothing can be published, and no winner is decided yet.
    assert page.get_by_role("button", name="Publish the results").is_disabled()
    page.get_by_role("link", name=re.compile(r"^More than migrants \d{4}$")).click()
    page.get_by_role("heading", name="Left out, and why").wait_for()
    assert not page.locator(".left-out-list").is_visible()  # collapsed by default: the page stays short
    page.get_by_text(re.compile(r"Show the \d+ entr(y|ies) left out")).click()
    assert "No consent to" in page.locator(".left-out-list").inner_text()
    page.get_by_role("img", name=re.compile("Card for MTM-")).first.wait_for()
    check_a11y(page)
    shoot(page, "exports-en")

    # The publication is made in the background; the page follows it and shows the download when ready.
    page.get_by_role("button", name=re.compile("Start · Publication")).click()
    page.get_by_text(re.compile("The export has started")).wait_for()
    page.get_by_role("link", name="Download the ZIP").first.wait_for(timeout=120_000)
    check_a11y(page)
    shoot(page, "exports-done-en")

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name=re.compile("Exclus|Laissés")).wait_for()
    check_a11y(page)
    shoot(page, "exports-fr")

    # Last year's results are public: take them off (after a page that says what changes), then publish again.
    page.get_by_role("link", name="Retirer les résultats de la page publique").click()
    page.get_by_role("heading", name=re.compile("Retirer les résultats")).wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Retirer les résultats de la page publique").click()
    page.get_by_text("Les résultats ne sont plus publics.").wait_for()
    page.get_by_role("link", name="Publier les résultats").click()
    facts = page.get_by_role("list", name="Ce qui va se passer").inner_text()
    assert re.search(r"\d+ participations sur la page publique", facts), facts
    check_a11y(page)
    shoot(page, "confirm-publish-fr")
    page.get_by_role("button", name="Publier les résultats").click()
    page.get_by_text("Les résultats sont publics sur la page de la campagne.").wait_for()
    check_a11y(page)

    # The public gallery, then one entry.
    page.goto(server.url + "/results/")
    page.get_by_role("heading", name=re.compile("Résultats")).first.wait_for()
    check_a11y(page)
    shoot(page, "results-gallery-fr")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name=re.compile("Results")).first.wait_for()
    check_a11y(page)
    shoot(page, "results-gallery-en")
    page.locator(".gallery-item h3 a").first.click()
    page.get_by_role("link", name="All the results").wait_for()
    check_a11y(page)
    shoot(page, "results-entry-en")
