"""The print-ready publication: page structure, text layer, contents, numbering, consent, scripts, fonts."""
from __future__ import annotations

import io
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from judging.exports import publication_pages
from judging.exports.model import WorkFile
from judging.exports.publication import build_publication
from tests.judging.exports.records import POEM, image_file, make_item, make_results, missing_file, pdf_file

A4_POINTS = (595.28, 841.89)
PDFTOPPM = "/usr/bin/pdftoppm"


def build(tmp_path: Path, results, name: str = "publication.pdf", **kwargs) -> tuple[PdfReader, int]:
    path = tmp_path / name
    pages = build_publication(results, path, **kwargs)
    return PdfReader(path), pages


def page_lines(reader: PdfReader, index: int) -> list[str]:
    return [line.strip() for line in reader.pages[index].extract_text().splitlines() if line.strip()]


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def heading_page(reader: PdfReader, title: str) -> int:
    """The index of the page whose heading is ``title`` (the award line comes first, then the title)."""
    for index in range(2, len(reader.pages)):
        if title in page_lines(reader, index)[:3]:
            return index
    raise AssertionError(f"no page has the heading {title!r}")


def contents_numbers(reader: PdfReader, titles: list[str]) -> dict[str, int]:
    lines = page_lines(reader, 1)
    found = {}
    for title in titles:
        match = next((re.fullmatch(rf"{re.escape(title)} (\d+)", line) for line in lines
                      if re.fullmatch(rf"{re.escape(title)} (\d+)", line)), None)
        assert match, f"{title!r} is not in the contents: {lines}"
        found[title] = int(match.group(1))
    return found


def outline_titles(outline) -> list[str]:
    return [title for entry in outline
            for title in (outline_titles(entry) if isinstance(entry, list) else [entry.title])]


def known_set(tmp_path: Path, with_upload: bool = True):
    essay_files = (pdf_file(tmp_path, pages=2, text="Uploaded essay page"),) if with_upload else ()
    return make_results(
        make_item(title="Two coats", category_id=4),
        make_item(title="Harbour lights", category_id=4, awards=("second",), rank=2),
        make_item(title="Many kitchens", discipline="essay", category_id=5, text="", files=essay_files),
        make_item(title="After the essay", discipline="essay", category_id=5, awards=("third",), rank=3,
                  text="A short essay that follows the uploaded one."),
    )


def test_page_count_of_a_known_set(app, tmp_path):
    reader, pages = build(tmp_path, known_set(tmp_path))
    # cover, contents, poem divider, 2 poems, essay divider, essay heading + 2 uploaded pages, last essay
    assert pages == len(reader.pages) == 10
    without, pages_without = build(tmp_path, known_set(tmp_path, with_upload=False), "without.pdf")
    assert pages - pages_without == 2
    assert all((round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) == (595.3, 841.9)
               for p in reader.pages)


def test_text_layer_has_titles_credits_poem_lines_and_translation(app, tmp_path):
    item = make_item(title="Two coats", translation_text="Nous portons deux langues\ncomme deux manteaux",
                     translation_language="fr")
    reader, _pages = build(tmp_path, make_results(item))
    lines = page_lines(reader, heading_page(reader, "Two coats"))
    assert "Amira, 12, Lisbon" in lines
    poem = [line for line in POEM.splitlines() if line.strip()]
    start = lines.index(poem[0])
    assert lines[start:start + len(poem)] == poem  # each line of the poem on a line of its own, in order
    assert "TRANSLATION (FRENCH)" in [line.upper() for line in lines]
    assert lines.index("Nous portons deux langues") + 1 == lines.index("comme deux manteaux")


def test_essay_paragraphs_and_document_text(app, tmp_path):
    docx = WorkFile(purpose="work", kind="docx", path=tmp_path / "essay.docx", web_path=None,
                    text="Text read from the document.")
    essay = make_item(title="Read from a document", discipline="essay", category_id=5, text="", files=(docx,))
    reader, _pages = build(tmp_path, make_results(essay))
    assert "Text read from the document." in reader.pages[heading_page(reader, "Read from a document")].extract_text()


def test_contents_give_the_page_of_each_title(app, tmp_path):
    results = known_set(tmp_path)
    reader, _pages = build(tmp_path, results)
    titles = [item.title for item in results.for_publication]
    numbers = contents_numbers(reader, titles)
    for title in titles:
        assert numbers[title] == heading_page(reader, title) + 1
    assert numbers["After the essay"] == 10  # after the two uploaded pages
    for index in range(1, len(reader.pages)):
        assert page_lines(reader, index)[-1] == str(index + 1)  # every page but the cover is numbered


def test_uploaded_pages_are_merged_after_the_heading_numbered_and_on_a4(app, tmp_path):
    from fpdf import FPDF

    small = FPDF(format=(148, 210))  # A5
    small.add_page()
    small.set_font("helvetica", size=12)
    small.cell(text="A5 page")
    small.output(str(tmp_path / "a5.pdf"))
    a5 = WorkFile(purpose="work", kind="pdf", path=tmp_path / "a5.pdf", web_path=None, page_count=1)
    results = make_results(
        make_item(title="Many kitchens", discipline="essay", category_id=5, text="",
                  files=(pdf_file(tmp_path, pages=2, text="Uploaded essay page"),)),
        make_item(title="Small paper", discipline="essay", category_id=5, text="", awards=("second",), files=(a5,)))
    reader, _pages = build(tmp_path, results)
    heading = heading_page(reader, "Many kitchens")
    for n in (1, 2):
        lines = page_lines(reader, heading + n)
        assert f"Uploaded essay page {n}" in lines
        assert lines[-1] == str(heading + n + 1)
    scaled = reader.pages[heading_page(reader, "Small paper") + 1]
    assert "A5 page" in scaled.extract_text()
    assert (round(float(scaled.mediabox.width), 1), round(float(scaled.mediabox.height), 1)) == (595.3, 841.9)


def test_entries_without_publication_consent_are_left_out(app, tmp_path):
    results = make_results(make_item(title="Shared with the world"),
                           make_item(title="Kept at school", consent_publication=False, awards=("second",)))
    reader, _pages = build(tmp_path, results)
    text = all_text(reader)
    assert "Shared with the world" in text
    assert "Kept at school" not in text
    assert "Shared with the world" in outline_titles(reader.outline)
    assert "Kept at school" not in outline_titles(reader.outline)


def test_no_name_without_name_consent(app, tmp_path):
    item = make_item(title="Unsigned", consent_name=False)
    reader, _pages = build(tmp_path, make_results(item))
    text = all_text(reader)
    assert "Amira" not in text
    assert "a pupil from Lisbon" in text


def test_long_poem_flows_over_pages_with_a_running_title(app, tmp_path):
    lines = [f"Verse number {n} of the very long poem" for n in range(1, 501)]
    reader, pages = build(tmp_path, make_results(make_item(title="Endless road", text="\n".join(lines))))
    assert pages >= 3 + 10
    found = [line for page in reader.pages for line in page_lines(reader, reader.pages.index(page))
             if line.startswith("Verse number")]
    assert found == lines
    continued = [n for n in range(len(reader.pages)) if "Endless road (continued)" in page_lines(reader, n)]
    assert len(continued) == pages - 4  # every page of the poem after the first


def test_long_title_wraps(app, tmp_path):
    title = ("Between two shores my grandmother's songs travel " * 7)[:300].strip()
    unbroken = "A" * 300
    results = make_results(make_item(title=title), make_item(title=unbroken, awards=("second",)))
    reader, _pages = build(tmp_path, results)
    text = all_text(reader)
    assert " ".join(title.split()) in " ".join(text.split())
    heading = [line for line in page_lines(reader, 3) if line.startswith(("Between", "between")) or "shores" in line]
    assert len(heading) >= 3  # wrapped over several lines, not run off the page
    assert max(len(line) for line in text.splitlines() if set(line) == {"A"}) < 100
    assert sum(len(line) for line in text.splitlines() if set(line) == {"A"}) >= 300


def test_scripts_no_bundled_font_has_and_emoji(app, tmp_path):
    arabic = make_item(title="قصيدة الغربة", language="ar", text="أنا هنا\nوقلبي هناك",
                       translation_text="I am here\nand my heart is there", translation_language="en")
    korean = make_item(title="집", language="ko", text="우리는 여기 있어요", awards=("second",))
    emoji = make_item(title="Hello 🌍 world 🎨", text="We laugh 😂 together\nfamily 👨‍👩‍👧 first", awards=("third",))
    reader, _pages = build(tmp_path, make_results(arabic, korean, emoji))
    text = all_text(reader)
    assert "I am here" in text and "and my heart is there" in text
    assert "هنا" in text and "The original is in Arabic" not in text  # Arabic is drawn now
    assert "The original is in Korean and can be read on the campaign page." in text
    assert "Hello world" in text and "We laugh together" in text
    assert "family first" in text
    assert "Emoji and symbols this edition cannot print are left out" in text
    for ch in text:  # no emoji, joiners or Hangul drawn as missing glyphs
        assert unicodedata.category(ch) not in ("So", "Cf") and not 0xAC00 <= ord(ch) <= 0xD7AF, repr(ch)


def test_a_few_words_in_another_script_are_left_out_with_a_note(app, tmp_path):
    text = "My two homes\n우리 집\nand one heart"
    reader, _pages = build(tmp_path, make_results(make_item(title="Two homes", text=text)))
    lines = page_lines(reader, heading_page(reader, "Two homes"))
    assert lines[lines.index("My two homes") + 1] == "and one heart"
    assert any(line.startswith("Some words are in a script this edition cannot print") for line in lines)


def test_tall_illustration_and_missing_files(app, tmp_path):
    tall = make_item(title="Tower", discipline="illustration", category_id=6, text="",
                     files=(image_file(tmp_path, "tall.png", size=(20, 2000)),))
    lost = make_item(title="Lost drawing", discipline="illustration", category_id=6, text="", awards=("second",),
                     files=(missing_file(),))
    lost_pdf = make_item(title="Lost essay", discipline="essay", category_id=5, awards=("third",),
                         text="The words are still here.", files=(missing_file("pdf"),))
    reader, pages = build(tmp_path, make_results(tall, lost, lost_pdf))
    page = reader.pages[heading_page(reader, "Tower")]
    images = list(page.images)
    assert len(images) == 1
    placed = _image_box(page)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert 0 < placed[0] and placed[0] + placed[2] < width and 0 < placed[1] and placed[1] + placed[3] < height
    assert placed[3] > height * 0.5  # fitted by height
    assert abs((placed[0] + placed[2] / 2) - width / 2) < 1  # centred
    for title in ("Lost drawing", "Lost essay"):
        assert "The work file is not available." in reader.pages[heading_page(reader, title)].extract_text()
    assert "The words are still here." in all_text(reader)


def test_images_are_shrunk_to_jpeg_and_decoded_once(app, tmp_path, monkeypatch):
    big = image_file(tmp_path, "big.png", size=(5000, 4000))
    calls = []
    original = publication_pages.prepare_picture

    def counting(path):
        calls.append(path)
        return original(path)

    monkeypatch.setattr("judging.exports.publication.prepare_picture", counting)
    results = make_results(*(make_item(title=f"Mural {n}", discipline="illustration", category_id=6, text="",
                                       files=(big,), awards=("publication",)) for n in range(3)))
    reader, _pages = build(tmp_path, results)
    assert calls == [big.path]
    image = reader.pages[heading_page(reader, "Mural 0")]["/Resources"]["/XObject"]
    xobject = next(iter(image.values())).get_object()
    assert xobject["/Filter"] == "/DCTDecode"
    assert max(xobject["/Width"], xobject["/Height"]) <= 3000


def test_fonts_are_embedded(app, tmp_path):
    results = known_set(tmp_path)
    reader, _pages = build(tmp_path, results)
    checked = 0
    for page in reader.pages:
        uploaded = "Uploaded essay page" in page.extract_text()
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if uploaded and font.get("/Subtype") == "/Type1":
                continue  # the upload's own font
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font).get(
                "/FontDescriptor")
            assert descriptor is not None, font
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor.get_object(), font
            checked += 1
    assert checked > len(reader.pages)
    names = {str(ref.get_object()["/BaseFont"]) for page in reader.pages
             for ref in page["/Resources"].get("/Font", {}).values()}
    assert not any(name.startswith("/MPDFAA+") for name in names)  # each subset has a tag of its own


def test_metadata_has_no_pupil_data(app, tmp_path):
    item = make_item(title="Two coats", school="Escola Básica Camões")
    reader, _pages = build(tmp_path, make_results(item, edition_name="More than migrants 2026"), language="fr")
    metadata = {str(k): str(v) for k, v in reader.metadata.items()}
    assert metadata["/Title"] == "More than migrants 2026 — publication"
    assert metadata["/Author"] == metadata["/Creator"] == metadata["/Producer"] == "More than migrants platform"
    assert not any(word in value for value in metadata.values() for word in ("Amira", "Camões", "Lisbon", "Two"))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert "/Metadata" not in reader.trailer["/Root"]


def test_nothing_to_publish(app, tmp_path):
    results = make_results(make_item(title="Kept at school", consent_publication=False))
    buffer = io.BytesIO()
    pages = build_publication(results, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert pages == len(reader.pages) == 2
    assert "No entries are selected for publication yet." in reader.pages[1].extract_text()
    assert "Kept at school" not in all_text(reader)
    assert build_publication(make_results(), io.BytesIO()) == 2


def test_progress_is_reported_per_entry(app, tmp_path):
    results = known_set(tmp_path)
    calls = []
    build_publication(results, io.BytesIO(), progress=lambda done, total, step: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_first_pages_render_to_png(app, tmp_path):
    if not Path(PDFTOPPM).exists():
        if os.environ.get("REQUIRE_PDFTOPPM") == "1":
            pytest.fail(f"{PDFTOPPM} is missing")
        pytest.skip(f"{PDFTOPPM} is missing")
    folder = Path(os.environ.get("REVIEW_DIR") or tmp_path / "review")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("publication-*.png"):
        old.unlink()
    path = tmp_path / "sample.pdf"
    build_publication(_sample(tmp_path), path)
    subprocess.run([PDFTOPPM, "-r", "50", "-f", "1", "-l", "4", "-png", str(path), str(folder / "publication")],
                   check=True, timeout=120)
    pngs = sorted(folder.glob("publication-*.png"))
    assert len(pngs) == 4
    for png in pngs:
        with Image.open(png) as image:
            assert abs(image.height / image.width - 1.414) < 0.02
    with Image.open(pngs[0]) as cover:
        assert cover.convert("L").getextrema()[0] < 128  # something is drawn on the cover


def _sample(tmp_path: Path):
    """A realistic publication: poems, an essay, an illustration, an uploaded PDF, a translation."""
    return make_results(
        make_item(title="Two coats", translation_text="Nous portons deux langues\ncomme deux manteaux en hiver",
                  translation_language="fr"),
        make_item(title="Harbour lights", category_id=4, awards=("second",), consent_name=False,
                  text="My father counts the ships\nthat never brought him home.\n\nI count the ones that did."),
        make_item(title="Where I come from", discipline="essay", category_id=5, awards=("first",),
                  text="My grandmother came from Cape Verde with a suitcase full of songs.\n"
                       "Today the neighbours knock on our door every Saturday."),
        make_item(title="An essay in PDF", discipline="essay", category_id=5, awards=("publication",), text="",
                  files=(pdf_file(tmp_path, pages=2),)),
        make_item(title="Colours of my street", discipline="illustration", age_group="5-10", category_id=6,
                  text="", files=(image_file(tmp_path, size=(1600, 2000)),)),
    )


def _image_box(page) -> tuple[float, float, float, float]:
    """Where the page's one image is drawn: x, y, width, height in points (from its ``cm`` operator)."""
    content = page.get_contents().get_data().decode("latin-1")
    match = re.search(r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*/I", content)
    assert match, "no image placement"
    w, h, x, y = (float(v) for v in match.groups())
    return x, y, w, h
