"""Juror requests cannot reach identity: query inspection, ORM load inspection, imports, and query counts.

While a juror requests every juror page (list, each scoring page, autosave, a draft, a submit, every file
variant, profile, conflicts, "I know this work"), every SQL statement and every ORM object loaded is recorded.
"""
from __future__ import annotations

import ast
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, select

from core.db import db
from tests.fixtures import GOOD, token_of

FORBIDDEN_TABLES = {"classes", "pupils", "entry_authors", "tokens", "audit_events"}
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def recorded():
    """Every statement sent to the database and every identity object the ORM builds, while inside."""
    from accounts.models import User
    from competition.models import City, Entry, EntryAuthor, EntryFile, Pupil, School, SchoolClass

    statements: list[str] = []
    loaded: list = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def on_load(target, context):
        loaded.append(target)

    watched = (Entry, SchoolClass, Pupil, School, City, EntryAuthor, EntryFile, User)
    event.listen(db.engine, "before_cursor_execute", on_execute)
    for model in watched:
        event.listen(model, "load", on_load)
    try:
        yield statements, loaded
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        for model in watched:
            event.remove(model, "load", on_load)


def columns_read(statements: list[str], table: str) -> set[str]:
    return {m for s in statements for m in re.findall(rf"(?<![\w.]){table}\.(\w+)", s)}


def tables_named(statements: list[str]) -> set[str]:
    return {m.lower() for s in statements for m in re.findall(r"(?:FROM|JOIN)\s+\"?(\w+)", s, re.I)}


@pytest.fixture()
def world(make_entries, make_juror, round1, assign, file_entries, juror):
    """The identifying class's poems and files, two jurors who see each other's scores, one round open."""
    second = make_juror("juror2@example.org", name="Julia Juror")
    poems = make_entries(3)
    mine = [assign(round1, entry, juror) for entry in poems] + list(file_entries.values())
    for entry in poems:
        assign(round1, entry, second)
    round1.show_other_scores = True
    db.session.commit()
    return {"juror": juror, "second": second, "codes": [a.code for a in mine]}


def every_juror_request(client, codes: list[str]) -> None:
    assert client.get("/judging/").status_code == 302
    assert client.get("/judging/entries").status_code == 200
    for code in codes:
        assert client.get(f"/judging/entries/{code}").status_code == 200
        for variant in ("cleaned", "web", "translation"):
            assert client.get(f"/judging/entries/{code}/file/{variant}").status_code in (200, 404)
    token = token_of(client, f"/judging/entries/{codes[0]}")
    assert client.post(f"/judging/entries/{codes[0]}/autosave",
                       data={"csrf_token": token, "score_relevance": "5"}).status_code == 200
    assert client.post(f"/judging/entries/{codes[1]}", data={"csrf_token": token, "action": "submit", **GOOD}
                       ).status_code == 302
    assert client.get(f"/judging/entries/{codes[1]}").status_code == 200  # submitted: others' scores shown
    assert client.get("/judging/profile").status_code == 200
    assert client.get("/judging/conflicts").status_code == 200
    assert client.post("/judging/conflicts/entry", data={"csrf_token": token, "code": codes[2]}).status_code == 302
    assert client.get("/judging/entries/NOSUCHCODE").status_code == 404


def test_juror_requests_never_load_identity_models(app, world, sign_in):
    from judging.scoring.boundary import ENTRY_COLUMNS, FILE_COLUMNS

    juror = world["juror"]
    juror_id = juror.id
    client = sign_in(app.test_client(), juror)
    client.get("/judging/entries")  # warm up the session
    with recorded() as (statements, loaded):
        every_juror_request(client, world["codes"])
    assert statements, "nothing was recorded"
    # City: the profile form's list of member cities (no entry's city); User: the juror's own row only.
    identity = [type(o).__name__ for o in loaded if type(o).__name__ not in ("User", "City")]
    assert identity == [], f"identity objects loaded in juror requests: {sorted(set(identity))}"
    # Read by identity key: each request's commit (core/transaction.py) expired and detached the objects it loaded.
    users = {inspect(o).identity[0] for o in loaded if type(o).__name__ == "User"}
    assert users <= {juror_id}, "another user was loaded"
    assert not tables_named(statements) & FORBIDDEN_TABLES, tables_named(statements) & FORBIDDEN_TABLES
    assert columns_read(statements, "entries") <= set(ENTRY_COLUMNS), columns_read(statements, "entries")
    assert columns_read(statements, "entry_files") <= set(FILE_COLUMNS), columns_read(statements, "entry_files")
    assert not columns_read(statements, "schools") - {"id", "name", "city_id"}  # the conflicts page's choices


def test_the_inspection_sees_an_identity_load(app, world, make_user, sign_in):
    """The recorder is not blind: the teacher's own class page loads SchoolClass and Pupil."""
    from competition.models import SchoolClass

    school_class = db.session.scalar(select(SchoolClass))
    client = sign_in(app.test_client(), school_class.teacher)
    with recorded() as (statements, loaded):
        assert client.get(f"/competition/classes/{school_class.id}").status_code == 200
    assert "SchoolClass" in {type(o).__name__ for o in loaded}
    assert "classes" in tables_named(statements)


JUROR_MODULES = {
    "judging/scoring/views.py": {"Entry", "SchoolClass", "Pupil", "School", "City", "User", "EntryAuthor"},
    "judging/jury/conflict_views.py": {"Entry", "SchoolClass", "Pupil", "User", "EntryAuthor"},
    "judging/scoring/boundary.py": {"SchoolClass", "Pupil", "School", "City", "User", "EntryAuthor"},
}


@pytest.mark.parametrize("path", sorted(JUROR_MODULES))
def test_juror_views_import_no_identity_model(path):
    tree = ast.parse((ROOT / path).read_text())
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert not imported & JUROR_MODULES[path], f"{path} imports {imported & JUROR_MODULES[path]}"


def _load(make_entries, juror, round1, assign, n):
    from decimal import Decimal

    from judging.models import ScoreSet, ScoreValue
    from judging.rubrics.defaults import current_rubric

    entries = make_entries(n)
    assignments = [assign(round1, entry, juror) for entry in entries]
    rubric = current_rubric(entries[0].category)
    for i, assignment in enumerate(assignments[: n // 2]):  # half started, some submitted
        score_set = ScoreSet(assignment_id=assignment.id, rubric_id=rubric.id, status="submitted" if i % 2 else "draft")
        score_set.values = [ScoreValue(criterion_id=c.id, value=Decimal(5)) for c in rubric.criteria]
        db.session.add(score_set)
    db.session.commit()
    return assignments


def _count(client, url) -> int:
    client.get(url)  # warm up: the session, the templates
    with recorded() as (statements, _loaded):
        assert client.get(url).status_code == 200
    return len(statements)


PAGES = {"list": lambda a: "/judging/entries", "draft": lambda a: f"/judging/entries/{a[0].code}",
         "submitted": lambda a: f"/judging/entries/{a[1].code}", "new": lambda a: f"/judging/entries/{a[-1].code}"}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_juror_pages_run_a_constant_number_of_queries(app, make_entries, make_juror, round1, assign, sign_in, page):
    round1.show_other_scores = True
    counts = []
    for n in (10, 100):
        juror = make_juror(f"juror{n}@example.org", name=f"Juror {n}")
        assignments = _load(make_entries, juror, round1, assign, n)
        client = sign_in(app.test_client(), juror)
        counts.append(_count(client, PAGES[page](assignments)))
    print(f"queries for {page}: {counts}")
    assert counts[0] == counts[1], counts
    assert counts[0] <= 4, counts  # the user, the page's statement, its files and scores, the others' scores
