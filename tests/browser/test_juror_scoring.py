"""A juror's evening: log in, open an entry, type scores (autosaved), submit, go on with the keyboard, in EN and FR."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.db import db


@pytest.fixture()
def scoring_round(live_app, demo):
    """Three of the demo's submitted entries in a fresh open round for juror@example.org (other rounds closed)."""
    from accounts.models import User
    from competition.models import Edition, Entry
    from judging.models import Assignment, JurorProfile, Round
    from judging.rubrics.defaults import ensure_rubrics

    with live_app.app_context():
        juror = db.session.scalar(select(User).where(User.email == "juror@example.org"))
        if db.session.get(JurorProfile, juror.id) is None:
            db.session.add(JurorProfile(user_id=juror.id, languages=["en", "fr", "pt"], max_entries=40))
        edition = Edition.current()
        ensure_rubrics(edition)
        for other in db.session.scalars(select(Round).where(Round.edition_id == edition.id)):
            other.status = "closed"
        number = (db.session.scalar(select(func.max(Round.number)).where(Round.edition_id == edition.id)) or 0) + 1
        judging_round = Round(edition=edition, number=number, name="Browser round", jurors_per_entry=1, status="open")
        db.session.add(judging_round)
        submitted = db.session.scalars(select(Entry).where(Entry.status == "submitted").order_by(Entry.id)).all()
        # A poem, then an illustration (if the demo has one with a file), then the rest, in a shuffled order.
        illustration = next((e for e in submitted if e.category.discipline == "illustration" and e.files), None)
        entries = [e for e in submitted if e is not illustration][:3]
        if illustration is not None:
            entries[1] = illustration
        codes = []
        for position, entry in zip((0, 1, 2), entries):
            assignment = Assignment(round=judging_round, entry=entry, juror=juror, position=position)
            db.session.add(assignment)
            codes.append((position, assignment))
        db.session.commit()
        return [a.code for _p, a in sorted(codes, key=lambda pair: pair[0])]


def test_juror_scores_an_entry_and_moves_on_with_the_keyboard(server, scoring_round, demo, page, check_a11y, shoot):
    first, second, _third = scoring_round
    page.goto(server.url + "/account/login?next=/judging/")
    page.get_by_label("Email address").fill("juror@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your entries to score").wait_for()
    page.get_by_text("0 of 3 scored").first.wait_for()
    check_a11y(page)
    shoot(page, "juror-entries")

    page.get_by_role("link", name=first).click()
    page.get_by_role("heading", name=re.compile(f"Entry {first}")).wait_for()
    check_a11y(page)
    for label, value in (("Relevance to the theme", "8"), ("Originality", "7"), ("Expression", "6"),
                         ("Overall impression", "9")):
        page.get_by_label(f"Score for {label}").fill(value)
    page.get_by_label("Comment on Originality").fill("A fresh way to say it.\nSecond line <b>kept as text</b>.")
    status = page.locator("#autosave-status")
    status.filter(has_text=re.compile(r"Saved at")).wait_for()
    shoot(page, "juror-scoring-draft")

    # A bad value is reported beside the field by the autosave; correcting it clears the message.
    page.get_by_label("Score for Expression").fill("11")
    page.locator("#score_expression-error").filter(has_text="from 0 to 10").wait_for()
    page.get_by_label("Score for Expression").fill("6")
    page.locator("#score_expression-error").wait_for(state="hidden")
    page.get_by_role("button", name="Submit scores").click()
    # Submitted scores are final: a page lists them first.
    page.get_by_role("heading", name=f"Submit your scores for {first}?").wait_for()
    assert "Originality: 7" in page.get_by_role("list", name="What will happen").inner_text()
    check_a11y(page)
    shoot(page, "juror-confirm-submit")
    page.get_by_role("button", name="Submit scores").click()
    page.get_by_text("Your scores are submitted").wait_for()
    page.get_by_text("1 of 3 scored").first.wait_for()
    assert page.get_by_text("Second line <b>kept as text</b>.").count() == 1
    check_a11y(page)
    shoot(page, "juror-scoring-submitted")

    page.keyboard.press("Alt+ArrowRight")
    page.wait_for_url(re.compile(f"/judging/entries/{second}$"))
    page.get_by_text("1 of 3 scored").first.wait_for()
    zoom = page.locator(".zoom-toggle")
    if zoom.count():
        zoom.click()
        assert zoom.get_attribute("aria-pressed") == "true"
        shoot(page, "juror-scoring-zoomed")
        zoom.click()
    page.keyboard.press("Alt+ArrowLeft")
    page.wait_for_url(re.compile(f"/judging/entries/{first}$"))
    page.get_by_role("link", name=re.compile("Next")).click()
    page.wait_for_url(re.compile(f"/judging/entries/{second}$"))

    # In French: the rubric comes through the translations.
    page.get_by_role("button", name="Français").click()
    page.wait_for_url(re.compile(f"/judging/entries/{second}$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    check_a11y(page)
    shoot(page, "juror-scoring-fr")
    page.locator(".entry-pager a:not([rel])").click()
    page.wait_for_url(re.compile("/judging/entries$"))
    check_a11y(page)
    shoot(page, "juror-entries-fr")
