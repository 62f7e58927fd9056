"""The demo's juror+coordinator: scores blind, declares a conflict (the list stays as it was), and the
secretariat sees the declaration waiting for its reassignment. English and French, 1280 and 360 px, axe."""
from __future__ import annotations

import re

from sqlalchemy import select

from core.db import db


def log_in(page, server, email, password):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def codes_on(page) -> list[str]:
    return page.locator("table.scoring-list a.code").all_inner_texts()


def test_juror_coordinator_declares_a_conflict_and_the_secretariat_sees_it_waiting(
        server, live_app, demo, page, check_a11y, shoot):
    from accounts.models import User
    from competition.models import Entry, School, SchoolClass
    from judging.models import Assignment, ScoreSet

    with live_app.app_context():
        both = db.session.scalar(select(User).where(User.email == "juror.coordinator@example.org"))
        # Bruno has not started yet (the demo scored for him): his scores go.
        mine = select(Assignment.id).where(Assignment.juror_id == both.id)
        for score_set in db.session.scalars(select(ScoreSet).where(ScoreSet.assignment_id.in_(mine))):
            db.session.delete(score_set)
        db.session.commit()
        # A city of one of their entries: the declaration matches it, but the list must not show it.
        city = db.session.scalar(
            select(School.city_id).join(SchoolClass).join(Entry).join(Assignment, Assignment.entry_id == Entry.id)
            .where(Assignment.juror_id == both.id).order_by(Assignment.id).limit(1))
        from competition.models import City

        city_name = db.session.get(City, city).name

    log_in(page, server, "juror.coordinator@example.org", demo)
    page.goto(server.url + "/judging/entries")
    page.get_by_role("heading", name="Your entries to score").wait_for()
    before = codes_on(page)
    assert before
    check_a11y(page)
    shoot(page, "juror-coordinator-entries")
    page.get_by_role("link", name=before[0]).click()
    page.get_by_role("heading", name=re.compile(f"Entry {before[0]}")).wait_for()
    check_a11y(page)
    shoot(page, "juror-coordinator-scoring")

    page.goto(server.url + "/judging/conflicts")
    page.get_by_label("City", exact=True).select_option(label=city_name)
    page.get_by_role("button", name="Add the city").click()
    page.get_by_text("The secretariat applies it at the next reassignment").wait_for()
    check_a11y(page)
    shoot(page, "juror-conflicts-declared")
    page.goto(server.url + "/judging/entries")
    assert codes_on(page) == before  # nothing changes at once

    page.get_by_role("button", name="Français").click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    page.goto(server.url + "/judging/conflicts")
    page.get_by_text("Votre liste ne change pas tout de suite").wait_for()
    check_a11y(page)
    shoot(page, "juror-conflicts-fr")

    page.context.clear_cookies()
    log_in(page, server, "secretariat@example.org", demo)
    with live_app.app_context():
        from competition.models import Edition
        from judging.models import Round

        round_id = db.session.scalar(select(Round.id).where(Round.edition_id == Edition.current().id))
    page.goto(server.url + f"/judging/rounds/{round_id}")
    page.get_by_text("wait for the reassignment").or_(page.get_by_text("waits for the reassignment")).wait_for()
    check_a11y(page)
    shoot(page, "round-pending-declarations")
