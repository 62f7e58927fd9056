"""The secretariat reads the results of round 1, checks a juror's scores and the calibration,
makes a shortlist for the final and gives a 1st prize."""
from __future__ import annotations

import re


def test_secretariat_reviews_results_shortlists_and_awards(server, demo, page, check_a11y, shoot):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()

    page.goto(server.url + "/judging/results/")
    page.get_by_role("heading", name=re.compile("Ranking")).first.wait_for()
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Poem").click()
    table = page.get_by_role("table", name=re.compile("Ranking of Ages 11–18 · Poem"))
    assert "Bias-adjusted" in table.inner_text()
    check_a11y(page)
    shoot(page, "results-ranking-en")

    # One entry: every juror's scores, by name, with the link to the entry itself.
    first = table.get_by_role("link").first
    reference = first.inner_text()
    first.click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    assert page.get_by_role("link", name="Open the entry").is_visible()
    assert page.get_by_role("heading", name="Each juror's scores").is_visible()
    check_a11y(page)
    shoot(page, "results-entry-en")

    page.get_by_role("link", name=re.compile("Back to the ranking")).click()
    page.get_by_role("navigation", name="Results of the round").get_by_role("link", name="Juror calibration").click()
    page.get_by_role("img", name=re.compile("Distribution of the jurors' totals")).wait_for()
    assert page.get_by_role("img", name=re.compile("Each juror's mean total")).is_visible()
    check_a11y(page)
    shoot(page, "results-calibration-en")

    page.get_by_role("navigation", name="Results of the round").get_by_role("link", name="Shortlist").click()
    page.get_by_label("Number of entries per category").fill("abc")
    page.get_by_role("button", name="Add to the final round").click()
    assert "whole number" in page.get_by_role("alert").inner_text()
    check_a11y(page)
    page.get_by_label("The best entries of each category").check()
    page.get_by_label("Number of entries per category").fill("3")
    page.get_by_role("button", name="Add to the final round").click()
    page.get_by_text(re.compile(r"\d+ entries added to the final round")).wait_for()
    check_a11y(page)
    shoot(page, "results-shortlist-en")

    page.get_by_role("navigation", name="Results of the round").get_by_role("link", name="Awards").click()
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Poem").click()
    # This year's prizes are not decided yet (last year's are): give the 1st prize, take it back, give it again.
    # Round 1 is still open. Where this category still has unfinished score sets an award needs a reason
    # (recorded in the audit; tests/judging/results/test_ranking_evidence.py covers the rule itself):
    # the first attempt goes without one, and is refused if so.
    for attempt in range(2):
        page.get_by_label("Entry", exact=True).select_option(index=1)
        chosen = page.get_by_label("Entry", exact=True).input_value()
        page.get_by_label("Award", exact=True).select_option(label="1st prize")
        page.get_by_role("button", name="Give the award").click()
        given = page.get_by_text(re.compile("1st prize given to MTM-"))
        refused = page.get_by_role("alert")
        given.or_(refused).first.wait_for()
        if not given.count():
            assert "reason" in refused.first.inner_text().lower()
            page.get_by_label("Entry", exact=True).select_option(index=1)
            page.get_by_label("Award", exact=True).select_option(label="1st prize")
            page.get_by_label("Reason for an exception").fill("A trial award while scoring is still open.")
            page.get_by_role("button", name="Give the award").click()
            given.wait_for()
        assert chosen
        if attempt == 0:
            page.get_by_role("button", name=re.compile("Remove 1st prize")).click()
            page.get_by_text("The award was removed.").wait_for()
    check_a11y(page)
    shoot(page, "results-awards-en")

    # The same pages in French.
    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name=re.compile("Prix|Récompenses|Awards")).first.wait_for()
    check_a11y(page)
    shoot(page, "results-awards-fr")
    page.goto(server.url + "/judging/results/")
    check_a11y(page)
    shoot(page, "results-ranking-fr")
    page.goto(page.url.replace("/results", "/calibration"))
    check_a11y(page)
    shoot(page, "results-calibration-fr")
