"""Test clients and what they send and read: the test users' password, the client that gives each request its
own application context, CSRF tokens, form posts and the links in mails. Shared by every test folder (the
fixtures that use them are in tests/conftest.py and tests/fixtures.py)."""
from __future__ import annotations

import contextvars
import re
from functools import cache

from flask.testing import FlaskClient

TEST_PASSWORD = "correct horse battery staple"


class RequestIsolatedClient(FlaskClient):
    """A test client whose every request gets its own application context, as in production.

    The ``app`` fixture keeps an app context pushed for the test body. Without this
    class each request would reuse it, so ``g`` (Flask-Login's current user,
    Flask-WTF's CSRF token, Babel's locale) and the database session would leak
    from one request, and one client, to the next: an anonymous client would see
    the pages of whoever logged in before it, and a view that forgot to commit
    would look as if it had saved. Objects the test body loaded before a request
    may be stale after it: use ``db.session.expire_all()`` or load them again.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@cache
def cached_hash(password: str) -> str:
    from accounts.passwords import hash_password

    return hash_password(password)


def csrf_token_of(client) -> str:
    """A CSRF token bound to ``client``'s session, read from the home page the way a browser would."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the home page"
    return match.group(1)


CSRF_VALUE = re.compile(r'(name="(?:[a-z]+-)?csrf_token"[^>]*value=")[^"]*(")')


def without_tokens(html: str) -> str:
    """``html`` with CSRF token values blanked: random base64 can spell a short name such as "6B" by chance."""
    return CSRF_VALUE.sub(r"\1\2", html)


def form_post(client, url, data=None, **kwargs):
    """POST a form from ``client`` with its session's CSRF token (for tests with several clients)."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token_of(client))
    return client.post(url, data=data, **kwargs)


def link_in(message, path_prefix: str) -> str:
    """Return the path of the first link in an email body that starts with ``path_prefix``."""
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", body)
    assert match, f"no {path_prefix} link in: {body}"
    return match.group(1)


def client_for(app, email):
    """A client logged in as ``email`` through the login form; its form token is ``client.token``."""
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/account/login", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # The session is renewed at login, so the form token is too.
    client.token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    return client
