"""Blindness check: find the names of an entry's makers in its text and file names.

Before a teacher submits an entry we look for the names of its pupils, the
teacher, the school, the class and the city in the entry's texts (typed text,
title, translation, text extracted from uploaded files) and in the file names,
so the teacher can remove whatever would identify the makers to the jury.
The caller also passes, under a source label of its own, the text that
cleaning removes from each file (a photo's EXIF Artist, a PDF's Author, an
annotation's author, PNG text chunks): jurors never get it, but a name there
is worth a warning to the secretariat ("possible name in the file's hidden
data").

This module is pure: plain data in, plain data out, no Flask.  Hits carry a
``kind`` code ("pupil", "teacher", "school", "class", "city"); the web layer
translates those codes into user-facing labels.

Matching rules
--------------
* Case-insensitive, accent/diacritic-insensitive in both directions: text and
  needles are folded with an explicit table (ß→ss, ø→o, ł→l, ı/İ→i, æ→ae, đ→d,
  þ→th, curly apostrophes→', …), Unicode NFKD, removal of all combining marks
  and ``str.casefold``.  A needle written with an umlaut (ä/ö/ü/ø) also
  matches the German "ae/oe/ue" spelling (needle "Müller" hits "Mueller"); the
  reverse direction is not attempted.
* Whole words only: a needle starting with a letter must not be preceded by a
  letter, a needle ending with a letter must not be followed by one.  Digits
  and ``_ . -`` separate words, so "amira_k_poem.pdf" and "amira2.pdf" hit
  pupil "Amira".  Words of scripts written without spaces (Han, kana, Thai,
  Lao, Khmer, Myanmar, Tibetan) match anywhere; Hangul needles only need a
  boundary at their start (Korean particles attach to the name).
* Simple inflections on the last word of a needle: for words of 4+ letters an
  ending of up to 3 letters ("Amiras", "Mehmeta", "Mehmetov") or an apostrophe
  ending of up to 4 letters ("Amira's", "Mehmet'ten"); words of exactly 3
  letters only take the apostrophe ending ("Ana's", not "Anas" -- otherwise
  "Dan" would hit French "dans").  A few English derivational endings are not
  counted as inflections ("Mark" does not hit "marked"/"market", "Will" does
  not hit "willing").  Stem changes ("Kasia"→"Kasię", "Warszawa"→"Warszawie")
  are not handled.
* Needles shorter than 3 characters match only exactly, as whole words.
  Needles that are also common words (:data:`STOP_WORDS`: "al", "jo", "la",
  "nice", "will", "mark", "rose", …) only match where the text writes them
  with a capital letter ("Al came" hits, "al dente" does not). So does one
  part of a teacher's name that wordfreq counts as a common word in English
  or French (:func:`is_common_word`: "teacher" in a poem is not Tomás
  Teacher); the full name matches anywhere.  Needles with
  fewer than 2 letters/digits, or with no letter at all ("12"), are ignored.
* Multi-word needles match across any run of whitespace, punctuation,
  hyphens, underscores and line breaks ("Saint-Denis" hits "saint denis").
  An apostrophe inside a needle word is optional ("O'Brien" hits "OBrien").
* Pupils and teachers are also looked for by each part of their name
  ("Amira Kowalski" → "Amira", "Kowalski"), skipping titles and particles
  ("Mrs", "de", "van").  A one-letter part is an initial: "Amira K." hits
  "Amira", "Amira K." and "Amira Kowalski".
* Schools and classes are also looked for without their generic words:
  "Escola Básica Camões" → "Camões" (capitalised only), "Class 6B" → "6B".
* HTML is treated as plain text (tags do not hide names, entities are not
  decoded).

Offsets
-------
``Hit.start``/``Hit.end`` are ``str`` indices into the *original* text
(``texts[source][start:end]`` is the matched text, including any trailing
combining marks).  Matching runs on a folded copy; because folding changes
lengths ("ß"→"ss", "ﬁ"→"fi", "e\\u0301"→"e") the folded text keeps a sparse
index map back to the original.  ``Hit.line`` is 1-based within its source.

Performance: the folded text is scanned once by one compiled regular
expression (the literal starts of all needles, grouped by first character,
behind a "word start" test); only where it stops are the needles' own
regular expressions tried.  Compiled needles are cached per needle list.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "KINDS",
    "STOP_WORDS",
    "Hit",
    "IdentityMatcher",
    "Needle",
    "find_identity_hits",
    "normalise",
]

KINDS: tuple[str, ...] = ("pupil", "teacher", "school", "class", "city")
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
_PERSON_KINDS = frozenset({"pupil", "teacher"})

CONTEXT_WIDTH = 30
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Needle:
    """Something that identifies the makers: ``kind`` is one of :data:`KINDS`."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in _KIND_ORDER:
            raise ValueError(f"unknown needle kind {self.kind!r}; expected one of {KINDS}")


@dataclass(frozen=True)
class Hit:
    """One place where a needle was found.

    ``value`` is the needle's value as given (e.g. "Amira K."), ``source`` the
    key of ``texts`` it was found in, ``line`` is 1-based, ``start``/``end``
    index the original text, ``context`` is about 30 characters either side,
    cut at word boundaries, whitespace collapsed, with "…" where cut.
    ``marked`` is the same excerpt in three parts (before, the matched words,
    after), so a page can highlight what matched.
    """

    kind: str
    value: str
    source: str
    line: int
    start: int
    end: int
    context: str
    marked: tuple[str, str, str] = field(default=("", "", ""), compare=False)


# --------------------------------------------------------------------------
# Folding (normalisation)
# --------------------------------------------------------------------------

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
_UMLAUTS = frozenset("äöüÄÖÜøØ")


def _strip_marks(s: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", s):
        if unicodedata.category(c)[0] == "M":
            continue
        out.append(_EXPLICIT.get(c, c))
    return "".join(out)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Fold one character: explicit table, NFKD, drop marks, casefold."""
    mapped = _EXPLICIT.get(ch)
    if mapped is not None:
        return mapped
    # casefold may produce marks (İ→i̇) or decomposable letters: fold twice.
    return _strip_marks(_strip_marks(ch).casefold())


def normalise(s: str) -> str:
    """Return the folded form used for matching (lower-case, no accents)."""
    return "".join(_fold_char(c) for c in s)


_LINEBREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_WHITESPACE = re.compile(r"\s+")


class _Folded:
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
            f = _fold_char(c)
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


_WORD_INNER = frozenset("'\u2019\u02bc\u00ad")


def _wordish(c: str) -> bool:
    return c.isalnum() or c in _WORD_INNER


def _context(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> str:
    """About ``width`` characters either side, cut at word boundaries."""
    return "".join(_context_parts(text, start, end, width))


def _context_parts(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> tuple[str, str, str]:
    """:func:`_context` in three parts: before the match, the match, after it."""
    lo = max(0, start - width)
    if lo > 0:
        if _wordish(text[lo - 1]) and _wordish(text[lo]):
            while lo < start and _wordish(text[lo]):  # drop the cut word
                lo += 1
        while lo < start and not text[lo].isalnum():  # and what led to it
            lo += 1
    hi = min(len(text), end + width)
    if hi < len(text):
        if _wordish(text[hi - 1]) and _wordish(text[hi]):
            while hi > end and _wordish(text[hi - 1]):
                hi -= 1
        while hi > end and not text[hi - 1].isalnum():
            hi -= 1
    before = _WHITESPACE.sub(" ", text[lo:start]).lstrip()
    match = _WHITESPACE.sub(" ", text[start:end])
    after = _WHITESPACE.sub(" ", text[end:hi]).rstrip()
    if not before:
        match = match.lstrip()
    if not after:
        match = match.rstrip()
    left = ELLIPSIS if text[:lo].strip() else ""
    right = ELLIPSIS if text[hi:].strip() else ""
    return f"{left}{before}", match, f"{after}{right}"


# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

#: Common words (folded) that are also names or places.  A needle that is one
#: of these words only matches where the text capitalises it.
STOP_WORDS: frozenset[str] = frozenset((
    # short English words
    "a i am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we "
    "ad ah ax eh ha ho id lo ma mi mu nu ow ox pa pi re ti ya ye yo "
    # short French words
    "au ce ca de du en es et il je la le les lu ne ni ou sa se si su ta te tu un va vu "
    "des une mes tes ses nos vos son ton mon moi toi lui eux qui que par pas sur ami ete "
    # short words of neighbouring languages (ES/PT/IT/CA/DE/NL/PL/TR)
    "al el lo los las da das dos em na os um di jo ja nie tak ze po od za "
    "der die das und ein im zu er ich du wir sie mit von bei het een van "
    "ve bu su bir ki "
    # English words that are also first names, surnames or places
    "will mark rose hope grace joy faith may june april august summer dawn sky bill rich "
    "frank grant miles chase hunter page cook baker white black brown green young king "
    "little long love hill wood lane ray art guy nick rob pat sue don bob max jay ivy lily "
    "daisy iris ruby amber jade pearl ginger basil sage river forest star angel holly "
    "honey sunny reading bath split mobile lens "
    # French words that are also first names or places
    "pierre claire blanche marie aime ange nice tours orange sens grasse"
).split())

#: A word at least this frequent (Zipf scale: 4 is once in 100,000 words) in English or
#: French is a common word: as a name on its own it only matches where the text
#: capitalises it ("teacher" in a poem is not Mr Teacher; "Teacher" or the full name is).
COMMON_ZIPF = 4.0
COMMON_LANGUAGES = ("en", "fr")


@lru_cache(maxsize=4096)
def is_common_word(folded_word: str) -> bool:
    """Is this (folded) word common in English or French? From wordfreq's frequency lists."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(folded_word, lang) >= COMMON_ZIPF for lang in COMMON_LANGUAGES)


#: Parts of a person's name that are not looked for on their own.
_NAME_PARTICLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame mme mlle mm herr frau pan pani sr sra srta "
    "dona dom sig sra "
    "de da do dos das del della di du des la le van von der den ter ten el al bin ibn "
    "ben bint y e".split()
)

_SCHOOL_GENERIC = frozenset(
    # EN
    "school schools primary secondary high middle elementary junior senior infant "
    "infants nursery academy college collegiate grammar comprehensive community "
    "international public state catholic church ce rc c of e the and st saint upper lower "
    "free first "
    # FR
    "ecole college lycee groupe scolaire elementaire maternelle primaire publique prive "
    "privee general generale technologique professionnel de du des la le les l d sainte "
    "internationale cite scolaire "
    # PT / ES / IT / CA
    "escola basica secundaria agrupamento escolas do da dos das eb es colegio externato "
    "publica escuela instituto ies ceip cp educacion infantil primaria publico del el los "
    "scuola istituto comprensivo ic secondaria liceo statale di della escola col legi "
    # DE / NL / PL / TR
    "schule grundschule gymnasium realschule gesamtschule hauptschule mittelschule "
    "oberschule volksschule der die das am an im zu basisschool het van "
    "szkola podstawowa liceum gimnazjum ogolnoksztalcace zespol szkol nr im imienia w "
    "okulu ilkokulu ortaokulu lisesi anadolu ilkokul ortaokul lise "
    # numbering
    "no n number numero num".split()
)

_CLASS_GENERIC = frozenset(
    "class classe klasa klass year yr grade form group groupe turma ano curso sala clase "
    "jahrgang jahrgangsstufe stufe sinif grupa the de of".split()
)

#: Endings that turn a name into an ordinary English word: not inflections.
_BLOCKED_SUFFIXES = ("ing", "ed", "er", "ers", "est", "ly", "ful", "et", "ets", "ish")

_LETTER = r"[^\W\d_]"
_SEP = r"[\W_]+"
_APOS_SEP = r"[\W_]*"
_SUFFIX_LONG = (
    rf"(?:'{_LETTER}{{1,4}}|(?!(?:{'|'.join(_BLOCKED_SUFFIXES)})(?!{_LETTER})){_LETTER}{{1,3}})?"
)
_SUFFIX_APOS = rf"(?:'{_LETTER}{{1,4}})?"
_START_LETTER = r"(?<![^\W\d_].)"  # placed after the first char: char before it is no letter
_START_DIGIT = r"(?<![^\W_].)"
_END_LETTER = rf"(?!{_LETTER})"
_END_DIGIT = r"(?![^\W_])"

_CONTINUOUS_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),  # CJK
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)


def _is_continuous(c: str) -> bool:
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in _CONTINUOUS_RANGES)


def _is_hangul(c: str) -> bool:
    o = ord(c)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def _is_letter(c: str) -> bool:
    return c.isalnum() and not c.isdecimal()


# --------------------------------------------------------------------------
# Needle compilation
# --------------------------------------------------------------------------

_Token = tuple[str, tuple[bool, ...]]  # folded word, per-char "came from an umlaut"
_TOKEN_RE = re.compile(r"[^\W_]+")


def _tokenise(s: str) -> tuple[list[_Token], list[str]]:
    """Fold ``s`` and split it into words and the separators between them."""
    chars: list[str] = []
    flags: list[bool] = []
    for ch in unicodedata.normalize("NFC", s):
        um = ch in _UMLAUTS
        for fc in _fold_char(ch):
            chars.append(fc)
            flags.append(um and fc in "aou")
    folded = "".join(chars)
    tokens: list[_Token] = []
    seps: list[str] = []
    prev_end = None
    for m in _TOKEN_RE.finditer(folded):
        if prev_end is not None:
            seps.append(folded[prev_end:m.start()])
        tokens.append((m.group(), tuple(flags[m.start():m.end()])))
        prev_end = m.end()
    return tokens, seps


@dataclass(frozen=True)
class _Variant:
    needle: Needle
    first: str  # folded character every match starts with
    head: str  # literal folded text every match starts with (at least ``first``)
    scan: str  # regex source matching the start of every match (its first word)
    source: str  # regex source of the whole variant
    require_capital: bool
    initials: tuple[str, ...] = ()  # names of the groups of expanded initials
    mid_sentence: bool = False  # capitalised only counts inside a sentence ("Teacher, you…" does not)


def _token_pieces(word: str, umlauts: tuple[bool, ...], initial: str | None) -> list[str]:
    if initial is not None:
        # An initial matches "K", "K." or a whole word "Kowalski"; the group
        # lets the matcher check that an expanded initial is capitalised.
        return [re.escape(word[0]), rf"(?:\.|(?P<{initial}>{_LETTER}+))?"]
    pieces = []
    for c, um in zip(word, umlauts, strict=True):
        pieces.append(re.escape(c))
        if um:
            pieces.append("e?")
    return pieces


def _build_variant(
    needle: Needle,
    tokens: list[_Token],
    seps: list[str],
    *,
    person: bool,
    capital: bool = False,
    mid_sentence: bool = False,
) -> _Variant | None:
    if not tokens:
        return None
    joined = "".join(w for w, _ in tokens)
    if len(joined) < 2 or not any(_is_letter(c) for c in joined):
        return None
    if len(tokens) == 1 and tokens[0][0] in STOP_WORDS:
        capital = True
    apos = [bool(sep) and set(sep) == {"'"} for sep in seps]  # "O'Brien", "Mary's"
    pieces: list[str] = []
    initials: list[str] = []
    last_initial = False
    for i, (word, umlauts) in enumerate(tokens):
        if i:
            pieces.append(_APOS_SEP if apos[i - 1] else _SEP)
        last_initial = (
            person
            and len(tokens) > 1
            and len(word) == 1
            and _is_letter(word)
            and not (i and apos[i - 1])
            and not (i < len(apos) and apos[i])
        )
        group = None
        if last_initial:
            group = f"initial{len(initials)}"
            initials.append(group)
        pieces.extend(_token_pieces(word, umlauts, group))
    last_word = tokens[-1][0]
    last = last_word[-1]
    if last_initial:
        pieces.append(_END_LETTER)
    elif _is_continuous(last) or _is_hangul(last):
        pass
    elif _is_letter(last):
        if len(last_word) >= 4:
            pieces.append(_SUFFIX_LONG)
        elif len(last_word) == 3:
            pieces.append(_SUFFIX_APOS)
        pieces.append(_END_LETTER)
    else:
        pieces.append(_END_DIGIT)
    # What every match starts with: its first word (an initial is one letter),
    # as a regex and as a literal (up to an umlaut, whose optional "e" follows).
    first_word, first_umlauts = tokens[0]
    scan = "".join(_token_pieces(first_word, first_umlauts, None))
    head = first_word[: first_umlauts.index(True) + 1] if any(first_umlauts) else first_word
    first = first_word[0]
    if _is_continuous(first):
        start = ""
    elif first.isdecimal():
        start = _START_DIGIT
    else:
        start = _START_LETTER
    if not _is_letter(first):
        capital = False
    source = pieces[0] + start + "".join(pieces[1:])
    return _Variant(needle, first, head, scan, source, capital, tuple(initials), capital and mid_sentence)


def _strip_generic(
    tokens: list[_Token], seps: list[str], generic: frozenset[str], digits: bool
) -> tuple[list[_Token], list[str], bool]:
    i, j = 0, len(tokens)

    def dull(t: _Token) -> bool:
        return t[0] in generic or (digits and t[0].isdecimal())

    while i < j and dull(tokens[i]):
        i += 1
    while j > i and dull(tokens[j - 1]):
        j -= 1
    core_seps = seps[i:j - 1] if j > i else []
    return tokens[i:j], core_seps, (i, j) != (0, len(tokens))


def _needle_variants(needle: Needle) -> list[_Variant]:
    value = (needle.value or "").strip()
    if not value:
        return []
    person = needle.kind in _PERSON_KINDS
    tokens, seps = _tokenise(value)
    found: list[_Variant | None] = [_build_variant(needle, tokens, seps, person=person)]
    if person:
        parts = value.split()
        if len(parts) > 1:
            for part in parts:
                ptoks, pseps = _tokenise(part)
                if not ptoks:
                    continue
                if len(ptoks) == 1 and (len(ptoks[0][0]) == 1 or ptoks[0][0] in _NAME_PARTICLES):
                    continue
                # One part of an adult's name that is a common word ("Teacher", "Baker")
                # counts only capitalised; the full name counts anywhere. A pupil's
                # first name is the name itself: always looked for.
                common = needle.kind == "teacher" and len(ptoks) == 1 and is_common_word(ptoks[0][0])
                found.append(_build_variant(needle, ptoks, pseps, person=True, capital=common, mid_sentence=common))
    elif needle.kind in ("school", "class"):
        school = needle.kind == "school"
        generic = _SCHOOL_GENERIC if school else _CLASS_GENERIC
        core, cseps, stripped = _strip_generic(tokens, seps, generic, digits=school)
        if stripped and core:
            letters = sum(1 for w, _ in core for c in w if _is_letter(c))
            if (school and letters >= 4) or (not school and letters >= 1):
                single_word = len(core) == 1 and not any(c.isdecimal() for c in core[0][0])
                found.append(
                    _build_variant(needle, core, cseps, person=False, capital=single_word)
                )
    seen: set[tuple[str, bool]] = set()
    out: list[_Variant] = []
    for v in found:
        if v is not None and (v.source, v.require_capital) not in seen:
            seen.add((v.source, v.require_capital))
            out.append(v)
    return out


class IdentityMatcher:
    """Needles compiled once; :meth:`find` searches any number of texts."""

    def __init__(self, needles: Iterable[Needle]) -> None:
        unique: dict[tuple[str, str], Needle] = {}
        for n in needles:
            if n is None or not (n.value or "").strip():
                continue
            unique.setdefault((n.kind, n.value), n)
        self.needles: tuple[Needle, ...] = tuple(unique.values())
        variants = [v for n in self.needles for v in _needle_variants(n)]
        self._by_first: dict[str, list[_Variant]] = {}
        for v in variants:
            self._by_first.setdefault(v.first, []).append(v)
        self._compiled: dict[str, re.Pattern[str]] = {}
        # The scanner is a cheap superset of all variants: the first word of
        # each one, behind a "no letter before" test (variants of scripts
        # written without spaces go without it), grouped by first character so
        # the regex engine tries few alternatives per position.  Where it
        # matches, the variants are checked one by one; each variant's own
        # regex is compiled the first time it is needed.
        bounded, unbounded = [], []
        for first, items in self._by_first.items():
            head = re.escape(first)
            rests = {v.scan[len(head):] for v in items}
            if "" in rests:
                branch = head
            else:
                branch = head + "(?:" + "|".join(sorted(rests)) + ")"
            (unbounded if _is_continuous(first) else bounded).append(branch)
        alternatives = []
        if bounded:
            alternatives.append(r"(?<![^\W\d_])(?:" + "|".join(bounded) + ")")
        alternatives.extend(unbounded)
        self._scanner: re.Pattern[str] | None = (
            re.compile("|".join(alternatives)) if alternatives else None
        )

    def _regex(self, v: _Variant) -> re.Pattern[str]:
        rx = self._compiled.get(v.source)
        if rx is None:
            rx = self._compiled[v.source] = re.compile(v.source)
        return rx

    def find(self, texts: Mapping[str, str]) -> list[Hit]:
        hits: list[Hit] = []
        if self._scanner is None:
            return hits
        for source, text in texts.items():
            if text:
                hits.extend(self._find_in(str(source), text))
        return hits

    def _find_in(self, source: str, text: str) -> list[Hit]:
        folded = _Folded(text)
        norm = folded.norm
        scanner, by_first = self._scanner, self._by_first
        assert scanner is not None
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        pos = 0
        while True:
            m = scanner.search(norm, pos)
            if m is None:
                break
            p = m.start()
            for v in by_first[norm[p]]:
                if not norm.startswith(v.head, p):
                    continue
                mm = self._regex(v).match(norm, p)
                if mm is None:
                    continue
                start = folded.start_of(p)
                if v.require_capital and text[start].islower():
                    continue
                if v.mid_sentence and _starts_sentence(text, start):
                    continue
                if v.initials and not _initials_capitalised(mm, v.initials, folded):
                    continue
                end = folded.end_of(mm.end())
                spans.setdefault((v.needle.kind, v.needle.value), []).append((start, end))
            pos = p + 1
        merged: list[tuple[int, int, str, str]] = []
        for (kind, value), items in spans.items():
            items.sort()
            cur_s, cur_e = items[0]
            for s, e in items[1:]:
                if s < cur_e:  # overlapping: report once
                    cur_e = max(cur_e, e)
                else:
                    merged.append((cur_s, cur_e, kind, value))
                    cur_s, cur_e = s, e
            merged.append((cur_s, cur_e, kind, value))
        merged.sort(key=lambda t: (t[0], t[1], _KIND_ORDER[t[2]], t[3]))
        return [
            Hit(kind, value, source, folded.line_of(s), s, e, "".join(parts), parts)
            for s, e, kind, value in merged
            for parts in (_context_parts(text, s, e),)
        ]


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\u2029\u2028\"\u201c\u00ab\u2014-])[\W_]*$")


def _starts_sentence(text: str, start: int) -> bool:
    """Does the word at ``start`` begin the text, a line or a sentence (where any word is capitalised)?"""
    return _SENTENCE_START.search(text[max(0, start - 40):start]) is not None


def _initials_capitalised(m: re.Match[str], groups: tuple[str, ...], folded: _Folded) -> bool:
    """An initial expanded to a word ("K" → "Kowalski") must be capitalised."""
    for name in groups:
        s = m.start(name)
        if s > 0 and folded.orig[folded.start_of(s - 1)].islower():
            return False
    return True


@lru_cache(maxsize=64)
def _cached_matcher(needles: tuple[Needle, ...]) -> IdentityMatcher:
    return IdentityMatcher(needles)


def find_identity_hits(texts: Mapping[str, str], needles: Iterable[Needle]) -> list[Hit]:
    """Find the needles in the texts.

    ``texts`` maps a source label ("text", "title", "translation", a file
    name…) to the string to search; for a file name pass the name itself as
    the value.  Hits are ordered by source (in ``texts`` order), then by
    position; overlapping hits of the same kind and value are merged.
    """
    needles = tuple(needles)
    try:
        matcher = _cached_matcher(needles)
    except TypeError:  # unhashable (e.g. a value that is not a str)
        matcher = IdentityMatcher(needles)
    return matcher.find(texts)
