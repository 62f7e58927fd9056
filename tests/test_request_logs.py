"""Structured request logs: one JSON line per request, with the route pattern, never a secret."""
from __future__ import annotations

import json
import logging
import re

from accounts.models import Role

SECRET_PASSWORD = "correct horse battery staple"


def lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "app.request"]


def test_every_request_is_one_json_line_with_the_route_not_the_path(client, caplog, make_user):
    make_user("teacher@example.org", roles=(Role.TEACHER,))
    with caplog.at_level(logging.INFO, logger="app.request"):
        client.get("/account/reset/abcdefSECRETTOKEN123?x=secret-query")
        client.get("/healthz")
    records = lines(caplog)
    assert [r["route"] for r in records] == ["/account/reset/<token>", "/healthz"]
    assert set(records[0]) == {"event", "method", "route", "endpoint", "status", "ms", "user", "bytes_in",
                               "bytes_out"}
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "SECRETTOKEN" not in text and "secret-query" not in text


def test_no_password_token_or_file_content_reaches_the_log(client, caplog, make_user, post, outbox):
    make_user("teacher@example.org", roles=(Role.TEACHER,))
    with caplog.at_level(logging.DEBUG):
        post("/account/login", {"email": "teacher@example.org", "password": SECRET_PASSWORD})
        post("/account/login", {"email": "teacher@example.org", "password": "a wrong password 1234"})
        post("/account/forgot", {"email": "teacher@example.org"})
        post("/account/signup", {"name": "BODYMARKER", "email": "bodymarker@example.org",
                                 "password": SECRET_PASSWORD, "confirm": SECRET_PASSWORD})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET_PASSWORD not in text and "a wrong password" not in text and "BODYMARKER" not in text
    tokens = [t for m in outbox() for t in re.findall(r"/account/(?:reset|confirm)/(\S+)",
                                                      m.get_body(("plain",)).get_content())]
    assert len(tokens) == 2, "a reset link and a confirmation link were sent"
    assert not [t for t in tokens if t in text], "no token from a link may be logged"
    assert all(r["route"] for r in lines(caplog))
