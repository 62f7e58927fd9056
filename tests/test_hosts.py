"""The hosts the app answers, its public address and its start-up refusals (issue 9, point 7).

Every mail sender is tried with forged hosts in ``tests/test_mail_links.py``; gunicorn and the development
server are started for real in ``tests/test_server_header.py`` and ``tests/reliability/test_two_servers.py``.
"""
from __future__ import annotations

import copy
import http.client
import logging
import re
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from core.config import ConfigurationError
from core.db import db

PUBLIC = "https://competition.example.org"
FORGED = "evil.example"


@pytest.fixture()
def build(database_url, tmp_path, monkeypatch):
    """``create_app`` as a server would call it: not TESTING, with nothing from this shell's environment."""
    for name in ("APP_ENV", "PUBLIC_BASE_URL", "TRUSTED_HOSTS", "TRUST_PROXY", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    # A server's app sends request logs to stderr and stops them propagating (core/logs.py): undo that afterwards,
    # or later tests in this process would no longer capture them.
    request_log = logging.getLogger("app.request")
    for attribute in ("handlers", "propagate", "level"):
        monkeypatch.setattr(request_log, attribute, copy.copy(getattr(request_log, attribute)))
    built = []

    def _build(**settings):
        app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "instance"), **settings})
        built.append(app)
        return app

    yield _build
    for app in built:
        with app.app_context():
            db.engine.dispose()


# Start-up -------------------------------------------------------------------------------------------

def test_production_refuses_to_start_without_a_public_address(build):
    with pytest.raises(ConfigurationError) as refused:
        build()  # APP_ENV is production unless said otherwise
    message = str(refused.value)
    assert "PUBLIC_BASE_URL is not set" in message and "APP_ENV=development" in message


def test_production_refuses_to_start_without_a_public_address_set_from_the_environment(build, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("PUBLIC_BASE_URL", "   ")
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL is not set"):
        build()


@pytest.mark.parametrize("value", ["competition.example.org", "ftp://competition.example.org", "https://",
                                   "https://competition.example.org/?next=1", "https://user@competition.example.org",
                                   "https://competition.example.org/#top", "javascript:alert(1)"])
def test_a_public_address_that_is_not_one_is_refused_at_start(build, value):
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL must be the address"):
        build(PUBLIC_BASE_URL=value)
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL must be the address"):
        build(PUBLIC_BASE_URL=value, APP_ENV="development")


@pytest.mark.parametrize("value", ["prod", "staging", "dev"])
def test_an_unknown_app_env_is_refused_at_start(build, value):
    with pytest.raises(ConfigurationError, match="APP_ENV must be 'production' or 'development'"):
        build(APP_ENV=value, PUBLIC_BASE_URL=PUBLIC)


@pytest.mark.parametrize("settings", [{"APP_ENV": "development"}, {"APP_ENV": "Development"}, {"DEBUG": True},
                                      {"TESTING": True}], ids=["app-env", "app-env-capitalised", "debug", "testing"])
def test_development_debug_and_tests_start_without_a_public_address_and_answer_on_loopback(build, settings):
    app = build(**settings)
    assert app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]
    client = app.test_client()
    assert client.get("/healthz", base_url="http://127.0.0.1:5000").status_code == 200
    assert client.get("/healthz", base_url="http://localhost:5000").status_code == 200
    assert client.get("/healthz", base_url=f"http://{FORGED}").status_code == 400


def test_production_answers_on_the_public_host_only(build):
    app = build(PUBLIC_BASE_URL=PUBLIC + "/")
    assert app.config["PUBLIC_BASE_URL"] == PUBLIC
    assert app.config["TRUSTED_HOSTS"] == ["competition.example.org"]
    client = app.test_client()
    assert client.get("/healthz", base_url=PUBLIC).status_code == 200
    for host in ("localhost", "127.0.0.1", FORGED, "competition.example.org.evil.example"):
        assert client.get("/healthz", base_url=f"http://{host}").status_code == 400, host


def test_more_trusted_hosts_can_be_named_for_health_checks(build, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", " 10.0.0.11, Backend.example.org ,")
    app = build(PUBLIC_BASE_URL=PUBLIC)
    assert app.config["TRUSTED_HOSTS"] == ["competition.example.org", "10.0.0.11", "backend.example.org"]
    client = app.test_client()
    assert client.get("/healthz", base_url="http://10.0.0.11:8000").status_code == 200
    assert client.get("/healthz", base_url=f"http://{FORGED}").status_code == 400


# The 400 page ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("language,title,message", [
    ("en", "This site has another address", "This site answers only at http://127.0.0.1. Check the address"),
    ("fr", "Ce site a une autre adresse", "Ce site ne répond qu’à l’adresse http://127.0.0.1. Vérifiez"),
])
def test_a_forged_host_gets_the_styled_400_page_in_the_users_language(client, language, title, message):
    response = client.get("/account/login", headers={"Host": FORGED, "Accept-Language": language})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page and title in page and message in page
    assert '<a class="button" href="http://127.0.0.1/">' in page  # the public address (here, in the tests)
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page
    assert FORGED not in page and FORGED not in str(response.headers)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_400_page_on_a_forged_host_names_the_configured_public_address(build):
    app = build(PUBLIC_BASE_URL=PUBLIC)
    page = app.test_client().get("/", base_url=f"http://{FORGED}").get_data(as_text=True)
    assert f"This site answers only at {PUBLIC}." in page and f'href="{PUBLIC}/"' in page


def test_the_400_page_is_styled_on_a_forged_host_but_serves_no_other_file(client):
    """Its style sheet, script and icon are requested on the same (refused) host: they are served."""
    css = client.get("/static/css/app.css", headers={"Host": FORGED})
    assert css.status_code == 200 and css.mimetype == "text/css"
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/nothing.css", "/app.py"):
        assert client.get(path, headers={"Host": FORGED}).status_code == 400, path
    assert client.post("/static/css/app.css", headers={"Host": FORGED}).status_code == 400


@pytest.mark.parametrize("host", [FORGED, f"{FORGED}:443", "localhost.evil.example", "localhost@evil.example",
                                  "", "[::1]"])
def test_any_host_but_the_trusted_ones_is_refused(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 400


def test_a_post_with_a_forged_host_is_refused_before_the_form_is_read(client, make_user, outbox):
    make_user()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account/forgot").get_data(as_text=True))[1]
    response = client.post("/account/forgot", data={"email": "teacher@example.org", "csrf_token": token},
                           headers={"Host": FORGED})
    assert response.status_code == 400
    assert "Your form expired" not in response.get_data(as_text=True)  # refused for its host, not its token
    assert outbox() == []


# Behind a proxy -------------------------------------------------------------------------------------

@pytest.mark.parametrize("forwarded,status", [(FORGED, 400), ("competition.example.org", 200),
                                              (f"{FORGED}, competition.example.org", 200),
                                              (f"competition.example.org, {FORGED}", 400)])
def test_behind_trust_proxy_the_forwarded_host_is_checked_too(build, forwarded, status):
    """ProxyFix believes the last X-Forwarded-Host (the one our proxy added); it must be a trusted host."""
    app = build(PUBLIC_BASE_URL=PUBLIC, TRUST_PROXY="1")
    response = app.test_client().get("/healthz", base_url=PUBLIC, headers={"X-Forwarded-Host": forwarded})
    assert response.status_code == status


def test_without_trust_proxy_the_forwarded_host_is_ignored(build):
    app = build(PUBLIC_BASE_URL=PUBLIC)
    response = app.test_client().get("/healthz", base_url=PUBLIC, headers={"X-Forwarded-Host": FORGED})
    assert response.status_code == 200


# Links outside production ---------------------------------------------------------------------------

def test_without_a_public_address_links_go_to_the_loopback_address_and_the_port_served(app, make_user, outbox):
    """A development server: the reset link names 127.0.0.1 and the port the server listens on, whatever the
    (trusted) Host header said."""
    make_user()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/account/forgot", headers={"Host": "localhost"})
        response = conn.getresponse()
        page, cookie = response.read().decode(), response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        conn.request("POST", "/account/forgot", body=f"email=teacher%40example.org&csrf_token={token}",
                     headers={"Host": "localhost", "Cookie": cookie,
                              "Content-Type": "application/x-www-form-urlencoded"})
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        server.shutdown()
        thread.join(5)
    [message] = outbox()
    body = message.get_body(("plain",)).get_content()
    assert re.search(rf"http://127\.0\.0\.1:{port}/account/reset/\S+", body), body
    assert "localhost" not in body


def test_links_outside_a_request_use_the_public_address(build):
    from core.hosts import public_url

    app = build(PUBLIC_BASE_URL=PUBLIC + "/competition")
    with app.app_context():
        assert public_url("accounts.login") == PUBLIC + "/competition/account/login"
    dev = build(APP_ENV="development")
    with dev.app_context():
        assert public_url("accounts.reset_password", token="t") == "http://127.0.0.1:5000/account/reset/t"
