"""Fonts for the images the exports draw (cards, publication): Roboto, what it covers, and text fitted to a box.

Roboto (Apache 2.0, pip package ``font-roboto``) covers Latin, Greek and Cyrillic; it has no Arabic,
Hebrew or emoji. ``printable`` drops what it cannot draw, so no tofu boxes appear; ``coverage`` tells
a caller when so much would be dropped that another text (a translation, a note) should be drawn.
``fit_text`` wraps a text into a box, shrinking it from a largest to a smallest size, and at the
smallest cuts it at a word with "…"; ``place_lines`` gives each line's origin and ink box, so a
caller can draw exactly what was measured (and a test can check it stays inside).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import font_roboto
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

FONTS: dict[str, Path] = {
    "regular": Path(font_roboto.Roboto),
    "bold": Path(font_roboto.RobotoBold),
    "italic": Path(font_roboto.RobotoItalic),
    "medium": Path(font_roboto.RobotoMedium),
    "light": Path(font_roboto.RobotoLight),
}
ELLIPSIS = "…"
RAQM = features.check("raqm")  # complex shaping and right-to-left; without it, plain left-to-right layout
_DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))  # controls, format marks, surrogates, unassigned
_SPACES = re.compile(r" {2,}")

Box = tuple[int, int, int, int]  # left, top, right, bottom


@lru_cache(maxsize=512)
def font(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont:
    """Roboto at ``size`` pixels, loaded once per (size, weight)."""
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS[weight]), size, layout_engine=engine)


@lru_cache(maxsize=None)
def code_points(weight: str = "regular") -> frozenset[int]:
    """Every code point the font maps to a glyph (its cmap)."""
    tt = TTFont(str(FONTS[weight]), lazy=True)
    try:
        return frozenset(tt.getBestCmap())
    finally:
        tt.close()


def _drawable(char: str, cmap: frozenset[int]) -> bool:
    return ord(char) in cmap and unicodedata.category(char) not in _DROPPED_CATEGORIES


def printable(text: str, weight: str = "regular") -> str:
    """``text`` without what the font cannot draw (emoji, Arabic, controls…); newlines kept, spaces collapsed."""
    cmap = code_points(weight)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = "".join(c for c in text if c == "\n" or _drawable(c, cmap))
    return "\n".join(_SPACES.sub(" ", line).strip(" ") for line in kept.split("\n"))


def coverage(text: str, weight: str = "regular") -> float:
    """Share of the letters (Unicode category L*) the font can draw; 1.0 when there are no letters."""
    cmap = code_points(weight)
    letters = [c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c).startswith("L")]
    if not letters:
        return 1.0
    return sum(ord(c) in cmap for c in letters) / len(letters)


def is_rtl(text: str) -> bool:
    """True when most strongly-directional characters are right-to-left (Hebrew, Arabic…)."""
    rtl = ltr = 0
    for c in text:
        kind = unicodedata.bidirectional(c)
        rtl += kind in ("R", "AL")
        ltr += kind == "L"
    return rtl > ltr


@dataclass(frozen=True)
class Fitted:
    """A text wrapped for a box: its lines, the font they fit in, and whether it was cut."""

    lines: tuple[str, ...]
    size: int
    weight: str
    line_height: int
    cut: bool = False
    direction: str | None = None

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return font(self.size, self.weight)


@dataclass(frozen=True)
class Line:
    """One line placed on the canvas: draw ``text`` at (x, y) with anchor "ls" (left, baseline)."""

    text: str
    x: int
    y: int
    bbox: Box  # the ink, in canvas coordinates


def _bbox(face: ImageFont.FreeTypeFont, text: str, direction: str | None) -> tuple[int, int, int, int]:
    if RAQM and direction:
        return face.getbbox(text, anchor="ls", direction=direction)
    return face.getbbox(text, anchor="ls")


def text_width(face: ImageFont.FreeTypeFont, text: str, direction: str | None = None) -> int:
    """Width of the ink, counting any overhang left of the origin."""
    if not text:
        return 0
    left, _, right, _ = _bbox(face, text, direction)
    return max(right, 0) - min(left, 0)


def _capacity(face: ImageFont.FreeTypeFont, line_height: int, height: int) -> int:
    ascent, descent = face.getmetrics()
    if height < ascent + descent:
        return 0
    return 1 + (height - ascent - descent) // line_height


def _longest_prefix(face, word: str, width: int, direction) -> str:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(face, word[:mid], direction) <= width:
            lo = mid
        else:
            hi = mid - 1
    return word[:lo]


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, limit: int = 10**6,
         direction: str | None = None, hanging: str = "") -> list[str]:
    """Greedy word wrap; "\\n" is a hard break, a word wider than the box is broken.

    Stops once more than ``limit`` lines are made, so a very long text costs no more than a short one.
    Only plain spaces separate words: a no-break space (French « ») keeps its neighbours together.
    ``hanging`` starts every continuation line (a poem's indent for a line that had to wrap).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(lines) > limit:
            break
        if text_width(face, paragraph, direction) <= width:  # most poem lines and short titles: one measure
            lines.append(paragraph.strip(" "))
            continue
        current, lead = "", ""
        for word in (w for w in paragraph.split(" ") if w):
            candidate = f"{current} {word}" if current else lead + word
            if text_width(face, candidate, direction) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                lead = hanging
            current = lead + word
            while len(current) > 1 and text_width(face, current, direction) > width:
                head = _longest_prefix(face, current, width, direction)
                lines.append(head)
                lead = hanging
                current = lead + current[len(head):] if len(head) > len(lead) else current[len(head):]
            if len(lines) > limit:
                return lines
        lines.append(current)
    return lines


def _with_ellipsis(line: str, face, width: int, ellipsis: str, direction) -> str:
    line = line.rstrip(" ,;:.-–—")
    while line and text_width(face, line + ellipsis, direction) > width:
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = line.rstrip(" ,;:.-–—")
    return line + ellipsis


def fit_text(text: str, box: Box, max_size: int, min_size: int, weight: str = "regular", *,
             spacing: float = 1.25, max_lines: int | None = None, direction: str | None = None,
             ellipsis: str = ELLIPSIS, hanging: str = "", keep_lines: bool = False) -> Fitted:
    """Wrap ``text`` in ``box`` at the largest size from ``max_size`` down to ``min_size`` that fits.

    The size is found by bisection (a larger size never fits better). With ``keep_lines`` (a poem),
    a size at which no line has to wrap is preferred when there is one. At ``min_size`` the text is
    cut after the last line that fits, at a word, and ends with ``ellipsis``. A box too small for
    even one line gives no lines. ``text`` should already be ``printable``.
    """
    width, height = box[2] - box[0], box[3] - box[1]
    if keep_lines and max_size > min_size:
        max_size = _unwrapped_size(text.split("\n"), width, max_size, min_size, weight, direction)

    def attempt(size: int) -> tuple[Fitted | None, list[str], int]:
        face = font(size, weight)
        line_height = max(1, round(size * spacing))
        capacity = _capacity(face, line_height, height)
        if max_lines is not None:
            capacity = min(capacity, max_lines)
        lines = wrap(text, face, width, capacity, direction, hanging) if capacity > 0 else []
        fits = 0 < len(lines) <= capacity
        return (Fitted(tuple(lines), size, weight, line_height, False, direction) if fits else None), lines, capacity

    sizes = list(range(max(max_size, min_size), min_size - 1, -1))
    best, lines, capacity = attempt(sizes[-1])
    if best is None:  # even the smallest size overflows: cut
        if capacity <= 0:
            return Fitted((), min_size, weight, max(1, round(min_size * spacing)), True, direction)
        kept = lines[:capacity]
        while len(kept) > 1 and not kept[-1].strip():
            kept.pop()
        kept[-1] = _with_ellipsis(kept[-1], font(min_size, weight), width, ellipsis, direction)
        return Fitted(tuple(kept), min_size, weight, max(1, round(min_size * spacing)), True, direction)
    low, high = 0, len(sizes) - 1  # sizes[high] fits; find the first (largest) that does
    while low < high:
        middle = (low + high) // 2
        fitted = attempt(sizes[middle])[0]
        if fitted is None:
            low = middle + 1
        else:
            best, high = fitted, middle
    return best


def _unwrapped_size(lines: list[str], width: int, max_size: int, min_size: int, weight: str,
                    direction: str | None) -> int:
    """The largest size at which every line fits ``width`` unwrapped; ``max_size`` if none does."""
    def fits(size: int) -> bool:
        face = font(size, weight)
        return all(text_width(face, line, direction) <= width for line in lines)

    if not fits(min_size):
        return max_size
    low, high = min_size, max_size
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def place_lines(fitted: Fitted, box: Box, align: str = "left", valign: str = "top") -> list[Line]:
    """Origins and ink boxes of ``fitted``'s lines in ``box``: align left/center/right, valign top/middle/bottom."""
    face = fitted.font
    ascent, descent = face.getmetrics()
    total = (len(fitted.lines) - 1) * fitted.line_height + ascent + descent if fitted.lines else 0
    top = {"top": box[1], "middle": box[1] + (box[3] - box[1] - total) // 2, "bottom": box[3] - total}[valign]
    placed = []
    for n, text in enumerate(fitted.lines):
        y = top + ascent + n * fitted.line_height
        left, upper, right, lower = _bbox(face, text, fitted.direction) if text else (0, 0, 0, 0)
        if align == "right":
            x = box[2] - max(right, 0)
        elif align == "center":
            x = (box[0] + box[2]) // 2 - (left + right) // 2
        else:
            x = box[0] - min(left, 0)
        placed.append(Line(text, x, y, (x + left, y + upper, x + right, y + lower)))
    return placed
