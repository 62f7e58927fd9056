"""The secretariat corrects a rubric (an error first) and a juror's languages, in English and in French."""
from __future__ import annotations

import re


def test_secretariat_edits_a_rubric_and_a_jurors_languages(server, demo, page, check_a11y, shoot):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()

    page.goto(server.url + "/judging/rubrics")
    page.get_by_role("heading", name="Rubrics", level=1).wait_for()
    check_a11y(page)
    shoot(page, "rubrics-en")
    page.get_by_role("link", name="Edit the rubric · Ages 11–18 · Poem").click()
    page.get_by_role("heading", name="Rubric for Ages 11–18 · Poem").wait_for()
    check_a11y(page)
    shoot(page, "rubric-edit-en")

    first = page.get_by_role("group", name="Criterion 1", exact=True)
    first.get_by_label("Weight").fill("0")
    page.get_by_role("button", name="Save the rubric").first.click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "Criterion 1: Enter a weight above 0 and at most 100." in summary.inner_text()
    check_a11y(page)
    shoot(page, "rubric-error-en")

    summary.get_by_role("link").first.click()
    first = page.get_by_role("group", name="Criterion 1", exact=True)
    assert first.get_by_label("Weight").evaluate("el => el === document.activeElement")
    first.get_by_label("Weight").fill("0.4")
    first.get_by_label("Half points").check()
    page.get_by_role("button", name="Add a criterion").click()
    page.get_by_text("Not saved yet").wait_for()
    fifth = page.get_by_role("group", name="Criterion 5", exact=True)
    fifth.get_by_label("Title").fill("Use of sources")
    fifth.get_by_role("button", name="Move up").click()
    assert page.get_by_role("group", name="Criterion 4", exact=True).get_by_label("Title").input_value() == \
        "Use of sources"
    page.get_by_role("button", name="Save the rubric").last.click()
    page.get_by_text("The rubric has been saved.").wait_for()
    section = page.get_by_role("region", name="Ages 11–18 · Poem")
    assert "Use of sources" in section.inner_text()
    check_a11y(page)

    page.goto(server.url + "/judging/jury")
    page.get_by_role("heading", name="Jury", level=1).wait_for()
    check_a11y(page)
    shoot(page, "jury-en")
    page.get_by_role("link", name="Julia Juror").click()
    page.get_by_role("heading", name="Julia Juror").wait_for()
    check_a11y(page)
    page.get_by_label("Greek").check()
    page.get_by_label("Country").select_option(label="Ireland")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("The profile of Julia Juror has been saved.").wait_for()
    row = page.get_by_role("row", name=re.compile("Julia Juror"))
    assert "Greek" in row.inner_text() and "Dublin, Ireland" in row.inner_text()

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name="Jury", level=1).wait_for()
    assert "grec" in page.get_by_role("row", name=re.compile("Julia Juror")).inner_text()
    check_a11y(page)
    shoot(page, "jury-fr")
    page.goto(server.url + "/judging/rubrics")
    assert "Pertinence par rapport au thème" in page.get_by_role("main").inner_text()
    check_a11y(page)
    shoot(page, "rubrics-fr")
    page.get_by_role("link", name=re.compile("De 11 à 18 ans · Poème")).click()
    check_a11y(page)
    shoot(page, "rubric-edit-fr")
