"""The secretariat creates round 1, sees why too few jurors cannot cover it, adds jurors, assigns, follows progress
and reminds the jurors."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from core.db import db


@pytest.fixture()
def two_jurors(live_app, demo):
    """The demo's state before judging: no round, and only juror@ and juror2@ have a juror profile."""
    from accounts.models import User
    from judging.models import JurorProfile, Round

    with live_app.app_context():
        db.session.execute(delete(Round))
        db.session.execute(delete(JurorProfile))
        for email in ("juror@example.org", "juror2@example.org"):
            user = db.session.scalar(select(User).where(User.email == email))
            db.session.add(JurorProfile(user_id=user.id, languages=["en", "fr", "pt"]))
        db.session.commit()
    return demo


def _add_jurors(live_app, password):
    from accounts.models import Role, User
    from accounts.operations import create_user
    from judging.models import JurorProfile

    with live_app.app_context():
        for i, name in enumerate(["Ana Almeida", "Bruno Blanc", "Chloé Cohen"], start=3):
            email = f"extra{i}@example.org"
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = create_user(name, email, password, [Role.JUROR], language="fr" if i == 4 else "en",
                                   confirmed=True)
                db.session.flush()
            db.session.add(JurorProfile(user_id=user.id, languages=["en", "fr", "pt"]))
        db.session.commit()


def test_secretariat_assigns_round_one_and_reminds_jurors(server, live_app, two_jurors, page, check_a11y, shoot):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(two_jurors)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Judging").click()
    page.get_by_role("heading", name="Judging dashboard").wait_for()
    check_a11y(page)
    shoot(page, "judging-dashboard-empty-en")

    page.get_by_role("link", name="Create round 1").click()
    page.get_by_label("Random seed").fill("abc")
    page.get_by_label("Jurors per entry").fill("0")
    page.get_by_role("button", name="Create the round").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "from 1 to 20" in summary.inner_text()
    check_a11y(page)
    shoot(page, "round-new-error-en")
    page.get_by_label("Jurors per entry").fill("3")
    page.get_by_label("Random seed").fill("2026")
    page.get_by_role("button", name="Create the round").click()
    page.get_by_text("Round 1 has been created.").wait_for()
    check_a11y(page)

    # Two jurors cannot give every entry three: each entry is explained, nothing is saved.
    page.get_by_role("link", name="Check the assignment").click()
    report = page.get_by_role("alert").filter(has_text="cannot get enough jurors")
    assert re.search(r"\d+ entries cannot get enough jurors", report.inner_text())
    assert page.get_by_text(re.compile("needs 3 more jurors who read .*only 2 jurors can take it")).first.is_visible()
    remedies = page.get_by_role("region", name="What would make it possible")
    assert re.search(r"Add \d+ jurors? (who reads? \w+, )?(, )?each taking up to 40 entries",
                     remedies.inner_text()), remedies.inner_text()
    check_a11y(page)
    shoot(page, "round-preview-problems-en")
    page.get_by_role("button", name="Français").click()
    remedies = page.get_by_role("region", name="Ce qui le rendrait possible")
    assert re.search(r"Ajouter \d+ membres? du jury", remedies.inner_text()), remedies.inner_text()
    check_a11y(page)
    shoot(page, "round-preview-problems-fr")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Check the assignment").wait_for()

    _add_jurors(live_app, two_jurors)
    page.reload()
    page.get_by_text(re.compile(r"Every entry gets its jurors: \d+ assignments in all\.")).wait_for()
    assert page.get_by_role("table", name="Entries per juror and category").is_visible()
    check_a11y(page)
    shoot(page, "round-preview-en")
    page.get_by_role("button", name="Save this assignment").click()
    page.get_by_text(re.compile("The assignment is saved")).wait_for()
    assert page.get_by_role("row", name=re.compile("Ana Almeida")).is_visible()
    check_a11y(page)
    shoot(page, "round-detail-en")

    page.get_by_role("button", name="Open scoring").click()
    page.get_by_text("Scoring is open.").wait_for()
    page.get_by_role("link", name="Judging dashboard").click()
    page.get_by_role("button", name="Remind Ana Almeida").click()
    page.get_by_text("A reminder has been sent to 1 juror.").wait_for()
    page.get_by_role("button", name="Send a reminder to every juror with unfinished work").click()
    page.get_by_text("A reminder has been sent to 5 jurors.").wait_for()
    check_a11y(page)
    shoot(page, "judging-dashboard-en")

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", level=1).wait_for()
    check_a11y(page)
    shoot(page, "judging-dashboard-fr")
    page.get_by_role("main").get_by_role("link", name=re.compile("1")).first.click()
    check_a11y(page)
    shoot(page, "round-detail-fr")


def test_juror_declares_a_conflict(server, live_app, two_jurors, page, check_a11y, shoot):
    page.goto(server.url + "/account/login?next=/judging/conflicts")
    page.get_by_label("Email address").fill("juror@example.org")
    page.get_by_label("Password").fill(two_jurors)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your conflicts of interest").wait_for()
    check_a11y(page)
    page.get_by_label("City").select_option(label="Lisbon")
    page.get_by_role("button", name="Add the city").click()
    page.get_by_text("Your conflict of interest has been recorded.").wait_for()
    assert page.get_by_text("City: Lisbon").is_visible()
    check_a11y(page)
    shoot(page, "juror-conflicts-en")
