"""The final round's second wave on the final-round page: proposed once the first wave's scores are in, explained
in English and French, at 1280 px and 360 px without sideways scrolling, and confirmed by the secretariat."""
from __future__ import annotations

import re

from tests.browser.test_results_uncertainty import ARTIFACTS, SIZES, sign_in_secretariat


def _first_wave_scored(live_app) -> None:
    """The demo's jurors all join the final jury; the final round is assigned, opened and its first wave scored."""
    import random
    from decimal import Decimal

    from sqlalchemy import select

    from core.db import db, utcnow
    from judging.assignment import service
    from judging.models import Assignment, Criterion, JurorProfile, Round, Rubric, ScoreSet, ScoreStatus, ScoreValue

    with live_app.app_context():
        final = db.session.scalar(select(Round).where(Round.number == 2))
        assert service.run_assignment(final).complete
        final.status = "open"
        rng = random.Random(5)
        for a in db.session.scalars(select(Assignment).where(Assignment.round_id == final.id)):
            rubric = db.session.scalar(select(Rubric).where(Rubric.category_id == a.entry.category_id,
                                                            Rubric.is_current.is_(True)))
            score = ScoreSet(assignment_id=a.id, rubric_id=rubric.id, status=ScoreStatus.SUBMITTED.value,
                             submitted_at=utcnow())
            score.values = [ScoreValue(criterion_id=c.id, value=Decimal(str(rng.randint(4, 8))))
                            for c in db.session.scalars(select(Criterion).where(Criterion.rubric_id == rubric.id))]
            db.session.add(score)
        db.session.commit()


def _final_jury(live_app) -> None:
    from sqlalchemy import select

    from core.db import db
    from judging.models import JurorProfile

    with live_app.app_context():
        for profile in db.session.scalars(select(JurorProfile)):
            profile.final_jury = True
        db.session.commit()


def test_second_wave_in_both_languages(server, demo, page, check_a11y, live_app):
    _final_jury(live_app)
    sign_in_secretariat(page, server, demo)
    page.goto(server.url + "/judging/results/")
    page.get_by_role("navigation", name="Results of the round").get_by_role("link", name="Final round").click()
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Ages 11–18 · Poem").click()
    url = page.url
    page.get_by_label("Workload of the final round").fill("15")
    page.get_by_role("button", name="Propose").click()
    assert "This is the first wave" in page.content()
    page.get_by_role("button", name="Create the final round from this proposal").click()
    page.get_by_text(re.compile("added to the final round with")).wait_for()
    _first_wave_scored(live_app)
    page.goto(url)
    for lang, expect in (("en", "Confirm the second wave"), ("fr", "Confirmer la seconde vague")):
        if lang == "fr":
            page.get_by_role("button", name="Français").click()
            page.goto(url)
        assert expect in page.content()
        page.get_by_role("table", name=re.compile("Entries of the final round|Œuvres du tour final")).wait_for()
        check_a11y(page)
        for width, size in SIZES.items():
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"final-round-second-wave-{lang}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{lang} {width}: the page scrolls sideways by {overflow}px"
        page.set_viewport_size(SIZES[1280])
    page.get_by_role("button", name="Confirmer la seconde vague").click()
    page.get_by_text(re.compile("pour la seconde vague")).wait_for()
    assert "est dépensée" in page.content()  # the workload is spent: no third wave
    page.set_viewport_size(SIZES[1280])
    page.screenshot(path=str(ARTIFACTS / "final-round-second-wave-fr-confirmed-1280.png"), full_page=True)
