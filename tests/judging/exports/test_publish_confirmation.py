"""Publishing and unpublishing the results each go through a page that says what the public will see."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db
from tests.judging.exports.test_gallery import publish


def test_publishing_asks_first_with_counts(client, awarded, as_secretariat, post):
    from competition.models import Edition
    from judging.models import Round

    for round_ in db.session.scalars(select(Round)):
        round_.status = "closed"
    db.session.commit()
    exports = client.get("/judging/exports").get_data(as_text=True)
    assert 'href="/judging/exports/publish/confirm"' in exports  # a link to the page, not a one-click button
    page = client.get("/judging/exports/publish/confirm").get_data(as_text=True)
    assert "Publish the results of" in page and "on the public page" in page and "credited by name" in page
    assert 'name="action" value="publish"' in page
    db.session.expire_all()
    assert Edition.current().results_published_at is None  # the page changes nothing


def test_unpublishing_asks_first(client, awarded, as_secretariat, post):
    publish(post)
    exports = client.get("/judging/exports").get_data(as_text=True)
    assert 'href="/judging/exports/unpublish/confirm"' in exports
    page = client.get("/judging/exports/unpublish/confirm").get_data(as_text=True)
    assert "off the public page?" in page and 'name="action" value="unpublish"' in page


def test_a_past_editions_exports_and_publication(client, awarded, as_secretariat, post):
    """``?edition=ID`` keeps every link and form of the exports page on that edition."""
    from competition.models import Edition

    edition = Edition.current()
    page = client.get(f"/judging/exports?edition={edition.id}").get_data(as_text=True)
    assert f'/judging/exports/results.csv?edition={edition.id}' in page
    assert client.get("/judging/exports?edition=999999").status_code == 404
