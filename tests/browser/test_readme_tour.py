"""The README's "A short tour", step by step as written, in English and French, at 1280 px and 360 px, with axe.

Labels are the English msgids of the README, translated with the app's own French catalogue, so the test reads
the same steps in both languages. At 360 px every page is checked for sideways scrolling.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.support import Translations

from tests.browser.screens import DESKTOP, PHONE

FRENCH = Translations.load(str(Path(__file__).resolve().parents[2] / "translations"), ["fr"])


class Tour:
    def __init__(self, page, server, password, language, check_a11y):
        self.page, self.server, self.password, self.language = page, server, password, language
        self.check_a11y = check_a11y

    def _(self, text: str) -> str:
        return FRENCH.gettext(text) if self.language == "fr" else text

    def n_(self, singular: str, plural: str, n: int) -> str:
        chosen = FRENCH.ngettext(singular, plural, n) if self.language == "fr" else (singular if n == 1 else plural)
        return chosen % {"num": n}

    def check(self):
        self.check_a11y(self.page)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{self.page.url} scrolls sideways by {overflow}px"

    def log_in(self, email):
        page = self.page
        page.goto(self.server.url + "/account/login")
        here = FRENCH.gettext if page.locator("html").get_attribute("lang") == "fr" else str
        page.get_by_label(here("Email address")).fill(email)
        page.get_by_label(here("Password"), exact=True).fill(self.password)
        page.get_by_role("button", name=here("Log in"), exact=True).click()
        page.get_by_role("button", name="Log out" if page.locator("html").get_attribute("lang") == "en"
                         else FRENCH.gettext("Log out")).first.wait_for(state="attached")
        if page.locator("html").get_attribute("lang") != self.language:  # the switch is on every page
            page.get_by_role("button", name="Français" if self.language == "fr" else "English").click()
            page.wait_for_function(f"document.documentElement.lang === '{self.language}'")

    def nav(self, label):
        page = self.page
        menu = page.get_by_role("navigation", name=self._("Main"))
        toggle = page.locator(".nav-toggle")  # a phone may fold the menu behind a button
        if toggle.count() and toggle.first.is_visible():
            toggle.first.click()
        menu.get_by_role("link", name=self._(label), exact=True).click()

    def log_out(self):
        self.page.get_by_role("button", name=self._("Log out")).first.click()


@pytest.fixture()
def tour_page(browser, request):
    language, size = request.param
    context = browser.new_context(viewport=size, locale="fr-FR" if language == "fr" else "en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield language, page
    context.close()


@pytest.mark.parametrize("tour_page", [("en", DESKTOP), ("en", PHONE), ("fr", DESKTOP), ("fr", PHONE)],
                         indirect=True, ids=["en-1280", "en-360", "fr-1280", "fr-360"])
def test_the_readme_tour(server, demo, tour_page, check_a11y):
    language, page = tour_page
    tour = Tour(page, server, demo, language, check_a11y)
    _ = tour._

    # 1. Teacher: classes 6B and 3A with the deadline and a countdown; Register a class; Add an entry.
    tour.log_in("teacher@example.org")
    tour.nav("Your classes")
    page.get_by_role("heading", name=_("Your classes"), level=1).wait_for()
    main = page.inner_text("main")
    assert "6B" in main and "3A" in main
    tour.check()
    page.get_by_role("main").get_by_role("link", name=re.compile("6B")).first.click()
    page.get_by_role("link", name=_("Add an entry")).first.wait_for()
    tour.check()
    tour.nav("Your classes")
    page.get_by_role("link", name=_("Register a class")).first.click()
    page.get_by_role("heading", name=_("Which city is your school in?")).wait_for()  # registration is open
    tour.check()
    tour.log_out()

    # 2. Juror: entries under codes only, some scored, three not started and two drafts; Submit scores asks first.
    tour.log_in("juror@example.org")
    tour.nav("Judging")
    page.get_by_role("heading", name=_("Your entries to score")).wait_for()
    listing = page.inner_text("main")
    assert listing.count(_("Not started")) >= 3 and listing.count(_("Draft")) >= 2
    tour.check()
    page.locator("main a[href^='/judging/entries/']").first.click()
    page.get_by_role("button", name=_("Submit scores")).wait_for()
    tour.check()
    tour.log_out()

    # 3. Secretariat: Round 1 -> Close the round shows what is unfinished, with counts; Cancel.
    tour.log_in("secretariat@example.org")
    tour.nav("Judging")
    page.get_by_role("link", name=re.compile(r"^(Round|Tour) 1$")).first.click()
    page.get_by_role("link", name=_("Close the round")).click()
    facts = page.get_by_role("list", name=_("What will happen")).inner_text()
    assert tour.n_("%(num)d score set not started", "%(num)d score sets not started", 3) in facts
    assert tour.n_("%(num)d draft", "%(num)d drafts", 5) in facts
    tour.check()
    page.get_by_role("link", name=_("Cancel, go back")).click()

    # Exports -> last year's edition (judged and published) -> Take the results off the public page asks first.
    tour.nav("Judging")
    page.get_by_role("navigation", name=_("Judging")).get_by_role("link", name=_("Exports")).click()
    page.get_by_role("link", name=re.compile(r"^More than migrants \d{4}$")).click()
    page.get_by_role("link", name=_("Download CSV")).wait_for()
    tour.check()
    page.get_by_role("link", name=_("Take the results off the public page")).click()
    page.get_by_role("list", name=_("What will happen")).wait_for()
    tour.check()
    page.get_by_role("link", name=_("Cancel, go back")).click()

    # Results, the public page: last year's winners.
    tour.nav("Results")
    assert page.locator(".gallery-item").count() >= 1
    tour.check()

    # Editions -> last year's -> Remove personal data: possible (published), confirmed by your password.
    tour.nav("Editions")
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^More than migrants \d{4}$")).click()
    page.get_by_role("link", name=_("Remove personal data")).click()
    page.get_by_label(_("Your password")).wait_for()
    tour.check()
