"""Campaign cards: three sizes, every script drawn (no .notdef), right-to-left set from the right, emoji left out,
only what consent allows. Writes the sample cards of the closing note to test-artifacts/."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from campaign.cards import SIZES, card_png, layout
from tests.campaign.submissions import ARABIC_STORY, ARABIC_TRANSLATION, jpeg_bytes, make_submission
from tests.glyphs import assert_no_notdef

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MIXED = "أنا طباخة في Lisbon منذ 2019. أحب FC Porto! أنا مهاجرة."


def _texts(blocks):
    return [line.text for block in blocks for line in block.lines]


def _check_drawn(blocks):
    for block in blocks:
        for line in block.lines:
            assert_no_notdef(line.text, block.weight, block.direction == "rtl")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_quote_card_with_its_photo_in_each_size(app, edition, cities, size):
    sub = make_submission(edition, cities[0], photo=jpeg_bytes())
    blocks = layout(sub, size, "en")
    assert any(b.role == "picture" for b in blocks)
    assert "Amina · Lisbon" in _texts(blocks)
    width, height = SIZES[size]
    for block in blocks:  # nothing leaves the card
        assert 0 <= block.box[0] < block.box[2] <= width and 0 <= block.box[1] < block.box[3] <= height
    _check_drawn(blocks)
    image = Image.open(io.BytesIO(card_png(sub, size, "en")))
    assert image.size == (width, height) and not image.info  # no metadata chunk
    if size == "portrait":
        ARTIFACTS.mkdir(exist_ok=True)
        image.save(ARTIFACTS / "campaign-quote-card.png")


def test_without_consent_to_the_image_and_name_neither_is_drawn(app, edition, cities):
    sub = make_submission(edition, cities[0], photo=jpeg_bytes(), consents=("publication", "social"))
    blocks = layout(sub, "portrait", "en")
    assert not any(b.role == "picture" for b in blocks)
    assert "Lisbon" in _texts(blocks) and not any("Amina" in t for t in _texts(blocks))


def test_an_arabic_story_card_is_drawn_right_to_left_with_latin_words_and_digits(app, edition, cities):
    sub = make_submission(edition, cities[0], "story", text=ARABIC_STORY, language="ar", person_name="فاطمة",
                          translation_language="en", translation_text=ARABIC_TRANSLATION, photo=jpeg_bytes())
    blocks = layout(sub, "portrait", "en")
    excerpt = next(b for b in blocks if b.role == "excerpt")
    assert excerpt.direction == "rtl"
    assert any("2019" in line.text and "FC Porto" in ARABIC_STORY for line in excerpt.lines)
    # right-aligned: every line ends at the box's right edge
    assert all(abs(line.bbox[2] - excerpt.box[2]) <= 4 for line in excerpt.lines if line.text)
    _check_drawn(blocks)
    ARTIFACTS.mkdir(exist_ok=True)
    Image.open(io.BytesIO(card_png(sub, "portrait", "en"))).save(ARTIFACTS / "campaign-arabic-story-card.png")


def test_mixed_script_quote_arabic_latin_and_digits(app, edition, cities):
    sub = make_submission(edition, cities[0], text=MIXED, language="ar")
    blocks = layout(sub, "square", "fr")
    excerpt = next(b for b in blocks if b.role == "excerpt")
    assert excerpt.direction == "rtl"
    joined = " ".join(line.text for line in excerpt.lines)
    assert "Lisbon" in joined and "2019" in joined and "FC Porto" in joined
    _check_drawn(blocks)


def test_a_right_to_left_name_is_set_from_the_right(app, edition, cities):
    sub = make_submission(edition, cities[0], person_name="فاطمة الزهراء")
    blocks = layout(sub, "portrait", "en")
    credit = next(b for b in blocks if b.role == "credit")
    assert credit.direction == "rtl" and credit.lines[0].text == "فاطمة الزهراء · Lisbon"
    assert abs(credit.lines[0].bbox[2] - credit.box[2]) <= 4
    _check_drawn(blocks)


def test_an_emoji_is_left_out_and_the_rest_is_drawn(app, edition, cities):
    sub = make_submission(edition, cities[0], text="I am a cook 👩‍🍳. I like the sea 🌊. I am a migrant.",
                          person_name="Amina 🙂")
    blocks = layout(sub, "portrait", "en")
    texts = " ".join(_texts(blocks))
    assert "🌊" not in texts and "👩" not in texts and "I like the sea" in texts and "Amina" in texts
    _check_drawn(blocks)


def test_a_text_no_bundled_font_draws_shows_its_translation(app, edition, cities):
    sub = make_submission(edition, cities[0], "story", text="나는 요리사입니다. " * 5, language="ko",
                          translation_language="en", translation_text="I am a cook.")
    texts = _texts(layout(sub, "portrait", "en"))
    assert "Translation" in texts and "I am a cook." in texts
