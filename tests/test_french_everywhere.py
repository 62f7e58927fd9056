"""French with nothing left in English: every page each demo account reaches, rendered in French, holds no
English sentence that the same page holds in English.

For each demo account the pages are found by following links from the home page (GET, same site, HTML
only, a bounded number per account) with the account in English; then the same pages are read with the
account in French. A text (a text node, or an alt / title / aria-label / placeholder) that is on both
pages and has letters is English left in French, unless it is on the short allow-list: proper nouns and
codes, and what people wrote (pupils' work, names, the secretariat's own content in the demo).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from accounts.models import User
from core.db import db

ACCOUNTS = ("secretariat@example.org", "teacher@example.org", "teacher2@example.org", "juror@example.org",
            "juror2@example.org")
MAX_PAGES = 150  # per account
PER_SHAPE = 2  # pages of one kind (the same path but for its numbers and codes) read per account
SKIP = re.compile(r"^/(static/|logout|accounts/logout|language/)|/(file|download|export|receipt\.pdf)|\.(xlsx|csv|json|png|"
                  r"jpe?g|pdf|zip|ics|xml|txt)$")
# Words and phrases that are the same in both languages, proper nouns and codes.
ALLOW = {
    "More than migrants", "Intercultural Cities", "English", "Français", "Portuguese", "PDF", "JPEG", "PNG",
    "XLSX", "CSV", "JSON", "ZIP", "SVG", "OK", "Total", "Date", "Description", "Source", "Notes", "Code",
    "Version", "Portrait", "Impact", "Max", "Min", "Question", "Original", "Excellent", "Principal",
    "Menu", "Type", "Rang", "Email", "E-mail", "ISO", "UTC", "SHA-256", "k", "Info", "Contact",
    "Invitations", "Actions", "Active", "Classes", "Options", "Photos", "Illustration", "Illustrations", "pdf",
    "Expression", "Image", "Version 1", "Exports", "Jury", "1 page", "Suggestions", "Date limite", "Juin", "Public", "Rubrique", "Note", "Sections", "Page", "Pages", "Total",
    "#ICCities #Morethanmigrants #MigrantsDay", "portrait", "Photo", "Zoom",
}
CODE = re.compile(r"^[\W\d_]*$|^[A-Z0-9]{2,}[-A-Z0-9]*$|@|^https?://|^[\w.-]+\.(pdf|jpe?g|png|txt|docx|odt)$"
                  r"|^[A-Z][A-Za-z]+/[\w/ +-]+$|^sha256|^[0-9a-f]{16,}$|^\w+_$")
# CODE also skips what carries no language: numbers, references, emails, addresses, file names, time zones.


ENGLISH_NUMBER = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Texts(HTMLParser):
    """Visible text nodes and the attributes people read; links to follow."""

    ATTRS = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._foreign: list[list] = []  # [tag, depth] of an element marked with its own lang: someone's own words

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] += 1
        elif attrs.get("lang") and tag != "html" and tag not in VOID:
            self._foreign.append([tag, 1])
        if tag in ("script", "style", "template", "textarea"):  # a textarea holds what someone is writing
            self._skip += 1
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        for name in self.ATTRS:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "textarea") and self._skip:
            self._skip -= 1
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] -= 1
            if not self._foreign[-1][1]:
                self._foreign.pop()

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.texts.append(data)


def parse(html: str) -> Texts:
    parser = Texts()
    parser.feed(html)
    return parser


def normal(text: str) -> str:
    return " ".join(text.split()).strip(" ·—–:|()[]«»\"'.,;…")


def crawl_english(client) -> dict[str, str]:
    pages: dict[str, str] = {}
    queue, seen, shapes = ["/"], set(), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(url)
        shape = re.sub(r"/[A-Z0-9]{8,}(?=/|$)", "/@", re.sub(r"\d+", "#", urlsplit(url).path))
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > PER_SHAPE:
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers["Location"])
            if location.netloc in ("", "localhost", "127.0.0.1"):
                queue.append(location.path + (f"?{location.query}" if location.query else ""))
            continue
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        for link in parse(html).links:
            target = urlsplit(urljoin("http://localhost" + url, link))
            if target.netloc in ("localhost", "") and target.scheme in ("http", ""):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def written_by_people() -> set[str]:
    """What people wrote in the demo, which stays in the language they wrote it in: pupils' work and names,
    names of people, schools, classes, cities, and the secretariat's content that has no French version."""
    from babel import Locale

    from campaign.models import Submission
    from competition.models import City, Edition, Entry, Pupil, School, SchoolClass
    from judging.models import Award, Round, ScoreSet, ScoreValue

    found: set[str] = set()
    for entry in db.session.scalars(select(Entry)):
        found.update((entry.title, entry.reference))
        for text in (entry.text, entry.translation_text):
            found.update(line for line in (text or "").splitlines())
        for stored in entry.files:
            found.add(stored.original_name)
            found.update((stored.text or "").splitlines())
            found.update((stored.hidden_text or "").splitlines())  # what the file's own data says
            found.add(" ".join((stored.hidden_text or "").split()))
        found.add(" ".join(f"{entry.text} {entry.translation_text}".split()))
    for pupil in db.session.scalars(select(Pupil)):
        found.update((pupil.first_name, f"{pupil.first_name} {pupil.initial}"))
    found.update(u.name for u in db.session.scalars(select(User)))
    found.update(s.name for s in db.session.scalars(select(School)))
    found.update(c.name for c in db.session.scalars(select(SchoolClass)))
    found.update(c.name for c in db.session.scalars(select(City)))
    found.update(r.name for r in db.session.scalars(select(Round)))
    found.update(e.name for e in db.session.scalars(select(Edition)))
    for sub in db.session.scalars(select(Submission)):  # the cities' participants and officials, in their words
        found.update((sub.person_name, sub.person_title, f"{sub.person_name}, {sub.person_title}"))
        for text in (sub.text, sub.translation_text):
            found.update(line for line in (text or "").splitlines())
    found.update(a.note for a in db.session.scalars(select(Award)))  # the secretariat's reasons
    found.update(s.overall_comment for s in db.session.scalars(select(ScoreSet)))  # jurors' own words
    found.update(v.comment for v in db.session.scalars(select(ScoreValue)))
    # Names of countries that French writes as English does (Babel's own French names).
    english, french = Locale("en").territories, Locale("fr").territories
    found.update(name for code, name in french.items() if english.get(code) == name)
    return {normal(t) for t in found if t}


def only_allowed(text: str, allowed: set[str]) -> bool:
    """Is the text made of allowed pieces only ("Amira K., Yusuf A.", "Fittja skola (Botkyrka)")?"""
    for piece in sorted((a for a in allowed if len(a) > 1), key=len, reverse=True):
        if piece in text:
            text = text.replace(piece, " ")
    return not re.search(r"[A-Za-z]{2}", text)


def english_left(english: str, french: str, allowed: set[str]) -> list[str]:
    on_english = {normal(t) for t in parse(english).texts}
    left = []
    for text in parse(french).texts:
        text = normal(text)
        if (text in on_english and re.search(r"[A-Za-z]{2}", text) and text not in ALLOW
                and text not in allowed and not CODE.search(text)
                and not any(text in a for a in allowed if len(a) > 12) and not only_allowed(text, allowed)):
            left.append(text)
        elif ENGLISH_NUMBER.search(text) and not CODE.search(text) and not only_allowed(text, allowed):
            left.append(text)  # 0.83 where French writes 0,83
    return sorted(set(left))


@pytest.fixture()
def demo(app):
    from demo.build import load_demo

    load_demo("demo password for tests")
    db.session.commit()
    return written_by_people()


@pytest.mark.parametrize("email", ACCOUNTS)
def test_every_page_a_demo_account_reaches_is_in_french(app, demo, sign_in, email):
    user = db.session.scalar(select(User).where(User.email == email))
    user.language = "en"
    db.session.commit()
    client = sign_in(app.test_client(), user)
    pages = crawl_english(client)
    assert len(pages) >= 3, sorted(pages)
    user.language = "fr"
    db.session.commit()
    problems = {}
    for url, english in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        french = response.get_data(as_text=True)
        assert '<html lang="fr"' in french, url
        left = english_left(english, french, demo)
        if left:
            problems[url] = left
    assert not problems, "\n".join(f"{url}: {left}" for url, left in sorted(problems.items()))
