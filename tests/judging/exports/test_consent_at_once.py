"""Consent takes effect at once in every public output, whatever was cached before (issue 9, point 5).

Each test publishes the results, primes every cache an anonymous visitor can fill (the gallery, the entry
page, the feed, the cards, the image), then changes consent or status through the web as a teacher or the
secretariat would, and checks the very next request.
"""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from core.db import db
from tests.clients import form_post
from tests.judging.exports.test_gallery import publish

NAME = "Amira"


@pytest.fixture()
def published(awarded, as_secretariat, post, app):
    """The awarded results, published; returns (entries by award, an anonymous client)."""
    publish(post)
    return awarded, app.test_client()


@pytest.fixture()
def teacher(app, sign_in, awarded):
    return sign_in(app.test_client(), awarded["first"].school_class.teacher)


def prime(client, reference) -> dict:
    """Fetch every public output of one entry, as a visitor (and their browser's cache) would."""
    got = {path: client.get(path) for path in (
        "/results/", f"/results/{reference}", "/results/feed.json", f"/results/{reference}/card-landscape.png",
        f"/results/{reference}/card-portrait.png?lang=fr")}
    assert all(r.status_code == 200 for r in got.values()), {p: r.status_code for p, r in got.items()}
    return got


def feed_entry(client, reference) -> dict | None:
    feed = json.loads(client.get("/results/feed.json").data)
    return next((e for c in feed["categories"] for e in c["entries"] if e["reference"] == reference), None)


def og(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta property="{prop}" content="([^"]*)"', html)
    return match.group(1) if match else None


def withdraw_consent(teacher, entry, *kinds):
    url = f"/competition/entries/{entry.id}/consent/withdraw"
    response = form_post(teacher, url, {"withdraw": list(kinds), "confirm": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()


def test_name_consent_withdrawn_after_publication(published, teacher):
    from judging.exports.cards import card_png
    from judging.exports.dataset import collect

    entries, visitor = published
    first = entries["first"]
    before = prime(visitor, first.reference)
    card = before[f"/results/{first.reference}/card-landscape.png"]
    assert NAME in og(before[f"/results/{first.reference}"].get_data(as_text=True), "og:description")
    named = next(i for i in collect(first.category.edition, ranked=False).selected if i.entry_id == first.id)

    withdraw_consent(teacher, first, "name")

    page = visitor.get(f"/results/{first.reference}").get_data(as_text=True)
    assert NAME not in og(page, "og:description") and "a pupil from Lisbon" in og(page, "og:description")
    assert NAME not in page.split("<main", 1)[1]
    gallery = visitor.get("/results/").get_data(as_text=True)
    assert gallery.count(NAME) == before["/results/"].get_data(as_text=True).count(NAME) - 1
    assert NAME not in json.dumps(feed_entry(visitor, first.reference))
    after = visitor.get(f"/results/{first.reference}/card-landscape.png", headers={"If-None-Match": card.headers["ETag"]})
    assert after.status_code == 200, "the old card's ETag no longer matches: no 304 for it"
    assert after.headers["ETag"] != card.headers["ETag"]
    assert after.data == card_png(dataclasses.replace(named, consent_name=False), "landscape", "en") != card.data


def test_publication_consent_withdrawn_after_publication(published, teacher):
    entries, visitor = published
    first = entries["first"]
    prime(visitor, first.reference)
    withdraw_consent(teacher, first, "publication")
    assert first.title not in visitor.get("/results/").get_data(as_text=True)
    assert visitor.get(f"/results/{first.reference}").status_code == 404
    assert feed_entry(visitor, first.reference) is None
    assert visitor.get(f"/results/{first.reference}/card-landscape.png").status_code == 200, \
        "social-media consent is separate: its card stays"


def test_social_consent_withdrawn_after_publication(published, teacher):
    entries, visitor = published
    first = entries["first"]
    prime(visitor, first.reference)
    withdraw_consent(teacher, first, "social")
    for path in (f"/results/{first.reference}/card-landscape.png", f"/results/{first.reference}/card-portrait.png?lang=fr"):
        assert visitor.get(path).status_code == 404, path
    page = visitor.get(f"/results/{first.reference}").get_data(as_text=True)
    assert og(page, "og:image") is None and "card-landscape.png" not in page
    assert feed_entry(visitor, first.reference)["card"] is None


def test_withdrawing_an_entry_after_publication(published, teacher):
    entries, visitor = published
    first = entries["first"]
    prime(visitor, first.reference)
    assert form_post(teacher, f"/competition/entries/{first.id}/withdraw").status_code == 302
    assert_gone(visitor, first)


def test_disqualifying_an_entry_after_publication(published, as_secretariat, post):
    entries, visitor = published
    first = entries["first"]
    prime(visitor, first.reference)
    assert post(f"/competition/entries/{first.id}/disqualify", {"reason": "Copied from a book."}).status_code == 302
    assert_gone(visitor, first)


def assert_gone(visitor, entry):
    assert entry.title not in visitor.get("/results/").get_data(as_text=True)
    for path in (f"/results/{entry.reference}", f"/results/{entry.reference}/card-landscape.png"):
        assert visitor.get(path).status_code == 404, path
    assert feed_entry(visitor, entry.reference) is None


def test_a_cache_primed_before_the_withdrawal_is_not_served(published, teacher, app):
    """Every cache is warm (twice over), then name consent goes: no output still names the pupil."""
    entries, visitor = published
    first = entries["first"]
    prime(visitor, first.reference)
    prime(visitor, first.reference)
    caches = app.extensions["public_results"]
    assert len(caches.results) and len(caches.ranks) and len(caches.cards)
    withdraw_consent(teacher, first, "name", "social")
    assert NAME not in json.dumps(feed_entry(visitor, first.reference))
    assert NAME not in og(visitor.get(f"/results/{first.reference}").get_data(as_text=True), "og:description")
    assert visitor.get(f"/results/{first.reference}/card-landscape.png").status_code == 404


def test_two_app_instances_on_one_database_agree(published, teacher, app):
    """Two apps (as two server processes), each with its own caches, primed; a change through one shows in both."""
    from app import create_app

    entries, visitor = published
    first = entries["first"]
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "INSTANCE_PATH": app.instance_path, "SERVER_NAME": "localhost"})
    other_visitor = other.test_client()
    prime(visitor, first.reference)
    prime(other_visitor, first.reference)
    assert other.extensions["public_results"] is not app.extensions["public_results"]
    withdraw_consent(teacher, first, "name")
    for client in (visitor, other_visitor):
        assert NAME not in json.dumps(feed_entry(client, first.reference))
        assert NAME not in og(client.get(f"/results/{first.reference}").get_data(as_text=True), "og:description")
    cards = [c.get(f"/results/{first.reference}/card-square.png") for c in (visitor, other_visitor)]
    assert cards[0].headers["ETag"] == cards[1].headers["ETag"] and cards[0].data == cards[1].data
    with other.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("kind", ["card", "image", "feed"])
def test_public_images_and_the_feed_have_a_short_max_age_an_etag_and_answer_304(published, kind, app, tmp_path):
    entries, visitor = published
    first = entries["first"]
    if kind == "image":
        add_picture(first, tmp_path)
    path = {"card": f"/results/{first.reference}/card-square.png", "image": f"/results/{first.reference}/image",
            "feed": "/results/feed.json"}[kind]
    response = visitor.get(path)
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.public and 0 < cache.max_age <= 60 and not cache.no_store
    etag = response.headers["ETag"]
    again = visitor.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert visitor.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def add_picture(entry, tmp_path):
    from competition.models import EntryFile
    from core.files import get_storage
    from tests.fixtures import jpeg_bytes

    key = get_storage().put(jpeg_bytes())
    entry.files.append(EntryFile(purpose="work", kind="image", original_name="drawing.jpg", original_key=key,
                                 original_size=1, cleaned_key=key, cleaned_mime="image/jpeg", cleaned_ext=".jpg",
                                 web_key=key, width=640, height=480))
    db.session.commit()


def test_pages_stay_out_of_shared_caches(published):
    entries, visitor = published
    for path in ("/results/", f"/results/{entries['first'].reference}"):
        assert visitor.get(path).headers["Cache-Control"] == "no-store", path


def test_the_feed_gives_the_same_ranks_as_the_full_gathering(published):
    """The feed's ranks come from a cache keyed by the ranking digest; they equal a full ranked gathering."""
    from judging.exports.dataset import collect
    from judging.exports.feed import build_feed

    entries, visitor = published
    served = json.loads(visitor.get("/results/feed.json").data)
    # The test client's server is 127.0.0.1 on port 80 (no PUBLIC_BASE_URL in tests): the public links' base.
    full = build_feed(collect(entries["first"].category.edition, "http://127.0.0.1"))
    served.pop("generated_at"), full.pop("generated_at")
    assert served == json.loads(json.dumps(full))
    assert [e["rank"] for c in served["categories"] for e in c["entries"]] == [1, 2, 3]
