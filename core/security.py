"""Response headers, cookie security and safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths: no scheme, no host, no protocol-relative tricks."""
    if not target or not isinstance(target, str):
        return False
    if any(ch in target for ch in "\\\r\n\t\x00") or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _server_without_version(handler) -> str:
    return "Werkzeug"


def hide_server_versions() -> None:
    """The ``Server`` header names no versions.

    gunicorn (production) sends ``Server: gunicorn`` (no version since 20.1). Werkzeug's development server
    (``flask run``, ``make run``) sends ``Werkzeug/3.1.x Python/3.11.x``, and adds it after the app's own headers,
    so the app cannot replace it from a response (it would send two); ``flask run`` takes no request handler
    either. So its handler class is told to name itself only. Checked by ``tests/test_servers.py`` and, for
    gunicorn, ``tests/reliability/test_two_servers.py``.
    """
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = _server_without_version


def init_app(app) -> None:
    app.session_interface = SessionInterface()
    hide_server_versions()
    if app.config.get("TRUST_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.endpoint != "static" and not response.cache_control.public:
            # Pages may carry personal data: never keep them in a shared or browser cache. Only a view
            # that serves published material marks its response public (the results gallery).
            headers["Cache-Control"] = "no-store"
            headers.setdefault("Vary", "Cookie")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
