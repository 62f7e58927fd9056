"""Security plumbing: headers, CSRF, limits, error pages, cookies, default-deny access, health check."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Blueprint

from accounts.models import Role
from core.permissions import check_all_views_declared, public, roles_required, signed_in, undeclared_views

CSRF_EXPIRED = "Your form expired"

# (method, path) requests covering every kind of response: page, redirect, 4xx, 5xx, JSON, static file.
RESPONSES = [
    ("get", "/"),
    ("get", "/account/login"),
    ("get", "/account/settings"),  # 302 for an anonymous visitor
    ("get", "/no/such/page"),
    ("post", "/language"),  # 400: no CSRF token
    ("delete", "/"),  # 405
    ("get", "/healthz"),
    ("get", "/static/css/app.css"),
    ("get", "/boom"),  # 500, registered by the fixture below
]


@pytest.fixture()
def boom(app):
    """A view that fails, to see the 500 page."""

    @public
    def boom_view():
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", "boom", boom_view)
    return app


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def fill_rule(rule: str) -> str:
    """A concrete path for a URL rule: 1 for numbers, the first choice of any(), x otherwise."""
    rule = re.sub(r"<int:[^>]+>", "1", rule)
    rule = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule)
    return re.sub(r"<[^>]+>", "x", rule)


# Headers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", RESPONSES)
def test_every_response_has_the_security_headers(boom, client, method, path):
    response = getattr(client, method)(path)
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["default-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}


@pytest.mark.parametrize("method,path", [r for r in RESPONSES if not r[1].startswith("/static/")])
def test_pages_are_never_cached(boom, client, method, path):
    response = getattr(client, method)(path)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_have_no_inline_scripts_the_policy_would_block(client):
    html = client.get("/account/login").get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")


# CSRF and request size ---------------------------------------------------------------------------

def test_every_post_route_refuses_a_form_without_csrf_token(app, client):
    posts = sorted(
        fill_rule(rule.rule) for rule in app.url_map.iter_rules() if "POST" in rule.methods
    )
    assert "/account/login" in posts and "/account/logout" in posts
    for path in posts:
        response = client.post(path, data={"email": "teacher@example.org", "password": "x" * 20})
        assert response.status_code == 400, path
        html = response.get_data(as_text=True)
        assert CSRF_EXPIRED in html, path
        assert "Go back, reload the page, and send the form again." in html


def test_a_csrf_token_from_another_session_is_refused(app, client, csrf):
    token = csrf()
    other = app.test_client()
    response = other.post("/language", data={"lang": "fr", "csrf_token": token})
    assert response.status_code == 400
    assert CSRF_EXPIRED in response.get_data(as_text=True)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_over_the_size_limit_gets_the_413_page(app, client, content_type):
    body = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/login", data=body, content_type=content_type)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That upload is too large" in html
    assert "Each file can be at most 20 MB." in html


# Error pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/no/such/page", "/account/nothing-here", "/static/missing.css"])
def test_unknown_address_gets_the_404_page_in_english(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Page not found" in html


def test_unknown_address_gets_the_404_page_in_the_users_language(client, make_user, sign_in):
    sign_in(client, make_user(language="fr"))
    response = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert '<html lang="fr">' in response.get_data(as_text=True)


def test_unknown_address_gets_the_404_page_in_the_browsers_language(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in response.get_data(as_text=True)


def test_a_bug_gets_the_friendly_500_page_without_details(boom, client):
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert "a bug" not in html and "Traceback" not in html


# Session cookie ----------------------------------------------------------------------------------

def session_cookie_header(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return header


@pytest.mark.parametrize("base_url,secure", [("http://localhost", False), ("https://localhost", True)])
def test_session_cookie_flags(client, base_url, secure):
    header = session_cookie_header(client.get("/", base_url=base_url))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Lax"
    assert ("secure" in attributes) is secure


# Access: who may open what -----------------------------------------------------------------------

EVERYONE = "everyone"
SIGNED_IN = "signed-in"
ACCESS = {
    "/": EVERYONE,
    "/account/login": EVERYONE,
    "/account/signup": EVERYONE,
    "/account/forgot": EVERYONE,
    "/account/check-email": EVERYONE,
    "/healthz": EVERYONE,
    "/account/settings": SIGNED_IN,
    "/account/invitations": {Role.SECRETARIAT},
}
ROLES = [None, Role.TEACHER, Role.JUROR, Role.SECRETARIAT, Role.COORDINATOR]


@pytest.mark.parametrize("path", list(ACCESS))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_access_matrix(client, make_user, sign_in, role, path):
    if role is not None:
        sign_in(client, make_user(roles=(role,)))
    rule = ACCESS[path]
    response = client.get(path)

    if rule == EVERYONE or (role is not None and (rule == SIGNED_IN or role in rule)):
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302
        assert response.location == "/account/login?next=" + quote(path, safe="")
    else:
        assert response.status_code == 404  # existence does not leak: no 403
        assert "Page not found" in response.get_data(as_text=True)


def test_access_matrix_covers_every_page_of_the_foundation(app):
    """A new page in core or accounts must be added to the matrix above (token links are tested elsewhere)."""
    pages = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint.split(".")[0] in {"core", "accounts"} and not rule.arguments
    }
    assert pages <= set(ACCESS), pages - set(ACCESS)


# Default deny ------------------------------------------------------------------------------------

def test_the_application_declares_a_rule_on_every_view(app):
    assert undeclared_views(app) == []
    check_all_views_declared(app)


def _undeclared(bp):
    @bp.get("/undeclared")
    def undeclared():
        return "secret page"


def _signed_in_above_route(bp):
    @signed_in
    @bp.get("/undeclared")
    def undeclared():  # the route already holds the bare function when signed_in wraps it
        return "secret page"


def _roles_above_route(bp):
    @roles_required(Role.SECRETARIAT)
    @bp.get("/undeclared")
    def undeclared():
        return "secret page"


@pytest.mark.parametrize(
    "define", [_undeclared, _signed_in_above_route, _roles_above_route],
    ids=["no-rule", "signed-in-above-route", "roles-above-route"],
)
def test_a_view_without_an_access_rule_is_refused_at_start_and_at_request(app, client, define):
    bp = Blueprint("extra", __name__, url_prefix="/extra")
    define(bp)
    app.register_blueprint(bp)

    with pytest.raises(RuntimeError, match=r"extra\.undeclared"):
        check_all_views_declared(app)

    response = client.get("/extra/undeclared")
    assert response.status_code == 404
    assert "secret page" not in response.get_data(as_text=True)


def test_a_view_added_to_the_app_after_start_up_is_not_reachable(app, client):
    app.add_url_rule("/late", "late", lambda: "secret page")
    response = client.get("/late")
    assert response.status_code == 404
    assert "secret page" not in response.get_data(as_text=True)


def test_a_declared_view_added_after_start_up_is_reachable(app, client):
    app.add_url_rule("/late", "late", public(lambda: "public page"))
    assert client.get("/late").get_data(as_text=True) == "public page"


# Health check ------------------------------------------------------------------------------------

def test_health_check_reports_database_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_health_check_fails_when_storage_is_not_writable(app, client, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "storage": "error"}
