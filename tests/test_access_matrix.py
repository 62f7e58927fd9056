"""Every route × every role: the access matrix, generated from ``app.url_map``.

The table is in ``tests/access_matrix_cases.py``. A route that nobody declared there (or a declaration
whose route is gone) fails ``test_every_route_is_declared``. Each role's test builds one world, walks
every rule and method (GETs first, then POSTs with a valid CSRF token, those that change the world last)
and reports every answer that differs from the table, with what the page showed. Before them, it asks every
integer argument of every rule for ids beyond the integer range (2**31, 2**63, 10**30, -1): 404 for everyone.

``ACCESS_MATRIX_DUMP=1 pytest tests/test_access_matrix.py -s`` prints every answer.
"""
from __future__ import annotations

import os
import re
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests import access_matrix_cases as matrix
from tests.access_matrix_cases import LOGIN, OK, REDIRECT, ROLES, huge_id_plan, ordered, plan
from tests.access_matrix_world import build_world, resolve, url_of
from tests.clients import csrf_token_of

DUMP = bool(os.environ.get("ACCESS_MATRIX_DUMP"))
_run = {"checked": {}, "size": "", "started": None}


@pytest.fixture(scope="module", autouse=True)
def _matrix_summary(request):
    """Print the matrix size and the number of cases checked once the module is done (with or without -s)."""
    _run["started"] = time.monotonic()
    yield
    if not _run["checked"]:
        return
    line = (f"\naccess matrix: {_run['size']}; checked {sum(_run['checked'].values())} cases "
            f"({len(_run['checked'])} of {len(ROLES)} roles) in {time.monotonic() - _run['started']:.1f} s")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(line)


def test_every_route_is_declared(app):
    """A new route must be declared in the matrix; a declaration whose route is gone must be removed."""
    _planned, problems = plan(app)
    _run["size"] = matrix.matrix_size_text(app)
    if problems:
        pytest.fail("access matrix out of date:\n  " + "\n  ".join(problems), pytrace=False)


def test_an_undeclared_route_and_a_stale_declaration_are_caught(app, monkeypatch):
    from core.permissions import public

    @public
    def brand_new():
        return "new"

    app.add_url_rule("/brand-new/<int:thing_id>", "core.brand_new", brand_new)
    stale = matrix.case("competition.gone_for_good", "", get=matrix.anyone(200))
    monkeypatch.setattr(matrix, "CASES", [*matrix.CASES, stale])
    _planned, problems = plan(app)
    assert "route core.brand_new (GET /brand-new/<int:thing_id>) is not declared in the access matrix" in problems
    assert ("competition.gone_for_good is declared in the access matrix, but no such endpoint exists any more"
            in problems)
    assert len(problems) == 2, problems


def _redirect_target(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlsplit(response.headers.get("Location", "")).path


def _verdict(response, expected) -> bool:
    status, target = response.status_code, _redirect_target(response)
    to_login = target == "/account/login"
    if expected == LOGIN:
        return to_login
    if expected == REDIRECT:
        return target is not None and not to_login
    if expected == OK:
        return status < 500 and status != 404 and not to_login
    return status == expected


def _shown(response) -> str:
    """A short description of what the response showed, for the report."""
    target = _redirect_target(response)
    if target is not None:
        return f"{response.status_code} → {target}"
    if response.mimetype != "text/html":
        return f"{response.status_code} {response.mimetype} ({len(response.get_data())} bytes)"
    html = response.get_data(as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S) or re.search(r"<title>(.*?)</title>", html, re.S)
    text = re.sub(r"<[^>]+>|\s+", " ", heading.group(1)).strip() if heading else ""
    return f"{response.status_code} “{text[:60]}”"


def _request(client, method: str, url: str, form: dict):
    """A GET, or a POST of ``form`` (with its CSRF token)."""
    return client.get(url) if method == "GET" else client.post(url, data=form)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, app, make_user, sign_in):
    planned, problems = plan(app)
    assert not problems, "access matrix out of date (see test_every_route_is_declared)"
    _run["size"] = matrix.matrix_size_text(app)
    world = build_world(make_user)
    client = app.test_client()
    if world.users[role] is not None:
        sign_in(client, SimpleNamespace(alternative_id=world.users[role]))
    token = csrf_token_of(client)
    adapter = app.url_map.bind("localhost")

    mismatches, leaks = [], []
    # Ids beyond the integer range first (they change nothing, and the role's session is still open): all 404.
    huge = huge_id_plan(planned, role)
    for item in huge:
        url = url_of(item.rule, item.case, world, **{item.argument: item.value})
        response = _request(client, item.method, url, {"csrf_token": token, **resolve(item.case.body, world)})
        if DUMP:
            print(f"{role:<13} {item.method:<4} {url:<70} {404!s:<8} {_shown(response)}")
        if response.status_code != 404:
            mismatches.append((f"{item.method} {url}", item.name, 404, _shown(response)))

    for item in ordered(planned):
        expected = item.case.expected(item.method)[role]
        url = url_of(item.rule, item.case, world)
        matched, _args = adapter.match(urlsplit(url).path, method=item.method, return_rule=True)
        assert matched is item.rule, f"{url} does not lead back to {item.rule.rule}"
        response = _request(client, item.method, url, {"csrf_token": token, **resolve(item.case.body, world)})
        if DUMP:
            print(f"{role:<13} {item.method:<4} {url:<70} {str(expected):<8} {_shown(response)}")
        if not _verdict(response, expected):
            mismatches.append((f"{item.method} {url}", item.case.name, expected, _shown(response)))
        elif response.status_code == 200 and role in (item.case.hidden or {}):
            body = response.get_data(as_text=True)
            for name in item.case.hidden[role]:
                value = str(getattr(world, name))
                if value and value in body:
                    leaks.append((f"{item.method} {url}", item.case.name, f"shows {name} = {value!r}"))
    _run["checked"][role] = len(planned) + len(huge)

    report = []
    if mismatches:
        width = max(len(request) for request, *_ in mismatches)
        named = max(len(name) for _request, name, *_ in mismatches)
        report.append(f"{len(mismatches)} of {len(planned) + len(huge)} answers for role {role!r} differ from the "
                      f"access matrix:")
        report.append(f"  {'request'.ljust(width)}  {'declared as'.ljust(named)}  {'expected':<9} got")
        report += [f"  {request.ljust(width)}  {name.ljust(named)}  {str(exp):<9} {got}"
                   for request, name, exp, got in mismatches]
    if leaks:
        report.append(f"{len(leaks)} answers show {role!r} what the matrix says they must not:")
        report += [f"  {request}  {name}: {what}" for request, name, what in leaks]
    if report:
        pytest.fail("\n".join(report), pytrace=False)
