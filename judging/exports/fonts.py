"""Fonts for the images the exports draw (cards): what can be drawn, text measured and fitted to a box.

Roboto draws Latin, Greek and Cyrillic, bundled Noto fonts Arabic, Hebrew, Devanagari, Ethiopic and
common Chinese and Japanese (``scripts.py`` chooses the font of each character and cuts a line into
runs in drawing order). ``printable`` drops what no bundled font can draw (emoji, Hangul…), so no tofu
boxes appear; ``coverage`` tells a caller when so much would be dropped that another text (a
translation, a note) should be drawn. ``fit_text`` wraps a text into a box, shrinking it from a
largest to a smallest size, and at the smallest cuts it at a word with "…"; it breaks the logical
text, and each line is laid out visually on its own (right-to-left runs reversed, Latin words and
digits inside them kept in their order). ``place_lines`` gives each line's origin and ink box, and
``draw_line`` draws exactly what was measured (so a test can check it stays inside).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from judging.exports.scripts import BY_NAME, SHAPING, drawable, face_for, visual_runs

ELLIPSIS = "…"
RAQM = SHAPING  # complex shaping and right-to-left; without it, scripts that need it are not drawn
JOINERS = frozenset("\u200c\u200d")
_SPACES = re.compile(r" {2,}")

Box = tuple[int, int, int, int]  # left, top, right, bottom


@lru_cache(maxsize=512)
def face(size: int, weight: str = "regular", name: str = "roboto") -> ImageFont.FreeTypeFont:
    """The bundled font ``name`` at ``size`` pixels, loaded once per (size, weight, name)."""
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(BY_NAME[name].file(weight)), size, layout_engine=engine)


@dataclass(frozen=True)
class Font:
    """A size and a weight: Roboto, with the Noto font of each other script at the same size."""

    size: int
    weight: str = "regular"

    def metrics(self, text: str = "") -> tuple[int, int]:
        """Ascent and descent: Roboto's, or the tallest of the fonts ``text`` needs (Arabic reaches further)."""
        names = {"roboto"} | {face_for(c, self.weight) for c in set(text) if not c.isspace()} - {""}
        metrics = [face(self.size, self.weight, name).getmetrics() for name in names]
        return max(a for a, _d in metrics), max(d for _a, d in metrics)


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def printable(text: str, weight: str = "regular") -> str:
    """``text`` without what no bundled font draws (emoji, controls…); newlines kept, spaces collapsed.

    Joiners (ZWNJ, ZWJ) stay only between letters, where Persian and Devanagari need them.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = [c for c in text if c == "\n" or drawable(c, weight)]
    kept = [c for n, c in enumerate(kept) if c not in JOINERS
            or (0 < n < len(kept) - 1 and _letter(kept[n - 1]) and _letter(kept[n + 1]))]
    return "\n".join(_SPACES.sub(" ", line).strip(" ") for line in "".join(kept).split("\n"))


def coverage(text: str, weight: str = "regular") -> float:
    """Share of the letters (Unicode category L*) a bundled font can draw; 1.0 when there are no letters."""
    letters = [c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c).startswith("L")]
    if not letters:
        return 1.0
    return sum(drawable(c, weight) for c in letters) / len(letters)


def is_rtl(text: str) -> bool:
    """True when most strongly-directional characters are right-to-left (Hebrew, Arabic…)."""
    rtl = ltr = 0
    for c in text:
        kind = unicodedata.bidirectional(c)
        rtl += kind in ("R", "AL")
        ltr += kind == "L"
    return rtl > ltr


def _options(direction: str) -> dict:
    return {"direction": direction} if RAQM else {}


@lru_cache(maxsize=16384)
def _layout(size: int, weight: str, text: str, rtl: bool) -> tuple[tuple[int, str, str, str], ...]:
    """(x offset, text, font name, direction) of each run of one line, left to right."""
    placed, x = [], 0.0
    for run in visual_runs(text, weight, rtl):
        placed.append((round(x), run.text, run.face, run.direction))
        x += face(size, weight, run.face).getlength(run.text, **_options(run.direction))
    return tuple(placed)


@lru_cache(maxsize=16384)
def _ink(size: int, weight: str, text: str, rtl: bool) -> Box:
    boxes = []
    for x, piece, name, direction in _layout(size, weight, text, rtl):
        left, top, right, bottom = face(size, weight, name).getbbox(piece, anchor="ls", **_options(direction))
        if right > left or bottom > top:
            boxes.append((x + left, top, x + right, bottom))
    if not boxes:
        return (0, 0, 0, 0)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _bbox(font: Font, text: str, direction: str | None) -> Box:
    """The ink of one line drawn from the origin (anchor "ls": left, baseline)."""
    return _ink(font.size, font.weight, text, direction == "rtl")


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, font: Font, fill,
              direction: str | None = None) -> None:
    """Draw one line from ``xy`` (left, baseline) run by run, as ``_bbox`` measured it."""
    for x, piece, name, run_direction in _layout(font.size, font.weight, text, direction == "rtl"):
        draw.text((xy[0] + x, xy[1]), piece, font=face(font.size, font.weight, name), fill=fill, anchor="ls",
                  **_options(run_direction))


def text_width(font: Font, text: str, direction: str | None = None) -> int:
    """Width of the ink, counting any overhang left of the origin."""
    if not text:
        return 0
    left, _, right, _ = _bbox(font, text, direction)
    return max(right, 0) - min(left, 0)


def _capacity(font: Font, text: str, line_height: int, height: int) -> int:
    ascent, descent = font.metrics(text)
    if height < ascent + descent:
        return 0
    return 1 + (height - ascent - descent) // line_height


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
    def font(self) -> Font:
        return Font(self.size, self.weight)


@dataclass(frozen=True)
class Line:
    """One line placed on the canvas: draw ``text`` at (x, y) with anchor "ls" (left, baseline)."""

    text: str
    x: int
    y: int
    bbox: Box  # the ink, in canvas coordinates


def _longest_prefix(pen: Font, word: str, width: int, direction) -> str:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(pen, word[:mid], direction) <= width:
            lo = mid
        else:
            hi = mid - 1
    return word[:lo]


def wrap(text: str, pen: Font, width: int, limit: int = 10**6,
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
        if text_width(pen, paragraph, direction) <= width:  # most poem lines and short titles: one measure
            lines.append(paragraph.strip(" "))
            continue
        current, lead = "", ""
        for word in (w for w in paragraph.split(" ") if w):
            candidate = f"{current} {word}" if current else lead + word
            if text_width(pen, candidate, direction) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                lead = hanging
            current = lead + word
            while len(current) > 1 and text_width(pen, current, direction) > width:
                head = _longest_prefix(pen, current, width, direction)
                lines.append(head)
                lead = hanging
                current = lead + current[len(head):] if len(head) > len(lead) else current[len(head):]
            if len(lines) > limit:
                return lines
        lines.append(current)
    return lines


def _with_ellipsis(line: str, pen: Font, width: int, ellipsis: str, direction) -> str:
    line = line.rstrip(" ,;:.-–—")
    while line and text_width(pen, line + ellipsis, direction) > width:
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
        pen = Font(size, weight)
        line_height = max(1, round(size * spacing))
        capacity = _capacity(pen, text, line_height, height)
        if max_lines is not None:
            capacity = min(capacity, max_lines)
        lines = wrap(text, pen, width, capacity, direction, hanging) if capacity > 0 else []
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
        kept[-1] = _with_ellipsis(kept[-1], Font(min_size, weight), width, ellipsis, direction)
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
        pen = Font(size, weight)
        return all(text_width(pen, line, direction) <= width for line in lines)

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
    pen = fitted.font
    ascent, descent = pen.metrics("".join(fitted.lines))
    total = (len(fitted.lines) - 1) * fitted.line_height + ascent + descent if fitted.lines else 0
    top = {"top": box[1], "middle": box[1] + (box[3] - box[1] - total) // 2, "bottom": box[3] - total}[valign]
    placed = []
    for n, text in enumerate(fitted.lines):
        y = top + ascent + n * fitted.line_height
        left, upper, right, lower = _bbox(pen, text, fitted.direction) if text else (0, 0, 0, 0)
        if align == "right":
            x = box[2] - max(right, 0)
        elif align == "center":
            x = (box[0] + box[2]) // 2 - (left + right) // 2
        else:
            x = box[0] - min(left, 0)
        placed.append(Line(text, x, y, (x + left, y + upper, x + right, y + lower)))
    return placed
