"""The ranking shows how sure each place is (chance of the top N, place interval, unsettled places) and the
weak-link warning, in English and French, at 1280 px and 360 px without sideways scrolling."""
from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path("test-artifacts")
SIZES = {1280: {"width": 1280, "height": 900}, 360: {"width": 360, "height": 740}}


def _city_blocks(live_app, category_title="Ages 11–18 · Essay"):
    """Re-score the demo's essays of ages 11-18 in two city blocks (Lisbon and Dublin jurors of opposite
    severity) that share a single entry: the design a network of cities easily ends up with."""
    import random
    from decimal import Decimal

    from sqlalchemy import delete, select

    from accounts.models import User
    from competition.models import City, Edition, Entry
    from core.db import db, utcnow
    from judging.models import Assignment, Criterion, JurorProfile, Round, Rubric, ScoreSet, ScoreStatus, ScoreValue

    with live_app.app_context():
        round1 = db.session.scalar(select(Round).where(Round.number == 1, Round.edition_id == Edition.current().id))
        category = next(c for c in round1.edition.categories if c.title == category_title)
        entries = db.session.scalars(select(Entry).where(Entry.category_id == category.id, Entry.status == "submitted")
                                     .order_by(Entry.id)).all()
        jurors = db.session.scalars(select(User).where(User.email.like("juror%@example.org")).order_by(User.email)).all()
        cities = []
        for name, code in (("Lisbon", "PT"), ("Dublin", "IE")):
            city = db.session.scalar(select(City).where(City.name == name, City.country_code == code))
            if city is None:
                city = City(name=name, country_code=code)
                db.session.add(city)
                db.session.flush()
            cities.append(city)
        half = len(jurors) // 2
        blocks = [jurors[:half], jurors[half:2 * half]]
        for n, block in enumerate(blocks):
            for juror in block:  # a juror's own city is a fact of their juror profile
                profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == juror.id))
                profile.city_id = cities[n].id
        db.session.execute(delete(Assignment).where(Assignment.round_id == round1.id,
                                                    Assignment.entry_id.in_([e.id for e in entries])))
        rubric = db.session.scalar(select(Rubric).where(Rubric.category_id == category.id, Rubric.is_current.is_(True)))
        criteria = db.session.scalars(select(Criterion).where(Criterion.rubric_id == rubric.id)).all()
        rng = random.Random(7)
        for i, entry in enumerate(entries):
            b = 0 if i < len(entries) // 2 else 1
            panel = list(blocks[b][:3])
            if i == 0:
                panel[-1] = blocks[1][0]  # the one entry both cities scored
            for position, juror in enumerate(panel):
                a = Assignment(round_id=round1.id, entry_id=entry.id, juror_id=juror.id, position=position)
                db.session.add(a)
                db.session.flush()
                base = 4 + (i % (len(entries) // 2)) * 0.8 + (-1.5 if juror in blocks[0] else 1.5)
                score = ScoreSet(assignment_id=a.id, rubric_id=rubric.id, status=ScoreStatus.SUBMITTED.value,
                                 submitted_at=utcnow())
                score.values = [ScoreValue(
                    criterion_id=c.id, value=Decimal(str(max(c.scale_min, min(c.scale_max, round(
                        base + rng.uniform(-1, 1))))))) for c in criteria]
                db.session.add(score)
        db.session.commit()
        return category.id


def sign_in_secretariat(page, server, demo) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def shoot_both_widths(page, name: str) -> None:
    """Full-page screenshots at 1280 and 360 px into test-artifacts/, and no sideways scrolling at either."""
    for width, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} {width}: the page scrolls sideways by {overflow}px"
    page.set_viewport_size(SIZES[1280])


def test_weak_link_between_city_blocks_in_both_languages(server, demo, page, check_a11y, live_app):
    category_id = _city_blocks(live_app)
    sign_in_secretariat(page, server, demo)
    page.goto(server.url + "/judging/results/")
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Essay").click()
    url = page.url
    assert f"category={category_id}" in url
    for lang, expect in (("en", re.compile(r"more entr(y|ies) scored across (Lisbon and Dublin|Dublin and Lisbon) jurors")),
                         ("fr", re.compile(r"de plus évaluées? à la fois par"))):
        if lang == "fr":
            page.get_by_role("button", name="Français").click()
            page.goto(url)
        assert expect.search(page.locator("#weak-links").inner_text())
        check_a11y(page)
        shoot_both_widths(page, f"results-weak-link-{lang}")


def test_ranking_shows_uncertainty_and_weak_links_in_both_languages(server, demo, page, check_a11y):
    sign_in_secretariat(page, server, demo)
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
        shoot_both_widths(page, f"results-uncertainty-{lang}")


def test_final_round_proposal_within_a_workload(server, demo, page, check_a11y):
    sign_in_secretariat(page, server, demo)
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
