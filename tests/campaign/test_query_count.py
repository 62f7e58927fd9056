"""The public page and the review list issue the same number of queries for 1 city and for 12."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from core.db import db
from tests.campaign.submissions import make_submission


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
    client.get(url)
    with counted() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _cities(n, tag):
    from competition.models import City

    cities = [City(name=f"City {tag}-{i}", country_code="FR") for i in range(n)]
    db.session.add_all(cities)
    db.session.commit()
    return cities


def test_the_page_and_the_list_do_not_grow_with_the_cities(app, client, sign_in, secretariat, edition):
    counts = {"/campaign/page": [], "/campaign/review": []}
    for n in (1, 12):
        db.session.execute(db.text("DELETE FROM campaign_submissions"))
        db.session.commit()
        for city in _cities(n, n):
            make_submission(edition, city)
            make_submission(edition, city, "statement", text="Our city is diverse.", person_title="Mayor",
                            status="submitted")
        sign_in(client, secretariat)
        for url in counts:
            counts[url].append(_queries(client, url))
    assert all(a == b for a, b in counts.values()), counts
