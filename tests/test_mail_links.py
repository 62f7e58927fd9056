"""Every mail sender, asked with a forged host: links in mail come from PUBLIC_BASE_URL, never from the request.

Each sender is requested three ways, with the session and CSRF token of a user allowed to use it:

1. with a forged ``Host`` header,
2. with a forged ``X-Forwarded-Host`` (the app runs behind ``TRUST_PROXY`` here, which trusts that header),
3. as it should be, through ``alias.example.org``: a host the app answers (``TRUSTED_HOSTS``) but not the public one.

The first two get the 400 page and send nothing. The third sends its mail, and every address in it is on
``PUBLIC_BASE_URL``, not on the host the request came through.
"""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from tests.access_matrix_world import S, T, build_world
from tests.clients import TEST_PASSWORD, csrf_token_of

PUBLIC = "https://competition.example.org"
ALIAS = "alias.example.org"
FORGED = "evil.example"
pytestmark = pytest.mark.app_config(PUBLIC_BASE_URL=PUBLIC, TRUSTED_HOSTS=ALIAS, TRUST_PROXY=True)
ADDRESS = re.compile(r"https?://[^\s<>\"')]+")
NEW_PASSWORD = "a brand new long passphrase"


def _new_draft(world):
    """A poem draft, ready to submit, in the teacher's class (open: its deadline was extended)."""
    from competition.models import Entry, SchoolClass
    from core.db import db

    school_class = db.session.get(SchoolClass, world.class_a)
    category = next(c for c in school_class.edition.categories
                    if c.discipline == "essay" and c.age_group == school_class.age_group)
    entry = Entry(school_class=school_class, category=category, title="Bridges", language="en",
                  text="A bridge has two banks.\nI stand on both.", consent_judging=True, whole_class=True)
    db.session.add(entry)
    db.session.commit()
    return entry.id


def _new_submitted_entry(world):
    """A submitted entry no juror has yet, in the other teacher's class, for the next assignment."""
    from competition.models import Entry, SchoolClass
    from core.db import db, utcnow

    school_class = db.session.get(SchoolClass, world.class_b)
    category = next(c for c in school_class.edition.categories
                    if c.discipline == "poem" and c.age_group == school_class.age_group)
    db.session.add(Entry(school_class=school_class, category=category, title="Deux rives", language="fr",
                         text="Je suis deux rives.", consent_judging=True, whole_class=True, status="submitted",
                         submitted_at=utcnow() - timedelta(days=4)))
    db.session.commit()


def _unconfirmed(make_user):
    make_user("late@example.org", name="Lea Late", confirmed=False)


def _email_change_token(world):
    from accounts import tokens
    from accounts.models import TokenPurpose, User
    from core.db import db

    teacher = db.session.get(User, world.user_ids[T])
    raw = tokens.issue(TokenPurpose.CHANGE_EMAIL, timedelta(hours=1), user=teacher, email="tina.new@example.org")
    db.session.commit()
    return raw


def _in_two_days() -> str:
    from core.db import utcnow

    return (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


# name: (role or None, method, url (may use the world and what setup returned), form, recipient, subject, has links)
SENDERS = {
    "forgot-password": (None, "/account/forgot", lambda w, s: {"email": "teacher@example.org"},
                        "teacher@example.org", "Reset your password", True),
    "signup": (None, "/account/signup",
               lambda w, s: {"name": "Nadia New", "email": "nadia@example.org", "password": NEW_PASSWORD,
                             "confirm": NEW_PASSWORD, "language": "en", "timezone": "Europe/Paris"},
               "nadia@example.org", "Confirm your email address", True),
    "signup-already-registered": (None, "/account/signup",
                                  lambda w, s: {"name": "Tina Again", "email": "teacher@example.org",
                                                "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "language": "en",
                                                "timezone": "Europe/Paris"},
                                  "teacher@example.org", "You already have an account", True),
    "login-unconfirmed": (None, "/account/login", lambda w, s: {"email": "late@example.org", "password": TEST_PASSWORD},
                          "late@example.org", "Confirm your email address", True),
    "invitation": (S, "/account/invitations",
                   lambda w, s: {"email": "new.juror@example.org", "roles": ["juror"], "language": "en"},
                   "new.juror@example.org", 'You are invited to the "More than migrants" school competition', True),
    "change-email": (T, "/account/settings/email",
                     lambda w, s: {"email-email": "tina.new@example.org", "email-current_password": TEST_PASSWORD},
                     "tina.new@example.org", "Confirm your new email address", True),
    "email-changed": (None, lambda w, s: f"/account/email/{s}", lambda w, s: {},
                      "teacher@example.org", "Your email address was changed", False),
    "password-changed": (T, "/account/settings/password",
                         lambda w, s: {"password-current_password": TEST_PASSWORD, "password-password": NEW_PASSWORD,
                                       "password-confirm": NEW_PASSWORD},
                         "teacher@example.org", "Your password was changed", False),
    "entry-receipt": (T, lambda w, s: f"/competition/entries/{s}/submit", lambda w, s: {},
                      "teacher@example.org", "Receipt for your entry", True),
    "disqualification": (S, lambda w, s: f"/competition/entries/{w.entry_b1}/disqualify",
                         lambda w, s: {"reason": "Copied from a book"},
                         "teacher2@example.org", "has been disqualified", False),
    "deadline-extension": (S, lambda w, s: f"/competition/classes/{w.class_b}/extension",
                           lambda w, s: {"until": _in_two_days()},
                           "teacher2@example.org", "More time for class", False),
    "juror-assignment": (S, lambda w, s: f"/judging/rounds/{w.round1}/assign", lambda w, s: {},
                         "juror2@example.org", "Entries to score in round 1", True),
    "juror-reminder": (S, lambda w, s: f"/judging/rounds/{w.round1}/remind", lambda w, s: {"juror": ""},
                       "juror2@example.org", "Reminder:", True),
}
SETUP = {
    "login-unconfirmed": lambda w, make_user: _unconfirmed(make_user),
    "email-changed": lambda w, make_user: _email_change_token(w),
    "entry-receipt": lambda w, make_user: _new_draft(w),
    "juror-assignment": lambda w, make_user: _new_submitted_entry(w),
}


def _post(app, client, url, form, headers):
    """POST ``form`` with ``client``'s session cookie and CSRF token, whatever host the headers name (the test
    client would otherwise keep the cookie for its own host)."""
    token = csrf_token_of(client)
    cookie = client.get_cookie("session")
    headers = dict(headers, Cookie=f"session={cookie.value}") if cookie else dict(headers)
    return app.test_client(use_cookies=False).post(url, data={"csrf_token": token, **form}, headers=headers)


@pytest.mark.parametrize("sender", SENDERS)
def test_a_forged_host_sends_nothing_and_mailed_links_use_the_public_address(sender, app, make_user, sign_in, outbox):
    role, url, form, recipient, subject, has_links = SENDERS[sender]
    world = build_world(make_user)
    prepared = SETUP[sender](world, make_user) if sender in SETUP else None
    url = url(world, prepared) if callable(url) else url
    form = form(world, prepared)
    client = app.test_client()
    if role is not None:
        sign_in(client, SimpleNamespace(alternative_id=world.users[role]))
    before = len(outbox())

    for header in ("Host", "X-Forwarded-Host"):
        refused = _post(app, client, url, form, {header: FORGED})
        assert refused.status_code == 400, (header, refused.status_code)
        page = refused.get_data(as_text=True)
        assert "This site has another address" in page and FORGED not in page
        assert len(outbox()) == before, f"a request with a forged {header} sent mail"

    done = _post(app, client, url, form, {"X-Forwarded-Host": ALIAS})
    assert done.status_code in (200, 302), done.get_data(as_text=True)[:2000]
    sent = outbox()[before:]
    assert [m["To"] for m in sent] == [recipient], [m["Subject"] for m in sent]
    assert subject in sent[0]["Subject"]
    body = sent[0].get_body(("plain",)).get_content()
    addresses = ADDRESS.findall(body)
    assert bool(addresses) is has_links, addresses
    for address in addresses:
        assert address.startswith(PUBLIC + "/"), f"{address} is not on {PUBLIC}"
    assert ALIAS not in body and "localhost" not in body and FORGED not in body
