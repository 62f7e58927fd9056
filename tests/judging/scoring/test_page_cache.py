"""The round and the rubric of a juror's page come from a per-process cache keyed by revision tokens.

Two app instances on one database stand for two server processes: the juror's pages are served by one,
the secretariat's changes made through the other. Every change shows on the juror's very next request:
a criterion edited in place, a rubric versioned, the round closed, other jurors' scores allowed, and a
change written by a bulk UPDATE statement. Meanwhile the cache does its work: a page whose round and rubric
this process has seen runs no query for them.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from app import create_app
from core.db import db
from tests.clients import RequestIsolatedClient
from tests.fixtures import GOOD, token_of


@pytest.fixture()
def other_process(app, database_url, tmp_path):
    """A second app on the same database: another worker process, with caches of its own."""
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "other"),
                        "SERVER_NAME": "localhost"})
    other.test_client_class = RequestIsolatedClient
    yield other
    with other.app_context():
        db.engine.dispose()


@contextmanager
def statements_of(some_app):
    with some_app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _page(client, code: str) -> str:
    response = client.get(f"/judging/entries/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _current_rubric(world):
    from competition.models import Category
    from judging.rubrics.defaults import current_rubric

    return current_rubric(db.session.get(Category, world["category_id"]))


@pytest.fixture()
def world(app, other_process, make_entries, make_juror, round1, assign, sign_in):
    juror, second = make_juror(), make_juror("juror2@example.org", name="Julia Juror")
    entries = make_entries(2)
    mine = [assign(round1, entry, juror) for entry in entries]
    theirs = assign(round1, entries[0], second)
    client = sign_in(other_process.test_client(), juror)
    return {"client": client, "codes": [a.code for a in mine], "theirs": theirs.code, "second": second,
            "category_id": entries[0].category_id}


def test_a_page_seen_before_reads_neither_round_nor_rubric(app, other_process, world):
    client, code = world["client"], world["codes"][0]
    _page(client, code)
    with statements_of(other_process) as seen:
        _page(client, world["codes"][1])  # the same round and rubric: from the cache
    assert not [s for s in seen if "FROM criteria" in s or s.startswith("SELECT rounds.")], seen
    assert len(seen) <= 6


def test_a_criterion_edited_in_place_shows_at_once_in_the_other_process(app, other_process, world, edition):
    from judging.rubrics.operations import save_rubric, snapshot

    client, code = world["client"], world["codes"][0]
    rubric = _current_rubric(world)
    assert "Relevance to the theme" in _page(client, code)
    values = snapshot(rubric)
    values[0] = {**values[0], "title": "Bearing on the theme"}
    _saved, outcome = save_rubric(rubric, values, None)
    db.session.commit()
    assert outcome == "changed"  # the same rubric row, only a criterion changed
    page = _page(client, code)
    assert "Bearing on the theme" in page and "Relevance to the theme" not in page


def test_a_new_rubric_version_shows_at_once_for_an_entry_not_started(app, other_process, world, edition, sign_in):
    from judging.rubrics.operations import save_rubric, snapshot

    client, codes = world["client"], world["codes"]
    second = sign_in(other_process.test_client(), world["second"])
    token = token_of(second, f"/judging/entries/{world['theirs']}")  # the rubric is now in use
    assert second.post(f"/judging/entries/{world['theirs']}",
                       data={"csrf_token": token, "action": "save", **GOOD}).status_code == 302
    assert "Relevance to the theme" in _page(client, codes[1])
    values = snapshot(_current_rubric(world))
    values[0] = {**values[0], "title": "Bearing on the theme"}
    _saved, outcome = save_rubric(_current_rubric(world), values, None)
    db.session.commit()
    assert outcome == "versioned"
    assert "Bearing on the theme" in _page(client, codes[1])
    assert "Relevance to the theme" in _page(second, world["theirs"])  # a started score set keeps its version


def test_round_changes_show_at_once_in_the_other_process(app, other_process, world, round1, sign_in):
    client, code = world["client"], world["codes"][0]
    second = sign_in(other_process.test_client(), world["second"])
    token = token_of(client, f"/judging/entries/{code}")
    assert client.post(f"/judging/entries/{code}", data={"csrf_token": token, "action": "submit", "confirmed": "1",
                                                         **GOOD}).status_code == 302
    token = token_of(second, f"/judging/entries/{world['theirs']}")
    assert second.post(f"/judging/entries/{world['theirs']}", data={"csrf_token": token, "action": "submit",
                                                                   "confirmed": "1", **GOOD}).status_code == 302
    assert "Juror A" not in _page(client, code)

    round1.show_other_scores = True  # as the secretariat's round settings do, through the ORM
    db.session.commit()
    assert "Juror A" in _page(client, code)

    closed_notice = "Scoring for this round is closed"
    assert closed_notice not in _page(client, world["codes"][1])
    db.session.execute(update(type(round1)).where(type(round1).id == round1.id).values(status="closed"))  # bulk
    db.session.commit()
    assert closed_notice in _page(client, world["codes"][1])
