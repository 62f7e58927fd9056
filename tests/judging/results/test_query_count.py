"""The results pages issue the same number of SQL queries with 10 and with 100 entries."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from core.db import db
from tests.fixtures import category_of


def _count(client, url) -> int:
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


@pytest.mark.parametrize("page", ["results", "calibration", "entry", "awards"])
def test_same_query_count_with_10_and_100_entries(as_secretariat, scored, round1, edition, page):
    counts = []
    for n, discipline in ((10, "poem"), (100, "essay")):
        entries, _ = scored(n, jurors=6 if n == 10 else 20, discipline=discipline, seed=n)
        category = category_of(edition, discipline=discipline)
        url = {"results": f"/judging/rounds/{round1.id}/results?category={category.id}&all=1",
               "calibration": f"/judging/rounds/{round1.id}/calibration?category={category.id}",
               "awards": f"/judging/rounds/{round1.id}/awards?category={category.id}",
               "entry": f"/judging/rounds/{round1.id}/results/entries/{entries[-1].id}"}[page]
        _count(as_secretariat, url)  # warm up: the session's user, the categories
        counts.append(_count(as_secretariat, url))
    assert counts[0] == counts[1], counts
