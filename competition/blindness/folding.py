"""Folding: text and names to one case-, accent- and apostrophe-free form, with a map back to the original."""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

#: Letters that NFKD does not decompose, and a few punctuation unifications.
_EXPLICIT: dict[str, str] = {
    "ß": "ss", "ẞ": "ss",
    "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l",
    "ı": "i", "İ": "i", "ȷ": "j",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
    "þ": "th", "Þ": "th",
    "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe",
    "ħ": "h", "Ħ": "h",
    "ŧ": "t", "Ŧ": "t",
    "ŀ": "l", "Ŀ": "l",  # Catalan l-middle-dot; NFKD would give "l·"
    "ĸ": "k",
    "ŋ": "n", "Ŋ": "n",
    "ƒ": "f",
    # apostrophes
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "\u02b9": "'",
    "`": "'", "\u00b4": "'", "\u2032": "'", "\uff07": "'",
    # invisible characters that may sit inside a word
    "\u00ad": "",  # soft hyphen
    "\u200c": "", "\u200d": "",  # zero-width (non-)joiner
    "\u2060": "", "\ufeff": "",  # word joiner, BOM
}

#: Characters whose folded vowel may also be written vowel+"e" (German).
UMLAUTS = frozenset("äöüÄÖÜøØ")


def _strip_marks(s: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", s):
        if unicodedata.category(c)[0] == "M":
            continue
        out.append(_EXPLICIT.get(c, c))
    return "".join(out)


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Fold one character: explicit table, NFKD, drop marks, casefold."""
    mapped = _EXPLICIT.get(ch)
    if mapped is not None:
        return mapped
    # casefold may produce marks (İ→i̇) or decomposable letters: fold twice.
    return _strip_marks(_strip_marks(ch).casefold())


def normalise(s: str) -> str:
    """Return the folded form used for matching (lower-case, no accents)."""
    return "".join(fold_char(c) for c in s)


_LINEBREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class Folded:
    """A text, its folded form and a sparse map from folded to original offsets."""

    __slots__ = ("_l", "_line_starts", "_p", "_q", "_zero", "norm", "orig")

    def __init__(self, orig: str) -> None:
        self.orig = orig
        self._q: list[int] = []  # folded offset of each irregular char
        self._p: list[int] = []  # its original offset
        self._l: list[int] = []  # its folded length (0 or 2+)
        self._zero: frozenset[str] = frozenset()
        self._line_starts: list[int] | None = None
        if orig.isascii():
            self.norm = orig.lower().replace("`", "'")
            return
        table: dict[int, str] = {}
        irregular: dict[str, int] = {}
        for c in set(orig):
            f = fold_char(c)
            if f != c:
                table[ord(c)] = f
            if len(f) != 1:
                irregular[c] = len(f)
        self.norm = orig.translate(table)
        if irregular:
            self._zero = frozenset(c for c, n in irregular.items() if n == 0)
            cls = re.compile("[" + "".join(re.escape(c) for c in irregular) + "]")
            shift = 0
            for m in cls.finditer(orig):
                p = m.start()
                n = irregular[orig[p]]
                self._q.append(p + shift)
                self._p.append(p)
                self._l.append(n)
                shift += n - 1

    def start_of(self, n: int) -> int:
        """Original offset of the character that produced folded char ``n``."""
        if not self._q:
            return n
        i = bisect.bisect_right(self._q, n) - 1
        if i < 0:
            return n
        q, p, length = self._q[i], self._p[i], self._l[i]
        if n < q + length:
            return p
        return p + 1 + (n - q - length)

    def end_of(self, n_end: int) -> int:
        """Original (exclusive) end offset for a folded span ending at ``n_end``."""
        o = self.start_of(n_end - 1) + 1
        if self._zero:
            orig, zero = self.orig, self._zero
            while o < len(orig) and orig[o] in zero:
                o += 1
        return o

    def line_of(self, offset: int) -> int:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _LINEBREAK.finditer(self.orig)]
        return bisect.bisect_right(self._line_starts, offset)
