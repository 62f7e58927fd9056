"""The public results feed: only publishable entries, credits without names unless consented, stable links."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from judging.exports.feed import SCHEMA, build_feed, excerpt, write_feed
from judging.exports.model import Author
from tests.judging.exports.records import POEM, image_file, make_item, make_results, missing_file

pytestmark = pytest.mark.usefixtures("app")

ENTRY_KEYS = ["reference", "title", "language", "discipline", "age_group", "award", "award_title", "rank", "credit",
              "city", "country_code", "excerpt", "text", "translation", "url", "card", "image"]


def _text(tmp_path, results) -> str:
    path = tmp_path / "feed.json"
    with path.open("w", encoding="utf-8") as fh:
        write_feed(results, fh)
    return path.read_bytes().decode("utf-8")  # fails on anything but valid UTF-8


def _entries(feed) -> list[dict]:
    return [entry for category in feed["categories"] for entry in category["entries"]]


def test_top_level_is_versioned_and_dated():
    feed = build_feed(make_results(make_item()))
    assert list(feed) == ["schema", "edition", "generated_at", "categories"]
    assert feed["schema"] == SCHEMA == "more-than-migrants/results/1"
    assert feed["edition"] == {"id": 1, "name": "More than migrants", "results_on": "2026-12-06"}
    assert feed["generated_at"] == "2026-12-01T09:00:00Z"
    category = feed["categories"][0]
    assert list(category) == ["id", "age_group", "discipline", "title", "entries"]
    assert (category["id"], category["age_group"], category["discipline"]) == (4, "11-18", "poem")
    assert category["title"]["en"] == "Ages 11–18 · Poem" and set(category["title"]) == {"en", "fr"}
    assert list(category["entries"][0]) == ENTRY_KEYS


def test_dates_may_be_missing_and_times_are_given_in_utc():
    paris = timezone(timedelta(hours=1))
    feed = build_feed(make_results(results_on=None, generated_at=datetime(2026, 12, 1, 10, 30, 5, 999, tzinfo=paris)))
    assert feed["edition"]["results_on"] is None
    assert feed["generated_at"] == "2026-12-01T09:30:05Z"
    assert feed["categories"] == []


def test_only_publishable_entries_are_present(tmp_path):
    kept = make_item(title="Kept")
    no_consent = make_item(title="Private", rank=2, awards=("second",), consent_publication=False)
    withdrawn = make_item(title="Gone", rank=3, awards=("third",), status="withdrawn")
    unawarded = make_item(title="Ranked only", rank=4, awards=())
    results = make_results(kept, no_consent, withdrawn, unawarded)
    feed = build_feed(results)
    assert [e["reference"] for e in _entries(feed)] == [kept.reference]
    text = _text(tmp_path, results)
    for absent in (no_consent, withdrawn, unawarded):
        assert absent.reference not in text and absent.title not in text


def test_credit_has_no_name_without_name_consent(tmp_path):
    results = make_results(make_item(consent_name=False))
    entry = _entries(build_feed(results))[0]
    assert entry["credit"]["en"] == "a pupil from Lisbon"
    assert "Amira" not in _text(tmp_path, results)


def test_credit_names_pupils_with_name_consent():
    entry = _entries(build_feed(make_results(make_item(authors=(Author("Amira", "K", 12),)))))[0]
    assert entry["credit"]["en"] == "Amira, 12, Lisbon"
    assert set(entry["credit"]) == {"en", "fr"}


def test_nothing_private_reaches_the_feed(tmp_path):
    item = make_item(entry_id=987654, class_name="Zebra class", school="Escola Básica Camões",
                     files=(image_file(tmp_path, "secret-upload.png"),))
    text = _text(tmp_path, make_results(item))
    for private in ("Zebra class", "Camões", "987654", "consent", "secret-upload", str(tmp_path), "8.25", "juror"):
        assert private not in text
    assert set(json.loads(text)["categories"][0]["entries"][0]) == set(ENTRY_KEYS)


def test_award_and_rank():
    entry = _entries(build_feed(make_results(make_item(rank=2, awards=("second",)))))[0]
    assert (entry["award"], entry["rank"], entry["award_title"]["en"]) == ("second", 2, "2nd prize")


def test_links_are_built_from_the_base_url():
    item = make_item()
    entry = _entries(build_feed(make_results(item, base_url="https://mtm.example.org/")))[0]
    page = f"https://mtm.example.org/results/{item.reference}"
    assert entry["url"] == page
    assert entry["card"] == {"portrait": f"{page}/card-portrait.png", "square": f"{page}/card-square.png",
                             "landscape": f"{page}/card-landscape.png"}
    assert entry["image"] is None  # a poem has no image


def test_no_card_link_without_consent_to_social_media():
    entry = _entries(build_feed(make_results(make_item(consent_social=False))))[0]
    assert entry["card"] is None and entry["url"]


def test_a_long_poem_is_cut_with_an_ellipsis():
    long_poem = "\n".join(f"Line {n} of a very long poem" for n in range(1, 501))
    entry = _entries(build_feed(make_results(make_item(text=long_poem))))[0]
    assert entry["excerpt"].endswith("…")
    assert entry["excerpt"].startswith("Line 1 of") and "Line 5 " not in entry["excerpt"]
    assert len(entry["excerpt"]) <= 281
    assert entry["text"] == long_poem


def test_a_long_essay_is_cut_on_a_word():
    essay = " ".join(["belonging"] * 200)
    cut = excerpt(make_item(discipline="essay", text=essay))
    assert cut.endswith("belonging…") and len(cut) <= 281


def test_a_short_poem_is_not_cut():
    entry = _entries(build_feed(make_results(make_item(text=POEM))))[0]
    assert entry["excerpt"] == "We carry two languages\nlike two coats in winter,\none for the street, one for home.\nBoth are mine."
    assert "…" not in entry["excerpt"]


def test_an_illustration_has_an_image_link_and_no_text(tmp_path):
    drawing = make_item(discipline="illustration", age_group="5-10", category_id=2, text="",
                        files=(image_file(tmp_path),))
    lost = make_item(discipline="illustration", age_group="5-10", category_id=2, text="", rank=2, awards=("second",),
                     files=(missing_file(),))
    entries = _entries(build_feed(make_results(drawing, lost)))
    assert entries[0]["image"] == f"https://example.org/results/{drawing.reference}/image"
    assert (entries[0]["text"], entries[0]["excerpt"]) == ("", "")
    assert entries[1]["image"] is None


def test_translation_is_given_when_there_is_one():
    translated = make_item(language="pt", translation_text="Two coats, in English.", translation_language="en")
    entries = _entries(build_feed(make_results(translated, make_item(rank=2, awards=("second",)))))
    assert entries[0]["translation"] == {"language": "en", "text": "Two coats, in English."}
    assert entries[1]["translation"] is None


def test_categories_without_publishable_entries_are_listed_empty():
    feed = build_feed(make_results(make_item(), make_item(category_id=2, age_group="5-10", consent_publication=False)))
    assert [(c["id"], len(c["entries"])) for c in feed["categories"]] == [(4, 1), (2, 0)]


def test_entries_follow_award_order_then_rank():
    items = [make_item(title="Published", rank=1, awards=("publication",)),
             make_item(title="Special", rank=4, awards=("special",)),
             make_item(title="Second", rank=3, awards=("second",)),
             make_item(title="First", rank=2, awards=("first",)),
             make_item(title="Published too", rank=None, awards=("publication",))]
    titles = [e["title"] for e in _entries(build_feed(make_results(*items)))]
    assert titles == ["First", "Second", "Special", "Published", "Published too"]


def test_utf8_emoji_and_right_to_left_survive_a_round_trip(tmp_path):
    title = "قصيدة البيت 🌍 שיר 👩🏽‍🎓"
    results = make_results(make_item(title=title, text=f"{title}\nSecond line"), base_url="https://example.org")
    text = _text(tmp_path, results)
    assert title in text  # written as characters, not \u escapes
    assert json.loads(text) == build_feed(results)
    assert _entries(json.loads(text))[0]["title"] == title
