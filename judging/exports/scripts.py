"""Which font draws each character, and in which order: a line cut into runs of one font and one direction.

Roboto (the campaign's face) draws Latin, Greek and Cyrillic. The Noto fonts bundled in
``static/fonts/noto/`` (SIL Open Font License, see the README there) draw Arabic (Persian, Urdu…),
Hebrew, Devanagari, Ethiopic (Tigrinya, Amharic) and common Chinese and Japanese.

A character's font is chosen by its Unicode script (fontTools' ``unicodedata.script``): the font made
for that script first, then any bundled font whose cmap has it. Common characters (spaces, digits,
punctuation) stay in the font of the letters around them when it has them, so a run is shaped whole.
``visual_runs`` cuts one line into runs in drawing order, left to right: the Unicode bidirectional
algorithm (fpdf2's ``fpdf.bidi``, the one the publication uses too) gives each character its level,
runs of one level are reordered by rule L2, and each run is split where its font changes. The
shaping engine (raqm for Pillow) shapes each run and reverses the right-to-left ones itself.
"""
from __future__ import annotations

import unicodedata as ucd
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import font_roboto
from fontTools import unicodedata
from fontTools.ttLib import TTFont
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from PIL import features

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts" / "noto"
SHAPING = features.check("raqm")  # without raqm, scripts that need shaping are not drawn (never wrongly drawn)
WEIGHTS = ("regular", "bold", "italic", "medium", "light")
BIDI_MARKS = frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069")  # LRM, RLM, ALM, isolates: not drawn
KEPT_FORMAT = frozenset("\u200c\u200d") | BIDI_MARKS  # and ZWNJ, ZWJ (Persian, Devanagari)
_DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))  # controls, format marks, surrogates, unassigned
_NEUTRAL_SCRIPTS = frozenset(("Zyyy", "Zinh", "Zzzz"))  # common, inherited, unknown


@dataclass(frozen=True)
class Face:
    """A bundled typeface: its file for each weight it has, the scripts it is chosen for."""

    name: str
    files: dict[str, Path]
    scripts: frozenset[str]
    shaped: bool = False  # needs complex shaping (joining, reordering, conjuncts)

    def file(self, weight: str) -> Path:
        """The file for ``weight``: itself, else bold for medium, else regular (Noto has no italic here)."""
        if weight in self.files:
            return self.files[weight]
        if weight in ("bold", "medium") and "bold" in self.files:
            return self.files["bold"]
        return self.files["regular"]


def _noto(stem: str, bold: bool = True) -> dict[str, Path]:
    files = {"regular": FONT_DIR / f"{stem}-Regular.ttf"}
    if bold:
        files["bold"] = FONT_DIR / f"{stem}-Bold.ttf"
    return files


FACES: tuple[Face, ...] = (
    Face("roboto", {"regular": Path(font_roboto.Roboto), "bold": Path(font_roboto.RobotoBold),
                    "italic": Path(font_roboto.RobotoItalic), "medium": Path(font_roboto.RobotoMedium),
                    "light": Path(font_roboto.RobotoLight)}, frozenset(("Latn", "Grek", "Cyrl"))),
    Face("arabic", _noto("NotoSansArabic"), frozenset(("Arab",)), shaped=True),
    Face("hebrew", _noto("NotoSansHebrew"), frozenset(("Hebr",)), shaped=True),
    Face("devanagari", _noto("NotoSansDevanagari"), frozenset(("Deva",)), shaped=True),
    Face("ethiopic", _noto("NotoSansEthiopic"), frozenset(("Ethi",))),
    Face("cjk", {"regular": FONT_DIR / "NotoSansCJKsc-Common-Regular.otf"},
         frozenset(("Hani", "Hira", "Kana", "Bopo"))),
)
BY_NAME = {face.name: face for face in FACES}
BY_SCRIPT = {script: face for face in FACES for script in face.scripts}


@dataclass(frozen=True)
class Run:
    """A piece of one line, drawn with one font in one direction; runs come in drawing order."""

    text: str
    face: str
    direction: str  # "ltr" or "rtl"


@lru_cache(maxsize=None)
def code_points(face: str, weight: str = "regular") -> frozenset[int]:
    """Every code point ``face``'s file for ``weight`` maps to a glyph (its cmap)."""
    font = TTFont(str(BY_NAME[face].file(weight)), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def usable(face: Face) -> bool:
    return SHAPING or not face.shaped


@lru_cache(maxsize=8192)
def face_for(char: str, weight: str = "regular", current: str = "") -> str:
    """The face that draws ``char``: its script's, else ``current`` for a common character, else any; "" if none."""
    script = unicodedata.script(char)
    order = [BY_SCRIPT.get(script)]
    if current and script in _NEUTRAL_SCRIPTS:
        order.insert(0, BY_NAME[current])
    for face in (*order, *FACES):
        if face is not None and usable(face) and ord(char) in code_points(face.name, weight):
            return face.name
    return ""


def drawable(char: str, weight: str = "regular") -> bool:
    """True when a bundled font draws ``char`` (a format mark that shaping needs counts as drawable)."""
    if char in KEPT_FORMAT:
        return True
    return ucd.category(char) not in _DROPPED_CATEGORIES and bool(face_for(char, weight))


def _levels(text: str, rtl: bool) -> list[int]:
    """The resolved bidi level of each character of one line, base level 1 when ``rtl``."""
    if not rtl and not any(ucd.bidirectional(c) in ("R", "AL", "AN", "RLE", "RLO", "RLI") for c in text):
        return [0] * len(text)
    paragraph = BidiParagraph(text, base_direction=TextDirection.RTL if rtl else TextDirection.LTR,
                              preserve_bn_chars=True)
    characters, _visual = paragraph.get_all()  # rule L1 resets trailing spaces to the base level
    levels = [1 if rtl else 0] * len(text)
    for character in characters:
        levels[character.character_index] = character.embedding_level
    return levels


def _split_by_face(text: str, weight: str, around: str) -> list[tuple[str, str]]:
    """``text`` (one level) cut where its font changes; characters no font draws are left out.

    Common characters take the font of the letters before them, else after them, else ``around``'s.
    """
    strong = [face_for(c, weight) if unicodedata.script(c) not in _NEUTRAL_SCRIPTS else "" for c in text]
    pieces: list[tuple[str, str]] = []
    current = next((name for name in strong if name), around)
    for char, own in zip(text, strong):
        if char in BIDI_MARKS:
            continue
        name = own or face_for(char, weight, current)
        if char in KEPT_FORMAT and not name:
            name = current  # a joiner the font lacks: the shaper hides it
        if not name:
            continue
        current = name
        if pieces and pieces[-1][1] == name:
            pieces[-1] = (pieces[-1][0] + char, name)
        else:
            pieces.append((char, name))
    return pieces


def _first_face(text: str, weight: str) -> str:
    """The font of the first letter of ``text`` (not a digit or a sign) that a font draws; "" when none."""
    letters = (c for c in text if unicodedata.script(c) not in _NEUTRAL_SCRIPTS)
    return next((name for c in letters if (name := face_for(c, weight))), "")


@lru_cache(maxsize=16384)
def visual_runs(line: str, weight: str = "regular", rtl: bool = False) -> tuple[Run, ...]:
    """One line (no newline) as runs in drawing order, left to right; ``rtl`` is the paragraph's direction."""
    if not line:
        return ()
    levels = _levels(line, rtl)
    spans: list[tuple[int, str]] = []  # (level, text) in logical order
    for char, level in zip(line, levels):
        if spans and spans[-1][0] == level:
            spans[-1] = (level, spans[-1][1] + char)
        else:
            spans.append((level, char))
    pieces, around = [], _first_face(line, weight) or "roboto"
    for level, span in spans:  # a span of digits or punctuation takes the font of the letters before it
        parts = [Run(text, face, "rtl" if level % 2 else "ltr") for text, face in _split_by_face(span, weight, around)]
        around = _first_face(span[::-1], weight) or around
        pieces.append((level, parts))
    top = max(level for level, _runs in pieces)
    lowest_odd = min((level for level, _runs in pieces if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # rule L2 on whole runs
        reordered, stretch = [], []
        for piece in pieces:
            if piece[0] >= level:
                stretch.append(piece)
                continue
            reordered += stretch[::-1] + [piece]
            stretch = []
        pieces = reordered + stretch[::-1]
    runs: list[Run] = []
    for level, parts in pieces:
        runs += parts[::-1] if level % 2 else parts  # a right-to-left span's fonts, right to left
    return tuple(runs)
