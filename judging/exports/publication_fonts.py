"""The publication's type: Roboto, the bundled Noto fonts for other scripts, shaping and right-to-left lines.

fpdf2 draws a character Roboto lacks in the font ``get_fallback_font`` names: here the Noto font that
``scripts.face_for`` chooses for its script (the cards choose the same), loaded when first needed.
A text that holds such a character is shaped with HarfBuzz (fpdf2's text shaping, ``uharfbuzz``)
and ordered by fpdf2's bidirectional algorithm: joined Arabic, Hebrew and Arabic lines from the
right with Latin words and digits in their order, Devanagari conjuncts. ``writing(rtl=True)`` sets
the paragraph direction of a right-to-left work. Text Roboto draws alone is not shaped, as before.

``printable_lines`` drops what no bundled font draws (emoji, Hangul…): no glyph comes out as a box.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from font_roboto import Roboto, RobotoBold, RobotoItalic, RobotoLight
from fpdf import FPDF

from judging.exports.fonts import coverage, printable
from judging.exports.scripts import BY_NAME, code_points, face_for

FONT = "Roboto"
LIGHT = "RobotoLight"
FONT_FILES = {(FONT, ""): Roboto, (FONT, "B"): RobotoBold, (FONT, "I"): RobotoItalic, (LIGHT, ""): RobotoLight}
UNDRAWABLE = 0.5  # below this share of drawable letters, a text is said to be in another script


def drawable_share(text: str) -> float:
    """The share of ``text``'s letters a bundled font can draw; 0.0 when nothing printable is left (only emoji)."""
    if not printable(text).strip():
        return 0.0
    return coverage(text)


def lost_symbols(text: str) -> bool:
    """True when ``printable`` drops a visible character that is not a letter (an emoji, a rare symbol)."""
    text = unicodedata.normalize("NFC", text)
    shown = set(printable(text))
    return any(c not in shown and c.isprintable() and not c.isspace() and not c.isalpha() for c in text)


def printable_lines(text: str) -> str:
    """``printable`` line by line, keeping each line's indent; a line whose words were all dropped goes."""
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        shown = printable(line)
        if shown.strip():
            indent = line[:len(line) - len(line.lstrip(" \t"))].expandtabs(4)
            kept.append(indent + shown)
        elif not line.strip():
            kept.append("")
    return "\n".join(kept).strip("\n")


@lru_cache(maxsize=4096)
def needs_shaping(text: str) -> bool:
    """True when ``text`` holds a character Roboto lacks (another script: shaped, maybe right to left)."""
    roboto = code_points("roboto")
    return any(ord(c) not in roboto for c in text)


class ScriptFonts(FPDF):
    """fpdf2 with Roboto loaded when first used, a Noto fallback per script, and shaping where it is needed."""

    rtl = False  # the paragraph direction of the text being written

    def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:  # type: ignore[override]
        """Roboto's styles are loaded when first used: parsing a TTF costs more than drawing a page."""
        if (family, style) in FONT_FILES and f"{family.lower()}{style}" not in self.fonts:  # type: ignore[union-attr]
            self.add_font(family, style, FONT_FILES[(family, style)])
        super().set_font(family, style, size)

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        """The Noto font for ``char``'s script (bold when asked and bundled); None when no bundled font has it."""
        bold = "B" in style
        name = face_for(char, "bold" if bold else "regular")
        if not name or name == "roboto":
            return None
        face = BY_NAME[name]
        emphasis = "B" if bold and "bold" in face.files else ""
        family = f"Noto{name.capitalize()}"
        key = f"{family.lower()}{emphasis}"
        if key not in self.fonts:
            self.add_font(family, emphasis, str(face.file("bold" if emphasis else "regular")))
            self._fallback_font_ids.append(key)  # fpdf2 then never takes it for the current font
        return key

    def _render_styled_text_line(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # fpdf2 2.8.9: when a line starts with a fallback font, the page's own font is set inside the
        # line's q…Q and the page then counts it as set: the next line drew with no font at all
        # (py-pdf/fpdf2#1772). Each shaped line sets its font itself.
        if self.text_shaping:
            self.current_font_is_set_on_page = False
        return super()._render_styled_text_line(*args, **kwargs)

    @contextmanager
    def writing(self, rtl: bool) -> Iterator[None]:
        """Write the text of a right-to-left work (``rtl``) or of a left-to-right one inside this block."""
        saved, self.rtl = self.rtl, rtl
        try:
            yield
        finally:
            self.rtl = saved

    @contextmanager
    def _shaped(self, text: str) -> Iterator[None]:
        saved = self.text_shaping
        if needs_shaping(text):
            self.set_text_shaping(True, direction="rtl" if self.rtl else "ltr")
        else:
            self.text_shaping = None
        try:
            yield
        finally:
            self.text_shaping = saved

    def cell(self, w=None, h=None, text="", *args, **kwargs):  # type: ignore[override]
        with self._shaped(text):
            return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):  # type: ignore[override]
        with self._shaped(text):
            return super().multi_cell(w, h, text, *args, **kwargs)

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        with self._shaped(s):
            return super().get_string_width(s, normalized, markdown)
