"""Every export and public page for entries in every status × award × consent: never a 500 (issue 9, point 6).

Before the freeze, an extension let a teacher turn an awarded entry back into a draft, and the export
page then failed with ``KeyError: 'draft'``. Entries can still leave the competition after an award
(withdrawn, disqualified), and old data may hold such drafts, so every output must take them all.
"""
from __future__ import annotations

import io
import itertools
import json
import zipfile

import pytest
from sqlalchemy import select

from core.db import db
from tests.judging.exports.test_export_views import start
from tests.judging.exports.test_gallery import publish

STATUSES = ("draft", "submitted", "withdrawn", "disqualified")
AWARDS = (None, "special", "publication")
CONSENTS = {"all": (True, True, True), "none": (False, False, False), "no_name": (True, True, False),
            "no_social": (True, False, True), "no_publication": (False, True, True)}


@pytest.fixture()
def every_state(scored, make_entries, edition):
    """Ranked entries in every combination, unranked awarded ones, places for the best, an illustration."""
    from competition.models import EntryAuthor, EntryFile, Pupil
    from core.files import get_storage
    from judging.models import Award
    from tests.fixtures import jpeg_bytes

    combos = list(itertools.product(STATUSES, AWARDS, CONSENTS))
    entries, _jurors = scored(len(combos) + 3, jurors=3, k=2)
    pupils = db.session.scalars(select(Pupil).order_by(Pupil.id)).all()
    unranked = make_entries(len(STATUSES), discipline="essay")
    drawing = make_entries(1, discipline="illustration")[0]
    key = get_storage().put(jpeg_bytes())
    drawing.files.append(EntryFile(purpose="work", kind="image", original_name="d.jpg", original_key=key,
                                   original_size=1, cleaned_key=key, cleaned_mime="image/jpeg", cleaned_ext=".jpg",
                                   web_key=key, width=640, height=480))
    states = [(e, *combo) for e, combo in zip(entries, combos)]
    states += [(e, status, "special", "all") for e, status in zip(unranked, STATUSES)]
    states += [(drawing, "submitted", "special", "all")]
    states += [(e, "submitted", place, "all") for e, place in zip(entries[len(combos):], ("first", "second", "third"))]
    for n, (entry, status, award, consent) in enumerate(states):
        entry.status = status
        entry.consent_publication, entry.consent_social, entry.consent_name = CONSENTS[consent]
        if n % 2:
            entry.whole_class = False
            entry.authors = [EntryAuthor(pupil=pupils[n % len(pupils)])]
        if award:
            db.session.add(Award(edition_id=edition.id, category_id=entry.category_id, entry_id=entry.id, kind=award))
    db.session.commit()
    return states


def test_the_export_page_and_direct_downloads_take_every_state(client, every_state, as_secretariat):
    from judging.exports.dataset import collect

    page = client.get("/judging/exports")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Not submitted (a draft): left out of everything published." in text
    assert "Withdrawn after the award" in text and "Disqualified after the award" in text
    for fmt in ("xlsx", "csv", "json"):
        assert client.get(f"/judging/exports/results.{fmt}").status_code == 200, fmt
    results = collect(every_state[0][0].category.edition, ranked=False)
    assert {i.status for i in results.selected} == {"submitted"}
    assert {i.status for i in results.items} == set(STATUSES)
    for item in results.for_social:
        assert client.get(f"/judging/exports/cards/{item.reference}/square.png").status_code == 200
    french = client.get("/judging/exports", headers={"Accept-Language": "fr"})
    assert french.status_code == 200


@pytest.mark.parametrize("kind", ["results", "social", "publication", "bundle"])
def test_every_background_export_takes_every_state(client, every_state, as_secretariat, post, kind):
    job = start(post, kind)
    assert job.status == "done", job.error
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/judging/exports/jobs/{job.id}/download").data))
    names = set(archive.namelist())
    published = {e.reference for e, status, award, consent in every_state
                 if status == "submitted" and award and consent not in ("none", "no_publication")}
    posted = {e.reference for e, status, award, consent in every_state
              if status == "submitted" and award and consent not in ("none", "no_social")}
    if kind in ("results", "bundle"):
        feed = json.loads(archive.read("results/results.json"))
        assert {e["reference"] for c in feed["categories"] for e in c["entries"]} == published
    if kind in ("social", "bundle"):
        cards = {n.split("/")[-1].split("-")[0] + "-" + n.split("/")[-1].split("-")[1] for n in names
                 if n.startswith("social/cards/")}
        assert cards == posted
        assert "social/schedule.csv" in names and "social/schedule.ics" in names
        assert any(n.startswith("social/captions/") for n in names)
    if kind in ("publication", "bundle"):
        assert {"publication/publication-en.pdf", "publication/publication-fr.pdf"} <= names
    if kind == "bundle":
        left_out = archive.read("left-out.csv").decode("utf-8-sig")
        assert "Not submitted (a draft)" in left_out


def test_the_public_results_take_every_state(client, every_state, as_secretariat, post, app):
    publish(post)
    visitor = app.test_client()
    assert visitor.get("/results/").status_code == 200
    assert visitor.get("/results/", headers={"Accept-Language": "fr"}).status_code == 200
    feed = visitor.get("/results/feed.json")
    assert feed.status_code == 200
    listed = {e["reference"] for c in feed.get_json()["categories"] for e in c["entries"]}
    for entry, status, award, consent in every_state:
        public = status == "submitted" and award is not None and consent not in ("none", "no_publication")
        shared = status == "submitted" and award is not None and consent not in ("none", "no_social")
        assert (entry.reference in listed) is public, (status, award, consent)
        assert visitor.get(f"/results/{entry.reference}").status_code == (200 if public else 404)
        assert visitor.get(f"/results/{entry.reference}/card-square.png").status_code == (200 if shared else 404)
        image = visitor.get(f"/results/{entry.reference}/image").status_code
        assert image == (200 if public and entry.files else 404), (entry.reference, status, award, consent)
