"""Captions: English and French always, the work's own language only in the pupil's words, consent, limits."""
from __future__ import annotations

import pytest

from judging.exports.captions import LIMIT, caption_languages, caption_name, captions, length, opening
from judging.exports.model import Author
from tests.judging.exports.records import make_item

pytestmark = pytest.mark.usefixtures("app")

BASE = "https://example.org"
HASHTAG_LINE = "#ICCities #Morethanmigrants #MigrantsDay"
LONG_POEM = "\n".join(f"Linha {n}: o mar entre duas cidades guarda os nossos nomes" for n in range(500))


@pytest.mark.parametrize("language, keys", [
    ("en", {"en", "fr"}), ("fr", {"en", "fr"}), ("en-GB", {"en", "fr"}), ("pt", {"en", "fr", "pt"}),
    ("pt_BR", {"en", "fr", "pt-br"}), ("ar", {"en", "fr", "ar"}), ("", {"en", "fr"}),
])
def test_english_and_french_always_and_the_own_language_only_when_another(language, keys):
    item = make_item(language=language)
    assert set(captions(item, BASE)) == keys == set(caption_languages(item))
    assert caption_name(item, "en") == f"{item.slug}-en.txt"


def test_the_english_caption_has_award_category_title_credit_link_slogan_and_hashtags():
    item = make_item()
    text = captions(item, BASE)["en"]
    lines = text.split("\n")
    assert lines[0] == "1st prize · Ages 11–18 · Poem"
    assert lines[1] == "“Two coats” by Amira, 12, Lisbon"
    assert "We carry two languages\nlike two coats in winter," in text  # the pupil's words, in their language
    assert f"Read the whole poem: {BASE}/results/{item.reference}" in lines
    assert "More than migrants — International Migrants Day, 18 December" in lines
    assert lines[-1] == HASHTAG_LINE


@pytest.mark.parametrize("discipline, invitation", [
    ("essay", "Read the essay: "), ("illustration", "See the illustration: ")])
def test_the_invitation_fits_the_discipline(discipline, invitation):
    item = make_item(discipline=discipline, text="" if discipline == "illustration" else "An essay.")
    assert f"{invitation}{BASE}/results/{item.reference}" in captions(item, BASE)["en"]


def test_without_a_base_address_there_is_no_link():
    item = make_item()
    for text in captions(item).values():
        assert "http" not in text and "/results/" not in text
    assert "Read the whole poem on the campaign page." in captions(item)["en"]


def test_every_caption_links_to_the_entry_and_ends_with_the_hashtags():
    item = make_item(language="pt", title="Dois casacos", text="Carregamos duas línguas\ncomo dois casacos")
    for text in captions(item, BASE + "/").values():
        assert f"{BASE}/results/{item.reference}" in text and "//results" not in text
        assert text.split("\n")[-1] == HASHTAG_LINE


@pytest.mark.parametrize("consent", [False, True])
def test_names_only_with_consent(consent):
    item = make_item(language="pt", consent_name=consent, authors=(Author("Amira", "K", 12), Author("Tomás", "R", 11)))
    texts = captions(item, BASE)
    for text in texts.values():
        assert ("Amira" in text) is (consent and text is not texts["pt"])
        assert "Tomás" not in text or consent
    if not consent:
        assert "“Two coats” by pupils from Lisbon" in texts["en"]


def test_the_own_language_caption_is_only_the_pupils_words():
    item = make_item(language="pt", title="Dois casacos",
                     text="Carregamos duas línguas\ncomo dois casacos no inverno,\n\nAmbas são minhas.")
    text = captions(item, BASE)["pt"]
    assert text.split("\n\n") == ["Dois casacos", "Carregamos duas línguas\ncomo dois casacos no inverno…",
                                  f"{BASE}/results/{item.reference}", HASHTAG_LINE]
    assert "prize" not in text and "Read" not in text and "More than migrants" not in text
    assert "Carregamos" not in captions(item, BASE)["en"]  # other languages do not get it


def test_right_to_left_text_and_emoji_are_kept():
    item = make_item(language="ar", title="🌍 بيتي", text="نحن هنا 🙌\nلغتان")
    texts = captions(item, BASE)
    assert texts["ar"].startswith("🌍 بيتي\n\nنحن هنا 🙌\nلغتان\n\n")
    assert "“\u2068🌍 بيتي\u2069” by Amira, 12, Lisbon" in texts["en"]  # isolated: keeps its own direction


def test_a_right_to_left_title_or_name_keeps_its_order_inside_an_english_caption():
    item = make_item(language="ar", title="بيتي!", authors=(Author("أمينة", "K", 12),), city="Lisbon")
    line = captions(item, BASE)["en"].split("\n")[1]
    assert line == "“\u2068بيتي!\u2069” by \u2068أمينة\u2069, 12, Lisbon"
    french = captions(item, BASE)["fr"]
    assert "\u2068أمينة\u2069, 12 ans, Lisbon" in french or "\u2068أمينة\u2069, 12" in french
    latin = captions(make_item(), BASE)["en"]
    assert not any(c in latin for c in "\u2068\u2069\u200f")  # no marks where no script mixes


def test_a_right_to_left_poem_line_that_starts_in_latin_gets_a_mark_in_its_own_caption():
    item = make_item(language="ar", title="Lisbon لشبونة", text="نحن هنا\nLisbon 2019 مدينتي\n12 سنة")
    own = captions(item, BASE)["ar"]
    assert own.split("\n\n")[:2] == ["\u200fLisbon لشبونة", "نحن هنا\n\u200fLisbon 2019 مدينتي\n12 سنة"]
    assert "\u200f" not in captions(make_item(language="pt", text="Linha 1\n2 linhas"), BASE)["pt"]


@pytest.mark.parametrize("text", ["\n".join(f"Lisbon {n} لشبونة " * 30 for n in range(40)),
                                  ("1 بيت " * 2000)])
def test_marks_count_in_the_limit(text):
    item = make_item(language="ar", title="Lisbon " + "لشبونة " * 400, text=text)
    for caption in captions(item, BASE).values():
        assert length(caption) <= LIMIT and caption.split("\n")[-1] == HASHTAG_LINE


def test_control_characters_are_removed():
    item = make_item(title="Two\x00 coats\x1b", text="We\x07 carry\r\ntwo languages")
    text = captions(item, BASE)["en"]
    assert "\x00" not in text and "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "“Two coats” by" in text and "We carry\ntwo languages" in text


@pytest.mark.parametrize("overrides", [
    dict(text=LONG_POEM, language="pt"),
    dict(text=LONG_POEM.replace("Linha", "Line"), language="en"),
    dict(discipline="essay", text="Uma frase longa sobre a cidade. " * 3000, language="pt"),
    dict(title="A title that never ends " * 200, text=LONG_POEM, language="pt"),
    dict(title="🌍" * 3000, language="ar"),
])
def test_every_caption_stays_within_instagrams_limit(overrides):
    for text in captions(make_item(**overrides), BASE).values():
        assert length(text) <= LIMIT
        assert text.split("\n")[-1] == HASHTAG_LINE


def test_the_excerpt_is_shortened_before_the_title():
    title = "Two coats and a long title " * 20  # 540 characters: it still fits
    item = make_item(title=title, text="A line that is quite long about the sea " * 200, discipline="essay")
    text = captions(item, BASE)["en"]
    assert f"“{title.strip()}”" in text and length(text) <= LIMIT


def test_opening_keeps_a_poems_first_lines_and_cuts_an_essay_at_a_word():
    assert opening(make_item(text="one\ntwo\nthree\nfour\nfive\nsix")) == "one\ntwo\nthree\nfour…"
    assert opening(make_item(text="one\ntwo\n\nthree")) == "one\ntwo…"
    assert opening(make_item(text="one\ntwo")) == "one\ntwo"
    essay = opening(make_item(discipline="essay", text="word " * 500), chars=50)
    assert essay.endswith("word…") and length(essay) <= 50 and "wor…" not in essay


def test_without_consent_to_publication_a_caption_points_to_no_page(app):
    item = make_item(consent_publication=False)
    for text in captions(item, "https://example.org").values():
        assert "/results/" not in text and "campaign page" not in text
