"""Structured request logs: one JSON line a request, never a secret.

Only the route pattern is logged (``/account/reset/<token>``), never the real
path or query string, so tokens in links cannot reach the log; no body, no
form fields, no headers other than the user agent family.
"""
from __future__ import annotations

import json
import logging
import time

from flask import g, request
from flask_login import current_user

log = logging.getLogger("app.request")


def request_record(response) -> dict:
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    return {
        "event": "request",
        "method": request.method,
        "route": rule,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("_started", time.perf_counter())) * 1000, 1),
        "user": user_id,
        "bytes_in": request.content_length or 0,
        "bytes_out": response.calculate_content_length() if not response.is_streamed else None,
    }


def init_app(app) -> None:
    if not log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        if request.endpoint != "static":
            log.info(json.dumps(request_record(response), sort_keys=True))
        return response
