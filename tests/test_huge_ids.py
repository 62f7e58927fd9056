"""Ids beyond what a database column holds, in query strings and form fields (issue 9, 9.9).

Ids in URLs are covered for every route and role by ``tests/test_access_matrix.py`` (routing answers 404). Ids
that arrive as query arguments or form values go through ``core.converters.id_from``: out of range is treated like
any other id that names nothing, never a 500 from the database driver (SQLite cannot bind 2**63 or more).
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from core.converters import MAX_ID, id_from
from core.db import db
from judging.models import Award
from tests.access_matrix_cases import HUGE_IDS
from tests.access_matrix_world import S, build_world
from tests.clients import csrf_token_of


@pytest.mark.parametrize("text,expected", [("1", 1), ("0", 0), ("007", 7), (str(MAX_ID), MAX_ID),
                                           (str(MAX_ID + 1), None), (str(2**63), None), (str(10**30), None),
                                           ("-1", None), ("", None), (None, None), ("abc", None), ("1.5", None),
                                           (" 1", None), ("1e3", None), ("٣", None), ("²", None), (12, None)])
def test_id_from_takes_only_ids_a_column_can_hold(text, expected):
    assert id_from(text) == expected


@pytest.fixture()
def secretariat(app, make_user, sign_in):
    world = build_world(make_user)
    client = sign_in(app.test_client(), SimpleNamespace(alternative_id=world.users[S]))
    return client, world


@pytest.mark.parametrize("value", HUGE_IDS)
def test_entry_list_filters_and_page_beyond_the_range(secretariat, value):
    client, world = secretariat
    for query in (f"city={value}", f"category={value}", f"page={value}", f"city={value}&category={value}&page={value}"):
        response = client.get(f"/competition/entries/?{query}")
        assert response.status_code == 200, query
    assert world.title_a1 not in client.get(f"/competition/entries/?city={value}").get_data(as_text=True)
    assert world.title_a1 in client.get(f"/competition/entries/?category={value}").get_data(as_text=True)


@pytest.mark.parametrize("value", HUGE_IDS)
def test_audit_log_filter_beyond_the_range(secretariat, value):
    client, _world = secretariat
    assert client.get(f"/competition/admin/audit?type=entry&id={value}").status_code == 200


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_award_for_an_entry_id_beyond_the_range_is_a_form_error(secretariat, value):
    client, world = secretariat
    before = db.session.scalar(select(func.count()).select_from(Award))
    response = client.post(f"/judging/rounds/{world.round1}/awards",
                           data={"csrf_token": csrf_token_of(client), "entry": str(value), "kind": "second"})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Award)) == before
