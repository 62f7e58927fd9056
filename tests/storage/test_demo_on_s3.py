"""The whole demo with its files in S3: every page, picture, card and file that a visitor or a demo user can
reach by following links answers without a server error (SeaweedFS on loopback).

The other tests run on disk, where a stored file is a path. In S3 it is a handle on the bucket, and some
code paths only break there: a winner's card once failed because its digest copied the S3 client. This
crawl follows the demo's links, pictures and Open Graph images (tests/links.py), as each demo user and as a
visitor.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from accounts.models import User
from core.db import db
from tests.links import Links

PER_SHAPE = 3  # pages of one shape (ids and codes folded) visited per user; a visitor sees every winner
MAX_PAGES = 300
SKIP = re.compile(r"/static/|/logout")


def _crawl(client, per_shape: int = PER_SHAPE) -> dict[str, tuple[int, str]]:
    """(status, mimetype) of every same-site URL reached from the home page, ``per_shape`` of each shape."""
    seen: dict[str, tuple[int, str]] = {}
    queue, shapes = ["/"], {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or SKIP.search(urlsplit(url).path):
            continue
        shape = re.sub(r"/[A-Z0-9-]{8,}(?=/|$)", "/@", re.sub(r"\d+", "#", urlsplit(url).path))
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > per_shape:
            continue
        response = client.get(url)
        seen[url] = (response.status_code, response.mimetype)
        found = []
        if response.status_code in (301, 302, 303) and "Location" in response.headers:
            found = [response.headers["Location"]]
        elif response.status_code == 200 and response.mimetype == "text/html":
            parser = Links()
            parser.feed(response.get_data(as_text=True))
            found = parser.urls
        for link in found:
            target = urlsplit(urljoin("http://localhost" + url, link))
            if target.netloc in ("localhost", "") and target.scheme in ("http", ""):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.fixture(autouse=True)
def bucket(request):
    """Autouse, so it runs before ``app``: the demo's files go into a fresh bucket."""
    weed = request.getfixturevalue("weed")
    request.node.add_marker(pytest.mark.app_config(**weed.settings(weed.new_bucket("demo"))))


@pytest.mark.slow
def test_every_page_and_file_of_the_demo_answers_from_the_bucket(app, sign_in):
    from competition.models import Entry, EntryFile
    from core.files import get_storage
    from core.s3_storage import S3Storage
    from demo.build import load_demo
    from judging.models import Award

    load_demo("demo password for tests")
    db.session.commit()
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    winner = db.session.scalars(select(Entry).join(Award, Award.entry_id == Entry.id).join(EntryFile)
                                .where(EntryFile.kind == "image").order_by(Award.id)).first()
    assert winner is not None and storage.exists(winner.files[0].cleaned_key)  # last year's drawings, in the bucket

    users = db.session.scalars(select(User).order_by(User.email))
    visitors = [("a visitor", app.test_client())] + [(user.email, sign_in(app.test_client(), user)) for user in users]
    reached: dict[str, tuple[int, str]] = {}
    for who, client in visitors:
        seen = _crawl(client, MAX_PAGES if who == "a visitor" else PER_SHAPE)
        errors = {url: status for url, (status, _mime) in seen.items() if status >= 500}
        assert not errors, (who, errors)
        reached.update(seen)
    ok = {url for url, (status, _mime) in reached.items() if status == 200}
    assert any(re.search(r"/card-\w+\.png", url) for url in ok), "no winner's card reached"
    assert any(url.startswith(f"/results/{winner.reference}/card-") for url in ok)  # a winner with a drawing
    assert f"/results/{winner.reference}/image" in ok
    assert any(mime.startswith("image/") and "/card-" not in url for url, (status, mime) in reached.items()
               if status == 200), "no stored picture reached"
    assert any(url.startswith("/judging/entries/") for url in ok), "no juror's page reached"
