"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""
from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest
from jinja2 import BytecodeCache

from app import create_app
from core.db import db
from tests.clients import TEST_PASSWORD, RequestIsolatedClient, cached_hash, csrf_token_of

try:  # property tests: no per-example wall-clock deadline (tests never assert times; CI machines are loaded)
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("project", deadline=None)
    _hypothesis_settings.load_profile("project")
except ImportError:  # pragma: no cover - hypothesis is a test extra
    pass

# Fixtures and helpers shared by several test folders.
pytest_plugins = ["tests.fixtures"]


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return url or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory.mktemp("db"))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    own_database = None
    if worker and url.startswith("postgresql"):
        # Parallel workers (pytest -n) each get a database of their own on the same server.
        from tests.pg_database import create_database, url_for_database

        own_database = create_database(f"mtm_{worker}")
        url = url_for_database(own_database)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path_factory.mktemp("schema"))})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield url
    if own_database:
        from tests.pg_database import drop_database

        drop_database(own_database)


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


# Every app built by create_app has the same Jinja settings, so the session's apps can share compiled
# templates (most of the cost of a fresh app per test). Jinja checks each template's source checksum
# before reusing its bytecode, so an edited template is compiled again.
_TEMPLATE_BYTECODE = _MemoryBytecodeCache()


def _memoize_url_builders() -> None:
    """Build each URL rule's ``url_for`` function once per test session, not once per app.

    Werkzeug compiles a Python function (``ast`` + ``compile``) for every rule of every new app: about
    two thirds of ``create_app``, which each test calls. The function depends only on the rule's text,
    its parsed parts and its defaults (the rule and its converters reach it as the ``.self`` argument),
    so apps with the same rules can share it. Rules whose defaults fill a part of the path go through a
    converter at compile time and are compiled as usual.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    builders: dict = {}

    def _compile_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        if any(dynamic and part in defaults for dynamic, part in self._trace):
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(self._trace), tuple(sorted(defaults)), append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = _compile_builder


_memoize_url_builders()


@pytest.fixture()
def app(database_url, tmp_path, request):
    """The app on the session's database. ``@pytest.mark.app_config(NAME=value)`` adds settings (PUBLIC_BASE_URL...)."""
    marker = request.node.get_closest_marker("app_config")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SERVER_NAME": "localhost",
            **(marker.kwargs if marker else {}),
        }
    )
    app.test_client_class = RequestIsolatedClient
    app.jinja_env.bytecode_cache = _TEMPLATE_BYTECODE  # compile each template once per test session
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        from demo.cli import wipe_all_data

        wipe_all_data()
        db.session.commit()
        db.session.remove()
        from core.extensions import limiter

        limiter.reset()
        # Each test's app has its own engine and pool: close its connections, or PostgreSQL runs out of them.
        db.engine.dispose()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def csrf(client):
    """Return a CSRF token bound to the client's session."""

    def token() -> str:
        return csrf_token_of(client)

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
def make_user(app, monkeypatch):
    """Create a committed user. The argon2 hash is real, but computed once per password and session."""
    import accounts.operations
    from accounts.models import Role
    from accounts.operations import create_user

    def _make(email="teacher@example.org", roles=(Role.TEACHER,), name="Tina Teacher", password=TEST_PASSWORD,
              confirmed=True, language="en", timezone="Europe/Paris"):
        with monkeypatch.context() as patch:
            patch.setattr(accounts.operations, "hash_password", cached_hash)
            user = create_user(name, email, password, list(roles), language=language, timezone=timezone,
                               confirmed=confirmed)
        db.session.commit()
        return user

    return _make


@pytest.fixture()
def sign_in(app):
    """Give a client a logged-in session without the password check (argon2) of the login form.

    For tests that are not about logging in: the session holds what ``login_user`` puts there.
    """

    def _sign_in(client, user):
        with client.session_transaction() as sess:
            sess["_user_id"] = user.alternative_id
            sess["_fresh"] = True
        return client

    return _sign_in


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


@pytest.fixture(scope="session")
def weed(tmp_path_factory):
    """A real S3 server (SeaweedFS ``weed mini`` on loopback, free ports), started once per session on first use;
    skipped when ``weed`` is missing, unless REQUIRE_S3=1 (tests/s3_server.py)."""
    from tests.s3_server import start_weed

    server = start_weed(tmp_path_factory.mktemp("weed"))
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(items):
    """Mark ``s3`` every test that runs on the S3 server (``-m s3`` runs them alone, ``-m "not s3"`` skips them)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_s3 = callspec is not None and any(isinstance(v, str) and v == "s3" for v in callspec.params.values())
        if on_s3 or "weed" in item.fixturenames:
            item.add_marker(pytest.mark.s3)
