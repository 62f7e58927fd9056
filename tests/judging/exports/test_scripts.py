"""Every script drawn properly: the font chosen per run covers it, HarfBuzz finds every glyph, bidi order holds.

Each sample is rendered on a card and in the publication. "No .notdef" is checked three ways: the
chosen font's cmap (fontTools) has every character of its run; HarfBuzz shaping the run with that
font's file returns no glyph 0; and the run drawn on a card is pixel for pixel the run drawn alone
with the expected font. The publication is read back with pypdf: its text and the fonts it embeds.
"""
from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
import uharfbuzz as hb
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader

from judging.exports.cards import layout_card, render_card
from judging.exports.fonts import Font, draw_line, printable
from judging.exports.model import Author
from judging.exports.publication import build_publication
from judging.exports.scripts import BY_NAME, visual_runs
from tests.glyphs import assert_no_notdef, harfbuzz_font
from tests.judging.exports.records import make_item, make_results
from tests.judging.exports.test_publication import PDFTOPPM

pytestmark = pytest.mark.usefixtures("app")

# language: (title, poem, the font its letters must be drawn with)
SAMPLES = {
    "ar": ("بيتان", "نحن هنا، وقلوبنا هناك\nنحمل لغتين كمعطفين في الشتاء\nكلتاهما لي.", "arabic"),
    "fa": ("خانه", "می\u200cخواهم بنویسم\nدر سال ۱۳۹۸ آمدیم\nخانه\u200cای با دو زبان", "arabic"),
    "he": ("בית", "אנחנו כאן\nשתי שפות, לב אחד\nבית אחד!", "hebrew"),
    "uk": ("Два пальта", "Ми носимо дві мови,\nяк два пальта взимку.\nҐанок, їжак, Євген.", "roboto"),
    "el": ("Δύο παλτά", "Κουβαλάμε δύο γλώσσες,\nσαν δύο παλτά τον χειμώνα.", "roboto"),
    "tr": ("İki palto", "İki dil taşıyoruz,\nkışın iki palto gibi: ğ ş ı ç ö ü.", "roboto"),
    "hi": ("दो कोट", "हम दो भाषाएँ साथ रखते हैं,\nसर्दियों में दो कोट की तरह।\nक्षत्रिय श्री", "devanagari"),
    "ti": ("ክልተ ጁባ", "ክልተ ቋንቋታት ንስከም ኢና፣\nከም ክልተ ጁባ ኣብ ክረምቲ።", "ethiopic"),
    "zh": ("两件外套", "我们带着两种语言，\n像冬天里的两件外套。\n兩種語言，一個家。", "cjk"),
    "ja": ("二着のコート", "私たちは二つの言葉を持っています。\n冬の二着のコートのように。", "cjk"),
}
MIXED = "وصلت إلى Lisbon في عام 2019،\nوالآن عمري 12 سنة (تقريباً).\nأحب FC Porto!"


# --- fonts and runs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", list(SAMPLES))
def test_each_script_is_drawn_with_its_font_and_no_glyph_is_missing(language):
    title, poem, expected = SAMPLES[language]
    for weight in ("regular", "bold", "italic"):
        for line in (title, *poem.split("\n")):
            assert printable(line, weight) == line
            assert assert_no_notdef(line, weight, rtl=language in ("ar", "fa", "he")) == {expected}


def test_a_mixed_line_keeps_latin_words_and_digits_in_order_and_punctuation_in_place():
    runs = visual_runs("أحب FC Porto منذ 2019!", "regular", True)
    # left to right: the "!" that ends the sentence, the year, Arabic, the Latin name, Arabic
    assert [(run.text, run.face, run.direction) for run in runs] == [
        ("!", "arabic", "rtl"), ("2019", "arabic", "ltr"), (" منذ ", "arabic", "rtl"),
        ("FC Porto", "roboto", "ltr"), ("أحب ", "arabic", "rtl")]
    assert_no_notdef("أحب FC Porto منذ 2019!", rtl=True)
    # in an English sentence the Arabic name is one right-to-left island
    assert [run.text for run in visual_runs("By لشبونة 2026.", "regular", False)] == ["By ", "2026", "لشبونة ", "."]


def test_a_run_on_the_card_is_the_run_drawn_alone_with_the_expected_font():
    word = "وقلوبنا"
    pen = Font(60, "regular")
    drawn = Image.new("L", (400, 120), 255)
    draw_line(ImageDraw.Draw(drawn), (20, 90), word, pen, 0, "rtl")
    noto = ImageFont.truetype(str(BY_NAME["arabic"].file("regular")), 60, layout_engine=ImageFont.Layout.RAQM)
    reference = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(reference).text((20, 90), word, font=noto, fill=0, anchor="ls", direction="rtl")
    assert reference.getextrema()[0] == 0 and ImageChops.difference(drawn, reference).getbbox() is None
    roboto = ImageFont.truetype(str(BY_NAME["roboto"].file("regular")), 60, layout_engine=ImageFont.Layout.RAQM)
    boxes = Image.new("L", (400, 120), 255)  # Roboto has no Arabic: what it draws (boxes) differs
    ImageDraw.Draw(boxes).text((20, 90), word, font=roboto, fill=0, anchor="ls", direction="rtl")
    assert ImageChops.difference(drawn, boxes).getbbox() is not None


def test_the_check_fails_on_a_character_no_bundled_font_has():
    with pytest.raises(AssertionError):  # guard the guard: Hangul forced into the Arabic font has glyph 0
        buffer = hb.Buffer()
        buffer.add_str("집")
        buffer.guess_segment_properties()
        hb.shape(harfbuzz_font("arabic", "regular"), buffer)
        assert all(info.codepoint != 0 for info in buffer.glyph_infos)
    assert visual_runs("집", "regular") == ()  # never handed to a font


# --- cards ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", [*SAMPLES, "mixed"])
def test_each_script_on_a_card(language):
    title, poem, _face = SAMPLES.get(language, ("Lisbon لشبونة 2026", MIXED, ""))
    item = make_item(language="ar" if language == "mixed" else language, title=title, text=poem)
    blocks = layout_card(item, "portrait")
    excerpt = next(b for b in blocks if b.role == "excerpt")
    assert [line.text for line in excerpt.lines] == poem.split("\n")
    rtl = language in ("ar", "fa", "he", "mixed")
    assert excerpt.direction == ("rtl" if rtl else None)
    for block in blocks:
        for line in block.lines:
            assert_no_notdef(line.text, block.weight, block.direction == "rtl")
    assert any(line.text == f"“{title}”" for b in blocks if b.role == "title" for line in b.lines)
    image = render_card(item, "portrait").convert("L")
    for line in excerpt.lines:  # each line drawn where it was measured
        assert image.crop(line.bbox).getextrema()[0] < 100


def test_emoji_on_a_card_are_left_out_and_the_rest_is_drawn():
    item = make_item(language="ar", title="بيتي 🏠", text="نحن هنا 🌍\nمعاً 👨\u200d👩\u200d👧 دائماً")
    blocks = layout_card(item, "square")
    assert [line.text for b in blocks if b.role == "excerpt" for line in b.lines] == ["نحن هنا", "معاً دائماً"]
    assert [line.text for b in blocks if b.role == "title" for line in b.lines] == ["“بيتي”"]


# --- the publication ------------------------------------------------------------------------------------------


def _fonts(page) -> set[str]:
    return {str(ref.get_object()["/BaseFont"]).split("+", 1)[-1] for ref in page["/Resources"]["/Font"].values()}


def _letters(text: str) -> set[str]:
    return {c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c).startswith("L")}


FONT_NAMES = {"arabic": "NotoSansArabic", "hebrew": "NotoSansHebrew", "devanagari": "NotoSansDevanagari",
              "ethiopic": "NotoSansEthiopic", "cjk": "NotoSansCJK", "roboto": "Roboto"}


def test_each_script_in_the_publication(tmp_path):
    items = [make_item(title=title, language=language, text=poem, awards=("publication",), rank=None)
             for language, (title, poem, _face) in SAMPLES.items()]
    path = tmp_path / "scripts.pdf"
    build_publication(make_results(*items), path)
    reader = PdfReader(path)
    for n, (language, (title, poem, face)) in enumerate(SAMPLES.items()):
        page = reader.pages[3 + n]  # cover, contents, the poems' divider, then one page per poem
        text = page.extract_text()
        assert _letters(poem) <= _letters(text), (language, _letters(poem) - _letters(text))
        assert any(name.startswith(FONT_NAMES[face]) for name in _fonts(page)), (language, _fonts(page))
        assert "campaign page" not in text  # drawn, not replaced by a note
        for ref in page["/Resources"]["/Font"].values():  # every font embedded (the CJK one is CFF)
            descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
    contents = reader.pages[1].extract_text()
    assert all(_letters(title) <= _letters(contents) for title, _poem, _face in SAMPLES.values())


def test_a_mixed_arabic_poem_in_the_publication_keeps_every_word(tmp_path):
    buffer = io.BytesIO()
    build_publication(make_results(make_item(title="لشبونة", language="ar", text=MIXED)), buffer)
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[3].extract_text()
    for word in ("Lisbon", "2019", "12", "FC Porto", "تقريباً", "وصلت"):
        assert word in text or word[::-1] in text, word


def test_a_script_no_bundled_font_has_gets_the_note_in_the_publication(tmp_path):
    korean = make_item(title="집", language="ko", text="우리는 여기 있어요\n두 언어")
    some = make_item(title="Two homes", text="My two homes\n집 and بيت\nand one heart", awards=("second",))
    emoji = make_item(title="Hello 🌍", text="We laugh 😂 together", awards=("third",))
    buffer = io.BytesIO()
    build_publication(make_results(korean, some, emoji), buffer)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert "The original is in Korean and can be read on the campaign page." in text
    assert "우리는" not in text and korean.reference in text  # a title no font has: the reference instead
    assert "Some words are in a script this edition cannot print" in text and "بيت" in text
    assert "Emoji and symbols this edition cannot print are left out" in text and "We laugh together" in text


def _ink_rows(image: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """(left, right) ink columns of each line of text between rows ``top`` and ``bottom``, top to bottom."""
    grey = image.convert("L")
    lines, inside = [], None
    for y in range(top, bottom):
        row = grey.crop((0, y, grey.width, y + 1)).point(lambda v: 255 if v < 160 else 0)
        box = row.getbbox()
        if box and inside is None:
            inside = [box[0], box[2]]
        elif box:
            inside = [min(inside[0], box[0]), max(inside[1], box[2])]
        elif inside is not None:
            lines.append(tuple(inside))
            inside = None
    return lines


def test_a_right_to_left_poem_and_title_are_set_from_the_right_in_the_publication(tmp_path):
    if not Path(PDFTOPPM).exists():
        pytest.skip(f"{PDFTOPPM} is missing")
    path = tmp_path / "rtl.pdf"
    build_publication(make_results(make_item(title="قصيدة الغربة", language="ar", text=MIXED)), path)
    subprocess.run([PDFTOPPM, "-r", "72", "-f", "4", "-l", "4", "-png", str(path), str(tmp_path / "page")],
                   check=True, timeout=120)
    page = Image.open(next(tmp_path.glob("page*.png")))
    artifacts = Path("test-artifacts")  # kept for people to look at (git-ignored), as the browser tests do
    artifacts.mkdir(exist_ok=True)
    page.save(artifacts / "publication-arabic-page-4.png")
    award, title, credit, *poem = _ink_rows(page, 40, 330)
    width = page.width
    assert award[0] < width * 0.2 and credit[0] < width * 0.2  # the page's own words stay on the left
    assert title[1] > width * 0.8 and title[0] > width * 0.5  # the Arabic title from the right
    poem = [line for line in poem if line[1] - line[0] > 20][:3]
    assert len(poem) == 3
    assert max(right for _left, right in poem) - min(right for _left, right in poem) <= 2  # one right edge
    assert len({left for left, _right in poem}) == 3 and poem[0][1] > width * 0.8  # ragged on the left


def test_pillow_has_raqm_for_shaping_and_right_to_left():
    from PIL import features

    assert features.check("raqm"), "Pillow has no raqm: install FriBiDi (Debian: libfribidi0) for Arabic and Hebrew"


def test_an_arabic_name_keeps_its_place_in_the_credit_on_a_card_and_in_the_publication(tmp_path):
    item = make_item(authors=(Author("أمينة", "K", 12),), city="Lisbon", title="Two coats")
    credit = next(b for b in layout_card(item, "portrait") if b.role == "credit")
    line = credit.lines[0].text
    assert line == "\u2068أمينة\u2069, 12, Lisbon"
    assert [run.text for run in visual_runs(line, credit.weight, False)] == ["أمينة", ", 12, Lisbon"]
    assert visual_runs("أمينة, 12, Lisbon", "regular", False)[0].text == "12"  # not isolated: the age jumps
    buffer = io.BytesIO()
    build_publication(make_results(item), buffer)
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[3].extract_text()
    assert "أمينة" in text and "12, Lisbon" in text and "Amira" not in text
