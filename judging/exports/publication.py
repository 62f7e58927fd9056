"""The print-ready publication: an A4 PDF of the entries selected for publication, in one language.

Two passes: the contents are laid out once with placeholder numbers to learn how many pages they
take, the body (section dividers and entries) is drawn knowing that, then the contents are drawn
again with the real numbers. Uploaded PDFs are merged in with pypdf after their entry's pages,
scaled to A4 and stamped with their page numbers. Only ``results.for_publication`` is read, so an
entry without publication consent cannot appear; credits follow ``wording.credit``.
"""
from __future__ import annotations

import io
import string
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject

from core.i18n import language_name
from judging.exports.fonts import is_rtl, printable
from judging.exports.model import Item, Results
from judging.exports.publication_fonts import UNDRAWABLE, drawable_share, lost_symbols, printable_lines
from judging.exports.publication_pages import ContentsRow, Picture, PublicationPDF, prepare_picture
from judging.exports.wording import award_title, category_title, credit

Progress = Callable[[int, int, str], None]
PLATFORM = "More than migrants platform"
A4 = (595.2756, 841.8898)  # points
RUNNING_TITLE = 90  # characters of a title repeated on its continuation pages


def build_publication(results: Results, out: str | Path | BinaryIO, language: str = "en",
                      progress: Progress | None = None) -> int:
    """Write the publication of ``results`` in ``language`` to ``out``; return its number of pages.

    With nothing to publish the PDF holds the cover and a short message instead of entries.
    ``progress(done, total, step)`` is called after each entry.
    """
    with force_locale(language):
        builder = _Builder(results, language, progress)
        writer = builder.build()
        _describe(writer, results, language)
        writer.write(out)
        return len(writer.pages)


class _Builder:
    def __init__(self, results: Results, language: str, progress: Progress | None) -> None:
        self.results = results
        self.language = language
        self.progress = progress
        self.pictures: dict[Path, Picture | None] = {}  # each image decoded once
        self.uploads: dict[Path, PdfReader | None] = {}  # each uploaded PDF opened once

    def build(self) -> PdfWriter:
        rows = _contents(self.results, self.language)
        if not rows:
            return _assemble(self._front(None), None, [])
        front_pages = 1 + _contents_pages(rows)
        for _attempt in range(3):  # the contents' length does not depend on its numbers: one pass is enough
            body, pages = self._body(rows, front_pages)
            rows = [replace(row, page=page) for row, page in zip(rows, pages)]
            front = self._front(rows)
            if _page_count(front) == front_pages:
                break
            front_pages = _page_count(front)
        return _assemble(front, body, rows)

    def _front(self, rows: list[ContentsRow] | None) -> bytes:
        """The cover, then the contents (or, with nothing to publish, a message)."""
        pdf = PublicationPDF(number_first=False)
        edition = printable(self.results.edition_name).strip()
        slogan = _("More than migrants")
        year = str((self.results.results_on or self.results.generated_at).year)
        pdf.cover(_("International Migrants Day · 18 December"), slogan,
                  edition if edition.casefold() != slogan.casefold() else "", _("Publication"), year)
        if rows is None:
            pdf.message_page(_("No entries are selected for publication yet."))
        else:
            pdf.contents(_("Contents"), rows)
        return bytes(pdf.output())

    def _body(self, rows: list[ContentsRow], front_pages: int) -> tuple[PublicationPDF, list[int]]:
        """Dividers and entries, numbered from ``front_pages + 1``; returns the page of each row."""
        pdf = PublicationPDF(number_offset=front_pages)
        pages: list[int] = []
        total, done = sum(1 for row in rows if row.item), 0
        for row in rows:
            if row.item is None:
                pages.append(pdf.divider(row.title, _("More than migrants")))
                continue
            pages.append(self._entry(pdf, row.item))
            done += 1
            if self.progress:
                self.progress(done, total, row.item.reference)
        return pdf, pages

    def _entry(self, pdf: PublicationPDF, item: Item) -> int:
        """One entry from a new page: heading, notes, text, images, uploaded pages, translation."""
        language = self.language
        title = _title(item)
        credited = printable(credit(item, language, isolate=True)).strip()
        number = pdf.heading(title, award_title(item.award, language), credited)
        short = title if len(title) <= RUNNING_TITLE else title[:RUNNING_TITLE].rstrip() + "…"
        pdf.running = _("%(title)s (continued)", title=short)
        pictures: list[Picture] = []
        uploads: list[PdfReader] = []
        missing = False
        for work in item.work_files:
            if work.path is None:
                missing = True
            elif work.kind == "image":
                picture = self._picture(work.path)
                missing = missing or picture is None
                pictures += [picture] if picture else []
            elif work.kind == "pdf":
                upload = self._upload(work.path)
                missing = missing or upload is None
                uploads += [upload] if upload else []
        if missing:
            pdf.note(_("The work file is not available."))
        self._text(pdf, item.discipline, _body(item), item.language)
        for picture in pictures:
            pdf.picture(picture, title)
        for upload in uploads:
            pdf.insert_after(len(upload.pages), upload)
        if item.translation_text.strip():
            name = language_name(item.translation_language, language)
            pdf.subheading(_("Translation (%(language)s)", language=name) if name else _("Translation"))
            self._text(pdf, item.discipline, item.translation_text, item.translation_language)
        pdf.running = ""
        return number

    def _text(self, pdf: PublicationPDF, discipline: str, text: str, text_language: str) -> None:
        """A poem or prose in what the bundled fonts draw, right to left when it is; a note for what is left out.

        Most of it in a script no bundled font has (Korean…): a note instead. Some words in such a
        script, or emoji: the rest, and a note saying so.
        """
        if not text.strip():
            return
        share = drawable_share(text)
        if share < UNDRAWABLE:
            name = language_name(text_language, self.language)
            pdf.note(_("The original is in %(language)s and can be read on the campaign page.", language=name))
            return
        shown = printable_lines(text)
        if discipline == "poem":
            pdf.poem(shown, rtl=is_rtl(shown))
        else:
            pdf.prose(shown, rtl=is_rtl(shown))
        if share < 1:
            pdf.note(_("Some words are in a script this edition cannot print: the full text can be read on the "
                       "campaign page."))
        elif lost_symbols(text):
            pdf.note(_("Emoji and symbols this edition cannot print are left out: the full text can be read on "
                       "the campaign page."))

    def _picture(self, path: Path) -> Picture | None:
        if path not in self.pictures:
            self.pictures[path] = prepare_picture(path)
        return self.pictures[path]

    def _upload(self, path: Path) -> PdfReader | None:
        if path not in self.uploads:
            self.uploads[path] = _open_upload(path)
        return self.uploads[path]


def _contents(results: Results, language: str) -> list[ContentsRow]:
    """A row per category that has entries to publish, each followed by a row per entry (pages still 0)."""
    rows: list[ContentsRow] = []
    category = None
    for item in results.for_publication:
        if item.category_id != category:
            category = item.category_id
            rows.append(ContentsRow(category_title(item.age_group, item.discipline, language)))
        detail = " · ".join(part for part in (award_title(item.award, language),
                                              printable(credit(item, language, isolate=True)).strip()) if part)
        rows.append(ContentsRow(_title(item), detail=detail, item=item))
    return rows


def _contents_pages(rows: list[ContentsRow]) -> int:
    """How many pages the contents take, laid out without being written out."""
    pdf = PublicationPDF()
    pdf.contents(_("Contents"), rows)
    return pdf.pages_count


def _title(item: Item) -> str:
    """The title as it can be printed; the reference when it is mostly in a script no bundled font has."""
    shown = " ".join(printable(item.title).split())
    if not shown or drawable_share(item.title) < UNDRAWABLE:
        return item.reference
    return shown


def _body(item: Item) -> str:
    """The entry's text: typed in, else read from its documents (not from a PDF that is merged in whole)."""
    if item.text.strip():
        return item.text
    return "\n\n".join(f.text for f in item.work_files if f.text.strip() and not (f.kind == "pdf" and f.path))


def _open_upload(path: Path) -> PdfReader | None:
    """The uploaded PDF, or None when it cannot be read (broken, protected, empty)."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return reader if len(reader.pages) else None
    except (OSError, PyPdfError, ValueError, KeyError):
        return None


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _assemble(front: bytes, body: PublicationPDF | None, rows: list[ContentsRow]) -> PdfWriter:
    """Front, body and uploaded pages in order, uploaded pages on A4 with their numbers; an outline."""
    writer = PdfWriter()
    tags = _subset_tags()
    for page in _retagged(PdfReader(io.BytesIO(front)), tags).pages:
        writer.add_page(page)
    if body is None:
        return writer
    after: dict[int, list[PdfReader]] = {}
    for page_no, _pages, upload in body.insertions:
        after.setdefault(page_no, []).append(upload)  # type: ignore[arg-type]
    numbers, count = [], len(writer.pages)
    for n in range(1, body.pages_count + 1):
        count += 1
        for upload in after.get(n, []):
            numbers += range(count + 1, count + 1 + len(upload.pages))
            count += len(upload.pages)
    stamps = iter(_retagged(_number_stamps(numbers), tags).pages if numbers else [])
    scratch = PdfWriter()  # pypdf only transforms pages that belong to a writer
    for n, page in enumerate(_retagged(PdfReader(io.BytesIO(bytes(body.output()))), tags).pages, start=1):
        writer.add_page(page)
        for upload in after.get(n, []):
            for uploaded in upload.pages:
                a4 = _on_a4(scratch, uploaded)
                a4.merge_page(next(stamps))
                writer.add_page(a4)
    parent = None
    for row in rows:
        if row.item is None:
            parent = writer.add_outline_item(title=row.title, page_number=row.page - 1)
        else:
            writer.add_outline_item(title=row.item.title or row.item.reference, page_number=row.page - 1, parent=parent)
    return writer


def _subset_tags() -> Iterator[str]:
    """Six-letter font subset tags, each used once: "MTMAAA", "MTMAAB"…"""
    letters = string.ascii_uppercase
    return (f"MTM{a}{b}{c}" for a in letters for b in letters for c in letters)


def _retagged(reader: PdfReader, tags: Iterator[str]) -> PdfReader:
    """``reader`` with a tag of its own on each font subset fpdf2 made.

    fpdf2 names every subset "MPDFAA+Roboto": the front, the body and the stamps each hold a different
    subset under the same name, which some printers and preflight tools take for one font.
    """
    seen: set[int] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in seen or not str(font.get("/BaseFont", "")).startswith("/MPDFAA+"):
                continue
            seen.add(id(font))
            name = NameObject(f"/{next(tags)}+{str(font['/BaseFont']).split('+', 1)[1]}")
            font[NameObject("/BaseFont")] = name
            for descendant in font.get("/DescendantFonts", []):
                cid = descendant.get_object()
                cid[NameObject("/BaseFont")] = name
                cid["/FontDescriptor"].get_object()[NameObject("/FontName")] = name
    return reader


def _number_stamps(numbers: list[int]) -> PdfReader:
    """One page per number, blank but for the number where the footer puts it: laid over uploaded pages."""
    pdf = PublicationPDF(numbers=numbers)
    for _number in numbers:
        pdf.add_page()
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def _on_a4(scratch: PdfWriter, uploaded: PageObject) -> PageObject:
    """A copy of ``uploaded`` upright: itself when it is A4 portrait, else scaled to fit A4 and centred."""
    page = scratch.add_page(uploaded)
    page.transfer_rotation_to_content()
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    if abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2:
        return page
    scale = min(A4[0] / width, A4[1] / height)
    a4 = scratch.add_blank_page(width=A4[0], height=A4[1])
    a4.merge_transformed_page(page, Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale)
                              .translate((A4[0] - width * scale) / 2, (A4[1] - height * scale) / 2))
    return a4


def _describe(writer: PdfWriter, results: Results, language: str) -> None:
    """Title, platform and language: nothing about any pupil."""
    made = results.generated_at if results.generated_at.tzinfo else results.generated_at.replace(tzinfo=timezone.utc)
    writer.add_metadata({
        "/Title": f"{results.edition_name} — publication",
        "/Author": PLATFORM, "/Creator": PLATFORM, "/Producer": PLATFORM,
        "/CreationDate": _pdf_date(made), "/ModDate": _pdf_date(made),
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
