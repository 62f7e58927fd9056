"""The pages of the publication, drawn with fpdf2: cover, contents, dividers and entries.

The type (Roboto, with the bundled Noto fonts for other scripts, shaping and right-to-left lines) is
``publication_fonts.ScriptFonts``. Page numbers are drawn in the footer from ``number_offset`` and the
count of uploaded pages registered with ``insert_after``, which ``publication.py`` merges in afterwards.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from judging.exports.fonts import is_rtl
from judging.exports.model import Item
from judging.exports.publication_fonts import FONT, LIGHT, ScriptFonts

INK = (34, 30, 36)
MUTED = (112, 104, 112)
BRAND = (122, 31, 92)  # --brand of static/css/app.css
ACCENT = (242, 183, 5)  # --accent
DARK = (86, 21, 64)  # --brand-dark
PALE = (222, 196, 212)
MARGIN = 26.0  # mm, left and right
TOP = 26.0
BOTTOM = 24.0
POEM_INDENT = 8.0  # poems sit a little in from the margin
HANG = 7.0  # hanging indent of a poem line too long for the measure
MAX_PIXELS = 3000  # longest side of an image embedded in the PDF
JPEG_QUALITY = 90
LONG_TITLE = 120  # characters: a longer title is set smaller


# Images -----------------------------------------------------------------------
@dataclass(frozen=True)
class Picture:
    """An image ready to embed: JPEG bytes at most ``MAX_PIXELS`` on the long side."""

    data: bytes
    width: int
    height: int


def prepare_picture(path: Path) -> Picture | None:
    """Decode, orient, flatten and shrink an image once; None when Pillow cannot read it."""
    try:
        with Image.open(path) as img:
            if img.format == "JPEG":
                img.draft("RGB", (MAX_PIXELS, MAX_PIXELS))
            orientation = img.getexif().get(0x0112, 1)
            if (img.format == "JPEG" and img.mode in ("RGB", "L") and orientation == 1
                    and max(img.size) <= MAX_PIXELS):
                return Picture(Path(path).read_bytes(), *img.size)
            img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
                rgba = img.convert("RGBA")
                img = Image.new("RGB", rgba.size, "white")
                img.paste(rgba, mask=rgba.getchannel("A"))
            elif img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            img.save(buffer, "JPEG", quality=JPEG_QUALITY)
            return Picture(buffer.getvalue(), *img.size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


# The document -----------------------------------------------------------------
class PublicationPDF(ScriptFonts):
    """An A4 page maker with the publication's fonts, margins, running header and numbered footer."""

    def __init__(self, number_offset: int = 0, number_first: bool = True, numbers: list[int] | None = None) -> None:
        super().__init__(format="A4")
        self.set_margins(MARGIN, TOP, MARGIN)
        self.c_margin = 0  # text starts exactly at the margin, like the rules and images
        self.set_auto_page_break(True, BOTTOM)
        self.number_offset = number_offset
        self.number_first = number_first
        self.insertions: list[tuple[int, int, object]] = []  # (after this page of ours, pages, what to merge)
        self.running = ""  # the entry title repeated on its continuation pages
        self.sealed = False  # uploaded pages follow the current page: write nothing more on it
        self.numbers = numbers  # page numbers given outright (the stamps laid over uploaded pages)

    @property
    def number(self) -> int:
        """The current page's number in the whole publication, counting the uploaded pages merged before it."""
        if self.numbers is not None:
            return self.numbers[self.page - 1]
        return self.number_offset + self.page + sum(pages for after, pages, _ in self.insertions if after < self.page)

    # Header and footer (fpdf2 also calls them while measuring text: they must change nothing but the page)
    def header(self) -> None:
        with self.writing(rtl=False):  # the running title is set like the page, whatever the text that broke
            self._running_title()

    def _running_title(self) -> None:
        if self.running:
            self.set_xy(MARGIN, 11)
            self.set_font(FONT, "I", 8)
            self.set_text_color(*MUTED)
            self.cell(self.w - 2 * MARGIN, 5, self.running, align="L")
            self.set_draw_color(*MUTED)
            self.set_line_width(0.1)
            self.line(MARGIN, 17, self.w - MARGIN, 17)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        if self.page == 1 and not self.number_first:
            return
        self.set_xy(MARGIN, self.h - 14)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*MUTED)
        self.cell(self.w - 2 * MARGIN, 5, str(self.number), align="C")

    def insert_after(self, pages: int, what: object) -> None:
        """Mark ``pages`` uploaded pages to merge after the current page; later content starts a new page."""
        self.insertions.append((self.page, pages, what))
        self.sealed = True

    def open_page(self) -> None:
        """A page to continue on: a new one when uploaded pages follow the current one."""
        if self.sealed:
            self.sealed = False
            self.add_page()

    def start(self) -> int:
        """A new page for the next part; returns its number in the whole publication."""
        self.running = ""
        self.sealed = False
        self.add_page()
        return self.number

    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    @property
    def room(self) -> float:
        """Height left on the page above the bottom margin."""
        return self.page_break_trigger - self.y

    # Pages
    def cover(self, eyebrow: str, slogan: str, edition: str, subtitle: str, year: str) -> None:
        self.start()
        self.set_fill_color(*BRAND)
        self.rect(MARGIN, 40, 18, 2.2, style="F")
        self.set_fill_color(*ACCENT)
        self.rect(MARGIN + 18, 40, 8, 2.2, style="F")
        self.set_xy(MARGIN, 50)
        self.set_font(FONT, "B", 10)
        self.set_text_color(*BRAND)
        self.multi_cell(self.text_width, 5.5, eyebrow.upper(), align="L", new_x="LMARGIN")
        self.set_xy(MARGIN, 92)
        self.set_font(FONT, "B", 40)
        self.set_text_color(*INK)
        self.multi_cell(self.text_width, 17, slogan, align="L", new_x="LMARGIN")
        self.ln(6)
        self.set_font(LIGHT, "", 18)
        self.set_text_color(*MUTED)
        for line in (edition, subtitle):
            if line:
                self.multi_cell(self.text_width, 9, line, align="L", new_x="LMARGIN")
        self._circles()
        self.set_xy(MARGIN, self.h - 75)
        self.set_font(LIGHT, "", 64)
        self.set_text_color(*BRAND)
        self.cell(self.text_width, 26, year, align="L")

    def _circles(self) -> None:
        """Overlapping circles of the campaign's colours: many origins, one picture."""
        with self.local_context(fill_opacity=0.88):
            for x, y, r, colour in ((150, 196, 30, BRAND), (122, 214, 17, ACCENT), (170, 236, 13, PALE),
                                    (136, 246, 7, DARK)):
                self.set_fill_color(*colour)
                self.circle(x=x, y=y, radius=r, style="F")

    def message_page(self, text: str) -> None:
        self.start()
        self.set_y(110)
        self.set_font(FONT, "", 14)
        self.set_text_color(*INK)
        self.multi_cell(self.text_width, 8, text, align="C", new_x="LMARGIN")

    def contents(self, heading: str, rows: list[ContentsRow]) -> None:
        """The table of contents: category rows, then each entry's title, credit and page."""
        self.start()
        self.set_font(FONT, "B", 22)
        self.set_text_color(*INK)
        self.cell(self.text_width, 12, heading, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        number_w = 14.0
        for row in rows:
            indent = 0.0 if row.category else 6.0
            width = self.text_width - number_w - indent
            style, size, height = ("B", 10, 6.0) if row.category else ("", 10.5, 5.2)
            title = row.title.upper() if row.category else row.title
            needed = self._lines(title, width, style, size) * height + (16 if row.category else 5)
            if self.room < needed:
                self.add_page()
            if row.category:
                self.ln(5)
            self.set_font(FONT, style, size)
            self.set_text_color(*(BRAND if row.category else INK))
            y = self.y
            self.set_x(MARGIN + indent)
            self.multi_cell(width, height, title, align="L", new_x="LMARGIN")
            end = self.y
            self.set_xy(self.w - MARGIN - number_w, y)
            self.cell(number_w, height, str(row.page), align="R")
            self.set_xy(MARGIN, end)
            if row.category:
                self.set_draw_color(*BRAND)
                self.set_line_width(0.3)
                self.line(MARGIN, self.y + 1, self.w - MARGIN, self.y + 1)
                self.ln(4)
                continue
            if row.detail:
                self.set_x(MARGIN + indent)
                self.set_font(FONT, "", 8.5)
                self.set_text_color(*MUTED)
                self.cell(width, 4.4, self._fit(row.detail, width), new_x="LMARGIN", new_y="NEXT")
            self.ln(2.2)

    def divider(self, title: str, kicker: str) -> int:
        """A section page for one category; returns its page number."""
        number = self.start()
        self.set_fill_color(*BRAND)
        self.rect(MARGIN, 118, 26, 2.2, style="F")
        self.set_xy(MARGIN, 126)
        self.set_font(FONT, "B", 10)
        self.set_text_color(*BRAND)
        self.cell(self.text_width, 6, kicker.upper(), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(FONT, "B", 30)
        self.set_text_color(*INK)
        self.multi_cell(self.text_width, 13, title, align="L", new_x="LMARGIN")
        return number

    def heading(self, title: str, award: str, credit: str) -> int:
        """An entry's first page: award, title (wrapped) and credit; returns the page number."""
        number = self.start()
        if award:
            self.set_font(FONT, "B", 9)
            self.set_text_color(*BRAND)
            self.cell(self.text_width, 5, award.upper(), new_x="LMARGIN", new_y="NEXT")
            self.ln(2)
        size = 21 if len(title) <= LONG_TITLE else 16
        self.set_font(FONT, "B", size)
        self.set_text_color(*INK)
        with self.writing(is_rtl(title)):  # a right-to-left title is set from the right
            self.multi_cell(self.text_width, size * 0.45, title, align="R" if self.rtl else "L", new_x="LMARGIN")
        self.ln(2.5)
        if credit:
            self.set_font(FONT, "I", 11)
            self.set_text_color(*MUTED)
            self.multi_cell(self.text_width, 5.8, credit, align="L", new_x="LMARGIN")
        self.ln(4)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.8)
        self.line(MARGIN, self.y, MARGIN + 16, self.y)
        self.ln(9)
        return number

    def subheading(self, text: str) -> None:
        self.open_page()
        if self.room < 30:
            self.add_page()
        self.ln(4)
        self.set_font(FONT, "B", 10)
        self.set_text_color(*BRAND)
        self.multi_cell(self.text_width, 6, text.upper(), align="L", new_x="LMARGIN")
        self.ln(3)

    def note(self, text: str) -> None:
        """A small remark in grey with a bar on its left (a missing file, a text in another script)."""
        self.open_page()
        if self.room < 14:
            self.add_page()
        self.set_font(FONT, "I", 9)
        self.set_text_color(*MUTED)
        top = self.y
        self.set_left_margin(MARGIN + 4)
        self.multi_cell(self.text_width, 4.8, text, align="L", new_x="LMARGIN")
        self.set_left_margin(MARGIN)
        if self.y > top:  # the note did not break across pages
            self.set_fill_color(*ACCENT)
            self.rect(MARGIN, top + 0.4, 1.2, self.y - top - 0.8, style="F")
        self.set_x(MARGIN)
        self.ln(5)

    def poem(self, text: str, rtl: bool = False) -> None:
        """Verse with its line breaks kept; a line too long for the measure wraps under a hanging indent.

        A right-to-left poem is set from the right margin, its indents on the right, line by line.
        """
        self.open_page()
        self.set_font(FONT, "", 11.5)
        self.set_text_color(*INK)
        height = 6.4
        width = self.w - 2 * MARGIN - POEM_INDENT
        align = "R" if rtl else "L"

        def at(indent: float) -> None:  # the left edge of a line ``indent`` in from the poem's own edge
            self.set_left_margin(MARGIN if rtl else MARGIN + POEM_INDENT + indent)
            self.set_x(self.l_margin)

        with self.writing(rtl):
            at(0)
            for line in text.split("\n"):
                if not line.strip():
                    self.ln(height * 0.8)
                    continue
                if self.get_string_width(line) <= width:  # most lines: no line breaking to do
                    self.cell(width, height, line, align=align, new_x="LMARGIN", new_y="NEXT")
                    continue
                lines = self.multi_cell(width, height, line, align=align, dry_run=True, output="LINES")
                if self.room < height * len(lines) and len(lines) * height < self.page_break_trigger - self.t_margin:
                    self.add_page()  # keep a wrapped line on one page
                self.cell(width, height, lines[0], align=align, new_x="LMARGIN", new_y="NEXT")
                at(HANG)
                self.multi_cell(width - HANG, height, line[len(lines[0]):].strip(), align=align, new_x="LMARGIN")
                at(0)
        self.set_left_margin(MARGIN)
        self.set_x(MARGIN)
        self.ln(4)

    def prose(self, text: str, rtl: bool = False) -> None:
        """Paragraphs, one per non-empty line: justified, or set from the right when right-to-left."""
        self.open_page()
        self.set_font(FONT, "", 11)
        self.set_text_color(*INK)
        with self.writing(rtl):
            for paragraph in (p.strip() for p in text.split("\n")):
                if paragraph:
                    self.multi_cell(self.text_width, 5.9, paragraph, align="R" if rtl else "J", new_x="LMARGIN")
                    self.ln(2.8)
        self.ln(2)

    def picture(self, picture: Picture, alt: str) -> None:
        """The image as large as the printable area left allows (a new page when little is left), centred."""
        self.open_page()
        full = self.page_break_trigger - self.t_margin
        if self.room < full * 0.5:
            self.add_page()
        box_w, box_h = self.text_width, self.room - 2
        scale = min(box_w / picture.width, box_h / picture.height)
        w, h = max(picture.width * scale, 0.1), max(picture.height * scale, 0.1)
        x = MARGIN + (box_w - w) / 2
        y = self.y + (box_h - h) / 2
        self.image(io.BytesIO(picture.data), x=x, y=y, w=w, h=h, alt_text=alt or None)
        self.set_y(y + h + 6)

    # Helpers
    def _lines(self, text: str, width: float, style: str, size: float) -> int:
        """How many lines ``text`` takes at ``width`` in Roboto ``style`` and ``size`` (leaves that font set)."""
        self.set_font(FONT, style, size)
        if self.get_string_width(text) <= width:
            return 1
        return max(len(self.multi_cell(width, 5, text, align="L", dry_run=True, output="LINES")), 1)

    def _fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit on one line at the current font."""
        if self.get_string_width(text) <= width:
            return text
        low, high = 0, len(text)  # the longest prefix that fits, found by halving
        while low < high:
            middle = (low + high + 1) // 2
            if self.get_string_width(text[:middle].rstrip() + "…") <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"


@dataclass(frozen=True)
class ContentsRow:
    """A line of the contents: a category (its divider's page) or an entry (its heading's page)."""

    title: str
    page: int = 0
    detail: str = ""
    item: Item | None = None  # None for a category

    @property
    def category(self) -> bool:
        return self.item is None
