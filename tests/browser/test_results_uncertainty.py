"""The ranking shows how sure each place is (chance of the top N, place interval, unsettled places) and the
weak-link warning, in English and French, at 1280 px and 360 px without sideways scrolling."""
from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path("test-artifacts")
SIZES = {1280: {"width": 1280, "height": 900}, 360: {"width": 360, "height": 740}}


def test_ranking_shows_uncertainty_and_weak_links_in_both_languages(server, demo, page, check_a11y):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    page.goto(server.url + "/judging/results/")
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Poem").click()
    table = page.get_by_role("table", name=re.compile("Ranking of Ages 11–18 · Poem"))
    assert "Chance of the top" in table.inner_text()
    assert page.locator("meter.chance").count() >= 3
    check_a11y(page)
    url = page.url
    for lang, expect in (("en", "Chance of the top"), ("fr", "Probabilité d’être parmi les")):
        if lang == "fr":
            page.get_by_role("button", name="Français").click()
            page.goto(url)
        assert expect in page.content()
        check_a11y(page)
        for width, size in SIZES.items():
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"results-uncertainty-{lang}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{lang} {width}: the page scrolls sideways by {overflow}px"
        page.set_viewport_size(SIZES[1280])


def test_final_round_proposal_within_a_workload(server, demo, page, check_a11y):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    page.goto(server.url + "/judging/results/")
    page.get_by_role("navigation", name="Results of the round").get_by_role("link", name="Final round").click()
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Poem").click()
    page.get_by_label("Workload of the final round").fill("0")
    page.get_by_role("button", name="Propose").click()
    assert "Enter a workload from 1 to 10000 score sets." in page.get_by_role("alert").inner_text()
    check_a11y(page)
    page.get_by_label("Workload of the final round").fill("6")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("table", name=re.compile("Entries that need more scores")).wait_for()
    check_a11y(page)
    for width, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"final-round-proposal-en-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{width}: the page scrolls sideways by {overflow}px"
    page.set_viewport_size(SIZES[1280])
    page.get_by_role("button", name="Create the final round from this proposal").click()
    page.get_by_text(re.compile("added to the final round with")).wait_for()
