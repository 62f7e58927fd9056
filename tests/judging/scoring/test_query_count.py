"""The juror's pages issue the same number of SQL queries for 5 and for 50 assignments."""
from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from core.db import db


@contextmanager
def counted():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _load(make_entries, juror, round1, assign, n):
    from judging.models import ScoreSet, ScoreValue
    from judging.rubrics.defaults import current_rubric

    entries = make_entries(n)
    assignments = [assign(round1, entry, juror, position=(i * 7) % n) for i, entry in enumerate(entries)]
    rubric = current_rubric(entries[0].category)
    for i, assignment in enumerate(assignments[: n // 2]):  # half started, some submitted
        score_set = ScoreSet(assignment_id=assignment.id, rubric_id=rubric.id, status="submitted" if i % 2 else "draft")
        score_set.values = [ScoreValue(criterion_id=c.id, value=Decimal(5)) for c in rubric.criteria]
        db.session.add(score_set)
    db.session.commit()
    return sorted(assignments, key=lambda a: a.position)


def _queries(client, url) -> int:
    client.get(url)  # warm up: the session, the templates
    with counted() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("page", ["list", "entry"])
def test_juror_pages_issue_constant_queries(app, make_entries, make_juror, round1, assign, sign_in, page):
    counts = []
    for n, email in ((5, "juror5@example.org"), (50, "juror50@example.org")):
        juror = make_juror(email, name=f"Juror {n}")
        assignments = _load(make_entries, juror, round1, assign, n)
        client = sign_in(app.test_client(), juror)
        url = "/judging/entries" if page == "list" else f"/judging/entries/{assignments[n // 2 - 1].code}"
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], counts
