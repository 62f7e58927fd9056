"""Every page of the three journeys that lists things runs as many SQL queries at 1,000 entries as at 100.

The secretariat's, the teacher's and the juror's pages. Each page is loaded once to warm up (the session's
user, the templates), then counted. The entries are added between the two counts to the same class,
categories and round, so every list grows tenfold (the juror's from 50 assignments to 500); a juror's page
runs at most 8 queries.

``QUERY_COUNT_ENTRIES=10000 pytest -m slow -s tests/judging/test_list_query_counts.py`` counts at 10,000 entries
instead of 1,000 and prints the table (the issue's figures; a few minutes).
"""
from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from accounts.models import Role
from core.db import db


@contextmanager
def counted():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _queries(client, url) -> int:
    assert client.get(url).status_code == 200, url
    with counted() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def _grow(make_entries, round1, jurors, n):
    """``n`` more submitted entries (poems and essays), each assigned to three jurors, half of them scored."""
    from judging.models import Assignment

    entries = make_entries(n // 2, discipline="poem") + make_entries(n - n // 2, discipline="essay")
    start = db.session.scalar(select(Assignment.position).order_by(Assignment.position.desc()).limit(1)) or 0
    rows = [{"round_id": round1.id, "entry_id": e.id, "juror_id": jurors[(i + t) % len(jurors)].id,
             "position": start + 1 + 3 * i + t, "code": f"C{start + 3 * i + t:07d}"}
            for i, e in enumerate(entries) for t in range(3)]
    db.session.execute(insert(Assignment), rows)
    db.session.commit()
    return entries


PAGES = {
    "secretariat": ["/competition/entries/", "/competition/entries/?status=submitted", "/competition/admin/audit", "/judging/dashboard",
                    "/judging/rounds/{round}", "/judging/jury", "/judging/exports",
                    "/competition/entries/{entry}", "/competition/admin/editions", "/competition/admin/cities",
                    "/judging/rubrics", "/judging/rounds/{round}/entries/{entry}",
                    "/judging/jury/{juror}", "/judging/rounds/{round}/preview"],
    "teacher": ["/competition/classes/", "/competition/classes/{class_}",
                "/competition/entries/{entry}"],
    "juror": ["/judging/entries", "/judging/entries/{code}", "/judging/conflicts", "/judging/profile"],
}
JUROR_MOST = 8
LARGE = int(os.environ.get("QUERY_COUNT_ENTRIES", "1000"))


@pytest.mark.slow
def test_list_pages_run_as_many_queries_at_1000_entries_as_at_100(client, app, sign_in, make_user, make_entries,
                                                                     make_juror, round1):
    secretariat = make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia Secretariat")
    jurors = [make_juror(f"juror{j}@example.org", name=f"Juror {j}", cap=10_000) for j in range(6)]
    entries = _grow(make_entries, round1, jurors, 100)
    from judging.models import Assignment

    class_id = entries[0].class_id
    teacher = entries[0].school_class.teacher
    code = db.session.scalar(select(Assignment.code).where(Assignment.juror_id == jurors[0].id).limit(1))
    people = {"secretariat": secretariat, "teacher": teacher, "juror": jurors[0]}
    counts: dict = {}
    for size in (100, LARGE):
        if size == LARGE:
            _grow(make_entries, round1, jurors, LARGE - 100)
        for who, urls in PAGES.items():
            sign_in(client, people[who])
            for url in urls:
                url = url.format(round=round1.id, class_=class_id, entry=entries[0].id, juror=jurors[0].id, code=code)
                counts.setdefault((who, url), []).append(_queries(client, url))
    print(f"\n| page | queries at 100 | at {LARGE:,} |\n| --- | --- | --- |")
    for (who, url), (small, large) in counts.items():
        print(f"| {who}: {url} | {small} | {large} |")
    grew = {url: c for (_who, url), c in counts.items() if c[0] != c[1]}
    assert not grew, f"queries at 100 and at {LARGE:,} entries: {grew}"
    many = {url: c for (who, url), c in counts.items() if who == "juror" and max(c) > JUROR_MOST}
    assert not many, f"juror pages over {JUROR_MOST} queries: {many}"
