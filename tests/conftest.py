"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""
from __future__ import annotations

import email
import email.policy
import os
import re
from pathlib import Path

import pytest

from app import create_app
from core.db import db

TEST_PASSWORD = "correct horse battery staple"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return url or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    app = create_app({"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path_factory.mktemp("schema"))})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture()
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        from core.cli import wipe_all_data

        wipe_all_data()
        db.session.commit()
        db.session.remove()
        from core.extensions import limiter

        limiter.reset()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def csrf(client):
    """Return a CSRF token bound to the client's session."""

    def token() -> str:
        page = client.get("/").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the home page"
        return match.group(1)

    return token


@pytest.fixture()
def post(client, csrf):
    """POST a form the way a browser would: with the session's CSRF token."""

    def _post(url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf())
        return client.post(url, data=data, **kwargs)

    return _post


@pytest.fixture()
def make_user(app):
    from accounts.models import Role
    from accounts.operations import create_user

    def _make(email="teacher@example.org", roles=(Role.TEACHER,), name="Tina Teacher", password=TEST_PASSWORD,
              confirmed=True, language="en", timezone="Europe/Paris"):
        user = create_user(name, email, password, list(roles), language=language, timezone=timezone, confirmed=confirmed)
        db.session.commit()
        return user

    return _make


@pytest.fixture()
def login(client, post):
    def _login(email="teacher@example.org", password=TEST_PASSWORD):
        response = post("/account/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return _login


@pytest.fixture()
def outbox(app):
    """The messages written to the outbox folder, oldest first, parsed."""

    def _read():
        folder = Path(app.config["MAIL_OUTBOX"])
        if not folder.exists():
            return []
        files = sorted(folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]

    return _read


def link_in(message, path_prefix: str) -> str:
    """Return the path of the first link in an email body that starts with ``path_prefix``."""
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", body)
    assert match, f"no {path_prefix} link in: {body}"
    return match.group(1)
