"""The public results page: nothing before publication, then only what consent allows."""
from __future__ import annotations

import io
import json

from PIL import Image
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db


def publish(post, action="publish", close_rounds=True):
    from judging.models import Round

    if close_rounds:
        for round_ in db.session.scalars(select(Round)):
            round_.status = "closed"
        db.session.commit()
    return post("/judging/exports/publish", {"action": action}, follow_redirects=True)


def test_results_cannot_be_published_while_a_juror_may_still_be_scoring(client, awarded, as_secretariat, post,
                                                                        edition):
    page = publish(post, close_rounds=False).get_data(as_text=True)
    assert "Close the rounds that are still open first" in page
    db.session.expire_all()
    assert edition.results_published_at is None
    assert client.get("/results/feed.json").status_code == 404


def test_nothing_is_public_before_the_secretariat_publishes(client, awarded):
    page = client.get("/results/")
    assert page.status_code == 200 and "are announced on" in page.get_data(as_text=True)
    assert awarded["first"].title not in page.get_data(as_text=True)
    for url in (f"/results/{awarded['first'].reference}", "/results/feed.json",
                f"/results/{awarded['first'].reference}/card-landscape.png"):
        assert client.get(url).status_code == 404, url


def test_publishing_shows_consented_entries_only(client, awarded, as_secretariat, post, app):
    assert "The results are public on the campaign page." in publish(post).get_data(as_text=True)
    assert "results.published" in {e.action for e in db.session.scalars(select(AuditEvent))}
    client.get("/account/logout")
    anonymous = app.test_client()
    page = anonymous.get("/results/").get_data(as_text=True)
    assert awarded["first"].title in page and awarded["third"].title in page
    assert awarded["publication"].reference not in page
    assert "Amira, 12, Lisbon" in page  # 1st: name consent
    assert "a pupil from Lisbon" in page  # 3rd: no name consent
    assert page.count("Amira") == 2  # 1st and 2nd are named; the 3rd is not
    assert anonymous.get(f"/results/{awarded['publication'].reference}").status_code == 404
    main = page.split("<main", 1)[1]
    assert "Escola" not in main and "6B" not in main, "no school or class on the public page"


def test_an_entry_page_has_its_card_as_open_graph_image_only_with_social_consent(client, awarded, as_secretariat,
                                                                                 post, app):
    publish(post)
    anonymous = app.test_client()
    first = anonymous.get(f"/results/{awarded['first'].reference}").get_data(as_text=True)
    assert 'property="og:image"' in first and "card-landscape.png" in first
    second = anonymous.get(f"/results/{awarded['second'].reference}").get_data(as_text=True)
    assert 'property="og:image"' not in second
    card = anonymous.get(f"/results/{awarded['first'].reference}/card-landscape.png?lang=fr")
    assert card.status_code == 200 and Image.open(io.BytesIO(card.data)).size == (1200, 675)
    assert "no-store" not in card.headers["Cache-Control"]
    assert anonymous.get(f"/results/{awarded['second'].reference}/card-landscape.png").status_code == 404
    assert anonymous.get(f"/results/{awarded['first'].reference}/card-landscape.png?lang=xx").status_code == 404


def test_the_feed_is_public_after_publication_and_follows_consent(client, awarded, as_secretariat, post, app):
    publish(post)
    response = app.test_client().get("/results/feed.json")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    feed = json.loads(response.data)
    references = [e["reference"] for c in feed["categories"] for e in c["entries"]]
    assert references[:1] == [awarded["first"].reference]
    assert awarded["publication"].reference not in references
    assert "Amira" not in json.dumps([e for c in feed["categories"] for e in c["entries"]
                                      if e["reference"] == awarded["third"].reference])


def test_the_gallery_speaks_french(client, awarded, as_secretariat, post, app):
    publish(post)
    anonymous = app.test_client()
    page = anonymous.get("/results/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "1er prix" in page and "Résultats" in page


def test_taking_the_results_down_hides_them_at_once(client, awarded, as_secretariat, post, app):
    publish(post)
    assert app.test_client().get("/results/feed.json").status_code == 200
    assert "no longer public" in publish(post, "unpublish").get_data(as_text=True)
    assert app.test_client().get("/results/feed.json").status_code == 404
    assert app.test_client().get(f"/results/{awarded['first'].reference}").status_code == 404
