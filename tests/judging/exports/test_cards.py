"""Social-media cards: exact sizes, PNG without metadata, text that stays in its box, pictures that stay visible."""
from __future__ import annotations

import io
import struct
import time
import zlib
from itertools import combinations

import pytest
from PIL import Image

from judging.exports.cards import SIZES, Block, card_png, layout_card, render_card
from judging.exports.fonts import coverage, fit_text, place_lines, printable, text_width
from judging.exports.model import Author, WorkFile
from tests.judging.exports.records import image_file, make_item, missing_file

pytestmark = pytest.mark.usefixtures("app")

LONG_POEM = "\n".join(f"Line {n}: the sea between two cities keeps our names" for n in range(500))
LONG_TITLE = ("Crossing the sea with my grandmother's recipes, my brother's football and a map of a city "
              "that changed its name twice ") * 3
LONG_TITLE = LONG_TITLE[:300]
HEBREW = "אנחנו כאן\nשתי שפות\nבית אחד"
ARABIC = "نحن هنا\nلغتان\nبيت واحد"
KOREAN = "우리는 여기 있어요\n두 언어\n하나의 집"  # Hangul: no bundled font
MIXED = "وصلت إلى Lisbon في عام 2019،\nوالآن عمري 12 سنة (تقريباً).\nأحب FC Porto!"
EMOJI = "🌍✨ We are here 🙌"
OUTSIDE_PANEL = ("slogan", "award", "category", "title", "credit", "hashtags")


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


def _inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_sound(blocks: list[Block], size: str) -> None:
    """Every block on the canvas; text inside its box; no two texts overlapping; the panel's text inside it."""
    canvas = (0, 0, *SIZES[size])
    texts = [b for b in blocks if b.lines]
    for block in blocks:
        assert _inside(block.box, canvas), block
    for block in texts:
        assert _inside(block.ink, block.box), (block.role, block.ink, block.box)
        assert _inside(block.ink, canvas), block.role
        assert all(line.text for line in block.lines[-1:]), block.role
    for a, b in combinations(texts, 2):
        assert not _overlap(a.ink, b.ink), (a.role, b.role)
    panel = next(b for b in blocks if b.role == "panel")
    for block in texts:
        if block.role in OUTSIDE_PANEL:
            assert not _overlap(block.ink, panel.box), block.role
        else:
            assert _inside(block.ink, panel.box), block.role


def _lines(blocks, role) -> list[str]:
    return [line.text for b in blocks if b.role == role for line in b.lines]


def _all_text(blocks) -> str:
    return "\n".join(line.text for b in blocks for line in b.lines)


def _picture(blocks) -> Block:
    return next(b for b in blocks if b.role in ("picture", "motif"))


# --- the PNG itself -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_each_size_is_an_exact_png_without_metadata(tmp_path, size):
    item = make_item(discipline="illustration", text="", files=(image_file(tmp_path),))
    data = card_png(item, size)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == SIZES[size] and image.mode == "RGB"
    image.load()
    assert not getattr(image, "text", {}) and "exif" not in image.info and "icc_profile" not in image.info
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"tIME"):
        assert marker not in data
    assert set(_png_chunks(data)) <= {b"IHDR", b"IDAT", b"IEND"}


def test_the_same_entry_gives_the_same_bytes():
    item = make_item()
    assert card_png(item, "square") == card_png(item, "square")


def test_a_long_poem_costs_no_more_than_a_short_one():
    item = make_item(text=LONG_POEM, title=LONG_TITLE)
    card_png(item, "portrait")  # fonts loaded once
    started = time.process_time()  # processor time, not wall-clock: the same on a busy machine
    card_png(item, "portrait")
    assert time.process_time() - started < 1.0


# --- the words on the card ------------------------------------------------------------------------------------


def test_the_card_carries_slogan_award_category_title_credit_and_hashtags():
    blocks = layout_card(make_item(), "portrait")
    assert _lines(blocks, "slogan") == ["More than migrants"]
    assert _lines(blocks, "award") == ["1st prize"]
    assert _lines(blocks, "category") == ["Ages 11–18 · Poem"]
    assert _lines(blocks, "title") == ["“Two coats”"]
    assert _lines(blocks, "credit") == ["Amira, 12, Lisbon"]
    assert _lines(blocks, "hashtags") == ["#ICCities #Morethanmigrants #MigrantsDay"]
    assert _lines(blocks, "excerpt")[:2] == ["We carry two languages", "like two coats in winter,"]
    assert "" in _lines(blocks, "excerpt")  # the stanza break is kept


@pytest.mark.parametrize("size", list(SIZES))
def test_no_name_without_name_consent(size):
    item = make_item(consent_name=False, authors=(Author("Amira", "K", 12), Author("Tomás", "R", 11)))
    text = _all_text(layout_card(item, size))
    assert "Amira" not in text and "Tomás" not in text
    assert _lines(layout_card(item, size), "credit") == ["pupils from Lisbon"]
    assert "Amira" in _all_text(layout_card(make_item(consent_name=True), size))


CASES = {
    "long poem": dict(text=LONG_POEM),
    "long title": dict(title=LONG_TITLE),
    "unbreakable title": dict(title="A" * 300),
    "hebrew": dict(language="he", title="בית", text=HEBREW),
    "arabic": dict(language="ar", title="بيت", text=ARABIC),
    "arabic translated": dict(language="ar", title="بيت", text=ARABIC, translation_text="We are here\nTwo languages"),
    "mixed arabic latin digits": dict(language="ar", title="Lisbon لشبونة 2026", text=MIXED),
    "long arabic essay": dict(language="ar", discipline="essay", text="وصلت إلى Lisbon في عام 2019 مع عائلتي. " * 60),
    "chinese and japanese": dict(language="zh", title="两件外套", text="我们带着两种语言，\n像冬天里的两件外套。\n私たちはここにいます。"),
    "unbroken chinese": dict(language="zh", title="家" * 200, text="我们带着两种语言像冬天里的两件外套" * 20),
    "korean": dict(language="ko", title="집", text=KOREAN),
    "emoji": dict(title=EMOJI, text=EMOJI + "\nΚαλημέρα\nПривет"),
    "long essay": dict(discipline="essay", text="My grandmother kept her keys. " * 400),
    "empty poem": dict(text=""),
    "many authors": dict(authors=tuple(Author(f"Name{n}", "X", 10) for n in range(12))),
    "illustration": dict(discipline="illustration", text=""),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("case", list(CASES))
def test_every_line_stays_inside_its_box_and_the_card(tmp_path, case, size, language):
    overrides = dict(CASES[case])
    if overrides.get("discipline") == "illustration":
        overrides["files"] = (image_file(tmp_path),)
    item = make_item(**overrides)
    assert_sound(layout_card(item, size, language), size)


@pytest.mark.parametrize("case", list(CASES))
def test_every_case_renders(tmp_path, case):
    item = make_item(**CASES[case])
    for size in SIZES:
        assert render_card(item, size).size == SIZES[size]


def test_a_long_poem_is_cut_with_an_ellipsis():
    blocks = layout_card(make_item(text=LONG_POEM), "portrait")
    excerpt = _lines(blocks, "excerpt")
    assert excerpt[0].startswith("Line 0:") and excerpt[-1].endswith("…") and len(excerpt) <= 20


@pytest.mark.parametrize("size", list(SIZES))
def test_a_300_character_title_wraps_and_ends_with_an_ellipsis_inside_the_quotes(size):
    title = _lines(layout_card(make_item(title=LONG_TITLE), size), "title")
    assert title[0].startswith("“Crossing the sea") and title[-1].endswith("…”")
    assert len(title) <= (4 if size == "landscape" else 2)


def test_emoji_are_dropped_not_drawn_as_boxes():
    blocks = layout_card(make_item(title=EMOJI, text=EMOJI + "\nΚαλημέρα\nПривет"), "square")
    assert _lines(blocks, "title") == ["“We are here”"]
    assert _lines(blocks, "excerpt") == ["We are here", "Καλημέρα", "Привет"]


@pytest.mark.parametrize("language, text, name", [("ko", KOREAN, "Korean"), ("ka", "ჩვენ აქ ვართ", "Georgian")])
def test_a_text_no_bundled_font_can_draw_points_to_the_campaign_page(language, text, name):
    blocks = layout_card(make_item(language=language, title="집", text=text), "portrait")
    assert " ".join(_lines(blocks, "excerpt")) == f"A poem in {name} — read it on the campaign page"
    assert not _lines(blocks, "title")  # a title of letters no font has is left out, not drawn as boxes
    assert any(b.role == "motif" for b in blocks)


@pytest.mark.parametrize("language, text", [("he", HEBREW), ("ar", ARABIC)])
def test_arabic_and_hebrew_are_drawn_not_replaced_by_the_message(language, text):
    blocks = layout_card(make_item(language=language, title="בית", text=text), "portrait")
    assert _lines(blocks, "excerpt") == text.split("\n")
    assert _lines(blocks, "title") == ["“בית”"]


def test_a_korean_poem_with_a_translation_shows_the_translation():
    item = make_item(language="ko", text=KOREAN, translation_text="We are here\nTwo languages\nOne home")
    blocks = layout_card(item, "portrait")
    assert _lines(blocks, "excerpt") == ["We are here", "Two languages", "One home"]
    assert _lines(blocks, "note") == ["Translation — original in Korean"]


def test_an_arabic_poem_with_a_translation_shows_the_arabic():
    item = make_item(language="ar", text=ARABIC, translation_text="We are here\nTwo languages\nOne home")
    blocks = layout_card(item, "portrait")
    assert _lines(blocks, "excerpt") == ARABIC.split("\n") and not _lines(blocks, "note")


def test_an_essay_excerpt_uses_its_opening_words():
    blocks = layout_card(make_item(discipline="essay", text="My grandmother kept her keys. " * 400), "landscape")
    assert _lines(blocks, "excerpt")[0].startswith("My grandmother") and _lines(blocks, "excerpt")[-1].endswith("…")


# --- pictures -------------------------------------------------------------------------------------------------

COLOUR = (30, 110, 200)


def _share_of_colour(image: Image.Image, box, colour=COLOUR, tolerance=40) -> float:
    data = image.crop(box).reduce(4).convert("RGB").tobytes()
    pixels = [data[n:n + 3] for n in range(0, len(data), 3)]
    near = sum(all(abs(p - c) <= tolerance for p, c in zip(px, colour, strict=True)) for px in pixels)
    return near / len(pixels)


@pytest.mark.parametrize("shape", [(40, 4000), (5000, 100)])
@pytest.mark.parametrize("size", list(SIZES))
def test_an_extreme_picture_is_cropped_not_shrunk_to_a_sliver(tmp_path, shape, size):
    item = make_item(discipline="illustration", text="", files=(image_file(tmp_path, size=shape, colour=COLOUR),))
    blocks = layout_card(item, size)
    picture = _picture(blocks)
    assert picture.role == "picture"
    panel = next(b for b in blocks if b.role == "panel")
    assert (picture.box[2] - picture.box[0]) > (panel.box[2] - panel.box[0]) * 0.8
    assert (picture.box[3] - picture.box[1]) > (panel.box[3] - panel.box[1]) * 0.8
    assert _share_of_colour(render_card(item, size), picture.box) > 0.95


def test_a_normal_picture_is_contained_with_its_shape(tmp_path):
    item = make_item(discipline="illustration", text="", files=(image_file(tmp_path, size=(600, 900), colour=COLOUR),))
    picture = _picture(layout_card(item, "square"))
    width, height = picture.box[2] - picture.box[0], picture.box[3] - picture.box[1]
    assert abs(width / height - 600 / 900) < 0.01
    assert _share_of_colour(render_card(item, "square"), picture.box) > 0.95


def test_the_web_copy_is_preferred(tmp_path):
    original = image_file(tmp_path, "original.png", colour=(200, 0, 0))
    web = image_file(tmp_path, "web.png", colour=COLOUR)
    item = make_item(discipline="illustration", text="", files=(WorkFile(
        purpose="work", kind="image", path=original.path, web_path=web.path),))
    assert _share_of_colour(render_card(item, "square"), _picture(layout_card(item, "square")).box) > 0.95


@pytest.mark.parametrize("files", [(), (missing_file(),)])
def test_a_missing_picture_shows_the_title_and_the_motif(files):
    item = make_item(discipline="illustration", text="", title="My street", files=files)
    for size in SIZES:
        blocks = layout_card(item, size)
        assert _picture(blocks).role == "motif" and _lines(blocks, "title") == ["“My street”"]
        assert render_card(item, size).size == SIZES[size]


def test_a_file_that_vanished_or_is_broken_shows_the_motif(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    gone = tmp_path / "gone.png"
    for path in (broken, gone):
        item = make_item(discipline="illustration", text="", files=(WorkFile("work", "image", path, None),))
        assert _picture(layout_card(item, "square")).role == "motif"
        render_card(item, "square")


def _png_bomb(path, side=20_000) -> None:
    """A real 1-bit PNG of side × side pixels: 50 MB of zeros, deflated to a few hundred KB."""
    row = b"\x00" * (1 + side // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_not_decoded(tmp_path):
    path = tmp_path / "bomb.png"
    _png_bomb(path)
    item = make_item(discipline="illustration", text="", files=(WorkFile("work", "image", path, None),))
    started = time.perf_counter()
    blocks = layout_card(item, "portrait")
    image = render_card(item, "portrait")
    assert time.perf_counter() - started < 3
    assert _picture(blocks).role == "motif" and image.size == SIZES["portrait"]


def test_a_jpeg_above_the_bomb_limit_is_decoded_small(tmp_path, monkeypatch):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (2400, 2400), COLOUR).save(path, quality=90)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)  # 5.8 MP is now "a bomb" for Image.open
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path)
    item = make_item(discipline="illustration", text="", files=(WorkFile("work", "image", path, None),))
    picture = _picture(layout_card(item, "square"))
    assert picture.role == "picture"
    assert _share_of_colour(render_card(item, "square"), picture.box) > 0.95


def test_a_large_jpeg_renders_quickly(tmp_path):
    path = tmp_path / "scan.jpg"
    Image.new("L", (8000, 8000), 90).save(path, quality=70)
    item = make_item(discipline="illustration", text="", files=(WorkFile("work", "image", path, None),))
    started = time.perf_counter()
    render_card(item, "portrait")
    assert time.perf_counter() - started < 2


# --- fonts ----------------------------------------------------------------------------------------------------


def test_printable_drops_what_no_bundled_font_can_draw():
    assert printable(EMOJI) == "We are here"
    assert printable("Καλημέρα") == "Καλημέρα" and printable("Привет") == "Привет"
    assert printable("a\x00b\u200bc\x07\u202e") == "abc"  # controls, zero-width space, a bidi override
    assert printable("one\n\ntwo  three\tfour") == "one\n\ntwo three four"
    assert printable("Home بيت 집") == "Home بيت"
    assert printable("«\u00a0Bonjour\u00a0»") == "«\u00a0Bonjour\u00a0»"
    assert printable("می\u200cخواهم") == "می\u200cخواهم"  # Persian's joiner, between letters, stays
    assert printable("family 👨\u200d👩\u200d👧 first") == "family first"  # an emoji's joiners go with it


def test_coverage_counts_letters_only():
    assert coverage("Привет, Καλημέρα!") == 1.0
    assert coverage(ARABIC) == coverage(HEBREW) == coverage("नमस्ते") == coverage("ሰላም") == coverage("你好") == 1.0
    assert coverage(KOREAN) == 0.0
    assert coverage("🌍✨🙌") == 1.0
    assert coverage("ab 집집") == 0.5


BOX = (100, 100, 500, 300)


def test_fit_text_keeps_a_short_text_at_its_largest_size():
    fitted = fit_text("Two coats", BOX, 40, 12)
    assert fitted.size == 40 and fitted.lines == ("Two coats",) and not fitted.cut


def test_fit_text_wraps_then_shrinks():
    text = "We carry two languages like two coats in winter, one for the street, one for home."
    fitted = fit_text(text, BOX, 60, 12)
    assert 12 < fitted.size < 60 and len(fitted.lines) > 1 and not fitted.cut
    assert " ".join(fitted.lines) == text
    assert all(text_width(fitted.font, line) <= 400 for line in fitted.lines)


def test_fit_text_cuts_at_a_word_with_an_ellipsis_at_its_smallest_size():
    text = "word " * 2000
    fitted = fit_text(text, BOX, 30, 20)
    assert fitted.size == 20 and fitted.cut and fitted.lines[-1].endswith("word…")
    assert all(line.replace("…", "").split(" ") == ["word"] * len(line.split(" ")) for line in fitted.lines)
    placed = place_lines(fitted, BOX)
    assert all(_inside(line.bbox, BOX) for line in placed)


def test_fit_text_keeps_line_breaks_breaks_long_words_and_respects_no_break_spaces():
    assert fit_text("one\ntwo", BOX, 30, 20).lines == ("one", "two")
    broken = fit_text("x" * 200, BOX, 20, 20).lines
    assert len(broken) > 1 and "".join(broken) == "x" * 200
    french = fit_text("Bonjour\u00a0! " * 10, (0, 0, 300, 400), 30, 30).lines
    assert not any(line.startswith("!") for line in french)


def test_fit_text_respects_max_lines_and_tiny_boxes():
    assert len(fit_text("a b c d e f g h", (0, 0, 30, 400), 30, 30, max_lines=2).lines) == 2
    assert fit_text("anything", (0, 0, 300, 5), 30, 20).lines == ()


def test_place_lines_aligns_right_to_left_text_to_the_right():
    fitted = fit_text("short\nlonger line", BOX, 30, 20, direction="rtl")
    placed = place_lines(fitted, BOX, align="right")
    assert all(abs(line.bbox[2] - BOX[2]) <= 1 for line in placed)
    centred = place_lines(fit_text("short", BOX, 30, 20), BOX, align="center", valign="middle")[0]
    assert abs((centred.bbox[0] + centred.bbox[2]) / 2 - 300) <= 2
    assert abs((centred.bbox[1] + centred.bbox[3]) / 2 - 200) <= 12


@pytest.mark.parametrize("text", [ARABIC, HEBREW, MIXED])
def test_a_right_to_left_poem_is_drawn_right_aligned_line_by_line(text):
    blocks = layout_card(make_item(language="ar", text=text), "portrait")
    excerpt = next(b for b in blocks if b.role == "excerpt")
    rule = next(b for b in blocks if b.role == "rule")
    assert excerpt.direction == "rtl"
    assert [line.text for line in excerpt.lines] == text.split("\n")  # logical order kept, line by line
    assert all(abs(line.bbox[2] - excerpt.box[2]) <= 1 for line in excerpt.lines)
    assert len({line.bbox[0] for line in excerpt.lines}) > 1  # ragged on the left
    assert rule.box[0] > excerpt.ink[2]  # the rule sits on the right
    assert_sound(blocks, "portrait")


def test_a_long_right_to_left_line_wraps_on_the_logical_text():
    line = "وصلت إلى Lisbon في عام 2019 مع عائلتي الكبيرة، وأحب المدينة والبحر والناس كثيراً جداً!"
    blocks = layout_card(make_item(language="ar", text=line), "landscape")
    excerpt = next(b for b in blocks if b.role == "excerpt")
    lines = [placed.text.lstrip("\u00a0") for placed in excerpt.lines]
    assert len(lines) > 1 and " ".join(lines) == line  # the first words on the first line
    assert lines[0].startswith("وصلت") and lines[-1].endswith("!")
    image = render_card(make_item(language="ar", text=line), "landscape").convert("L")
    right = excerpt.box[2]
    for n, placed in enumerate(excerpt.lines):  # the hanging indent is on the right: no ink there
        edge = image.crop((right - 16, placed.y - 20, right, placed.y + 2))
        assert (edge.getextrema()[0] < 128) == (n == 0), n


def test_fit_text_prefers_a_size_that_keeps_a_poems_lines_whole():
    poem = "short\nthis line is quite a lot longer"
    wrapped = fit_text(poem, BOX, 60, 12)
    kept = fit_text(poem, BOX, 60, 12, keep_lines=True)
    assert len(wrapped.lines) > 2 and kept.lines == ("short", "this line is quite a lot longer")
    assert kept.size < wrapped.size
