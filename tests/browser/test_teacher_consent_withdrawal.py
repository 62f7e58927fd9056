"""After the awards and the publication, a teacher whose class has more time finds the awarded entry frozen,
withdraws name consent (keyboard only, with a check of what it changes), and the public page, the card and
the secretariat's exports follow at once; then the secretariat meets the award rule. English and French."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.db import db, utcnow


@pytest.fixture()
def published(live_app, demo):
    """The demo with round 1 closed and the results published; returns the reference of an awarded entry of
    teacher@example.org's class 6B (which has more time) with every consent."""
    from accounts.models import User
    from competition.models import Edition, Entry, SchoolClass
    from judging.models import Award, Round

    with live_app.app_context():
        for round_ in db.session.scalars(select(Round)):
            round_.status = "closed"
        edition = Edition.current()
        edition.results_published_at = utcnow()
        teacher = db.session.scalar(select(User).where(User.email == "teacher@example.org"))
        # This year's awards are not decided in the demo (its round is open): give one to a 6B entry.
        entry = db.session.scalars(
            select(Entry).join(SchoolClass)
            .where(SchoolClass.teacher_id == teacher.id, SchoolClass.deadline_extended_to.is_not(None),
                   SchoolClass.edition_id == edition.id, Entry.status == "submitted").order_by(Entry.id)).first()
        db.session.add(Award(edition_id=edition.id, category_id=entry.category_id, entry_id=entry.id, kind="first",
                             note="Browser test."))
        entry.consent_publication = entry.consent_social = entry.consent_name = True
        db.session.commit()
        return entry.reference, entry.id


def log_in(page, server, email, password):
    page.goto(server.url + "/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome|Your classes|Entries")).first.wait_for()


def test_a_teacher_withdraws_name_consent_after_the_awards(server, demo, published, page, browser, check_a11y,
                                                           shoot):
    reference, entry_id = published
    secretariat = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    log_in(secretariat, server, "secretariat@example.org", demo)
    secretariat.goto(server.url + "/judging/exports")
    secretariat.get_by_role("button", name=re.compile("Start · Social-media kit")).click()
    secretariat.get_by_role("link", name="Download the ZIP").first.wait_for(timeout=180_000)

    public = page.context.browser.new_context(locale="en-GB").new_page()
    public.goto(server.url + f"/results/{reference}")
    description = public.locator('meta[property="og:description"]')
    credit_before = description.get_attribute("content")
    card_before = public.request.get(server.url + f"/results/{reference}/card-square.png")
    assert card_before.ok and "max-age=60" in card_before.headers["cache-control"]

    log_in(page, server, "teacher@example.org", demo)
    page.goto(server.url + f"/competition/entries/{entry_id}")
    page.get_by_text("This entry has an award, so it can no longer be changed").wait_for()
    assert page.get_by_role("link", name="Change").count() == 0
    check_a11y(page)
    shoot(page, "entry-frozen-en")

    # Keyboard only: the link, the checkbox, Continue, then the confirmation.
    page.get_by_role("link", name="Withdraw consent").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Withdraw consent for")).wait_for()
    check_a11y(page)
    shoot(page, "consent-withdraw-choose-en")
    page.get_by_role("button", name="Continue").click()
    assert "Tick the consent to withdraw." in page.get_by_role("alert").inner_text()
    check_a11y(page)
    page.get_by_label(re.compile("^Name:")).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Check before you withdraw consent")).wait_for()
    assert "it is credited as" in page.inner_text("main")
    check_a11y(page)
    shoot(page, "consent-withdraw-check-en")
    page.get_by_role("button", name="Withdraw consent").click()
    page.get_by_text(re.compile("Consent withdrawn. The public results page")).wait_for()

    # The very next public requests: no name on the page, a new card.
    public.reload()
    credit_after = description.get_attribute("content")
    assert credit_after != credit_before and re.search(r"(a pupil|pupils|a class) from", credit_after)
    card_after = public.request.get(server.url + f"/results/{reference}/card-square.png",
                                    headers={"If-None-Match": card_before.headers["etag"]})
    assert card_after.status == 200 and card_after.body() != card_before.body()

    # The kit made before names the pupils: no longer offered.
    secretariat.goto(server.url + "/judging/exports")
    secretariat.get_by_text(re.compile("Consent was withdrawn for an entry in it")).wait_for()
    check_a11y(secretariat)
    shoot(secretariat, "exports-withdrawn-en")

    # The withdrawal page, in French.
    page.goto(server.url + f"/competition/entries/{entry_id}")
    page.get_by_role("button", name="Français").click()
    page.get_by_text(re.compile("Cette participation a une récompense")).wait_for()
    check_a11y(page)
    shoot(page, "entry-frozen-fr")
    page.get_by_role("link", name="Retirer le consentement").click()
    page.get_by_role("heading", name=re.compile("Retirer le consentement pour")).wait_for()
    check_a11y(page)
    shoot(page, "consent-withdraw-choose-fr")
    page.get_by_label(re.compile("^Réseaux sociaux")).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=re.compile("Vérifiez avant de retirer")).wait_for()
    shoot(page, "consent-withdraw-check-fr")
    page.goto(server.url + f"/competition/entries/{entry_id}/withdraw")
    page.get_by_role("heading", name=re.compile("Retirer «")).wait_for()
    check_a11y(page)
    shoot(page, "entry-withdraw-fr")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name=re.compile("Withdraw “|Withdraw \"")).wait_for()
    shoot(page, "entry-withdraw-en")

    secretariat.get_by_role("button", name="Français").click()
    secretariat.get_by_text(re.compile("Depuis sa création, le consentement a été retiré")).wait_for()
    shoot(secretariat, "exports-withdrawn-fr")


def test_an_award_for_an_unranked_entry_needs_a_reason(server, demo, live_app, page, check_a11y, shoot):
    from competition.models import Edition
    from judging.models import Assignment, Round, ScoreSet
    from judging.results import service

    with live_app.app_context():  # an entry of the first category whose juror has not scored it yet
        round_ = db.session.scalar(select(Round).where(Round.edition_id == Edition.current().id).order_by(Round.number))
        category = next(c for c in Edition.current().categories if c.enabled)
        res = service.load_category(round_, category)
        if not set(res.entries) - {r.entry_id for r in res.rows}:  # its jurors' scores back to drafts
            for score_set in db.session.scalars(select(ScoreSet).join(Assignment).where(
                    Assignment.round_id == round_.id, Assignment.entry_id == res.rows[-1].entry_id)):
                score_set.status = "draft"
        round_id, category_id = round_.id, category.id
        db.session.commit()
    log_in(page, server, "secretariat@example.org", demo)
    page.goto(server.url + f"/judging/rounds/{round_id}/awards?category={category_id}")
    options = page.locator("#entry option", has_text="not ranked: needs a reason")
    page.locator("#entry").select_option(options.first.get_attribute("value"))
    page.locator("#kind").select_option("special")
    page.get_by_role("button", name="Give the award").click()
    assert "is not ranked in this round" in page.get_by_role("alert").inner_text()
    check_a11y(page)
    shoot(page, "awards-reason-error-en")
    page.get_by_label("Reason for an exception").fill("The second juror was ill; the final jury read it.")
    page.locator("#entry").select_option(options.first.get_attribute("value"))
    page.locator("#kind").select_option("special")
    page.get_by_role("button", name="Give the award").click()
    page.get_by_text(re.compile("given to MTM-")).wait_for()
