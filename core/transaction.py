"""One transaction per request, committed in one place.

Views validate, call operations (which flush and audit, never commit) and return a response. After the view,
``_end_request`` commits the request's work if the response is a success or a redirect (status < 400), and
rolls it back otherwise: a form shown again with its errors (400), a refusal (403/404) or a crash (500) leaves
nothing half-saved. Indico commits the same way, in its request handler.

A view that must keep what it wrote even though it answers with an error (a failed login's counter, for
instance) calls ``keep_on_error()``. Files written during the request follow the transaction
(core/file_lifecycle.py), and so do queued tasks (core/tasks.py): a rolled-back request stores no file and
sends no mail.
"""
from __future__ import annotations

import logging

from flask import Flask, g

from core.db import db

log = logging.getLogger(__name__)


def keep_on_error() -> None:
    """Commit this request's work even if its response is an error (4xx)."""
    g.keep_on_error = True


def _end_request(response):
    session = db.session()
    keep = response.status_code < 400 or (response.status_code < 500 and g.get("keep_on_error"))
    if keep:
        session.commit()
    else:
        session.rollback()
    return response


def init_app(app: Flask) -> None:
    # Registered before every other after_request function, so it runs after them (Flask runs them in reverse).
    app.after_request_funcs.setdefault(None, []).insert(0, _end_request)
