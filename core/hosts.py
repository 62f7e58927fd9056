"""The app's own address: links that leave the app, and the ``Host`` headers it answers.

* Every link in a mail (and in a published export) is built by ``public_url`` from ``PUBLIC_BASE_URL``, never from
  the request: a request sent with a forged ``Host`` (or ``X-Forwarded-Host`` behind ``TRUST_PROXY``) cannot
  put its host in a password-reset or invitation link. Outside production, without ``PUBLIC_BASE_URL``, links go
  to the loopback address and the port the server listens on.
* ``core.config`` sets Flask's ``TRUSTED_HOSTS`` to the public host (plus ``TRUSTED_HOSTS`` from the environment,
  and the loopback names outside production) and refuses to start in production without ``PUBLIC_BASE_URL``.
  Flask checks the host before routing; a request for any other host matches no route, so no view runs (and the
  CSRF and limiter hooks, which need a route, stand aside) and it gets the styled 400 page, which names the public
  address (its static files are served, so that it is styled).

Tests: ``tests/test_hosts.py``.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound, SecurityError

from core.config import LOOPBACK_HOSTS

DEFAULT_PORTS = {"http": "80", "https": "443"}


def public_base_url() -> str:
    """``PUBLIC_BASE_URL``; without it (development, tests), the loopback address and the port being served."""
    configured = current_app.config["PUBLIC_BASE_URL"]
    if configured:
        return configured
    if has_request_context():  # the server's own socket, not anything the client sent
        scheme, port = request.environ["wsgi.url_scheme"], str(request.environ.get("SERVER_PORT", ""))
    else:
        scheme, port = "http", os.environ.get("FLASK_RUN_PORT", "5000")
    suffix = "" if port in ("", DEFAULT_PORTS.get(scheme)) else f":{port}"
    return f"{scheme}://{LOOPBACK_HOSTS[0]}{suffix}"


def public_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` on the public host (for mails), whatever the request's host."""
    base = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def _untrusted_host(error: SecurityError):
    from core.errors import render_error

    # Flask had no URL adapter for the refused host, so pages could not build links: bind one to the public host.
    # Nothing in the page comes from the refused Host header.
    base = public_base_url()
    public = urlsplit(base).netloc
    request.host = public
    request_ctx.url_adapter = current_app.url_map.bind_to_environ(request.environ, server_name=public, subdomain="")
    # The page's style sheet, script and icon are asked for on the same host: serve them, so that the page is
    # styled. They are the same public files for everyone, and build no link.
    static = current_app.static_url_path + "/"
    if request.method == "GET" and request.path.startswith(static):
        try:
            return current_app.send_static_file(request.path[len(static):])
        except NotFound:
            pass
    return render_error(400, _("This site has another address"),
                        _("This site answers only at %(address)s. Check the address you typed, or follow the link "
                          "below.", address=base), home=base + "/")


def init_app(app) -> None:
    app.register_error_handler(SecurityError, _untrusted_host)
