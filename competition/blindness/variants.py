"""Needle compilation: each needle becomes one or more regular expressions over folded text (its variants)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from competition.blindness.folding import UMLAUTS, fold_char
from competition.blindness.needles import PERSON_KINDS, Needle
from competition.blindness.words import CLASS_GENERIC, NAME_PARTICLES, SCHOOL_GENERIC, STOP_WORDS, is_common_word

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


def is_continuous(c: str) -> bool:
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in _CONTINUOUS_RANGES)


def _is_hangul(c: str) -> bool:
    o = ord(c)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def _is_letter(c: str) -> bool:
    return c.isalnum() and not c.isdecimal()


_Token = tuple[str, tuple[bool, ...]]  # folded word, per-char "came from an umlaut"
_TOKEN_RE = re.compile(r"[^\W_]+")


def _tokenise(s: str) -> tuple[list[_Token], list[str]]:
    """Fold ``s`` and split it into words and the separators between them."""
    chars: list[str] = []
    flags: list[bool] = []
    for ch in unicodedata.normalize("NFC", s):
        um = ch in UMLAUTS
        for fc in fold_char(ch):
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
class Variant:
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
) -> Variant | None:
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
    elif is_continuous(last) or _is_hangul(last):
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
    if is_continuous(first):
        start = ""
    elif first.isdecimal():
        start = _START_DIGIT
    else:
        start = _START_LETTER
    if not _is_letter(first):
        capital = False
    source = pieces[0] + start + "".join(pieces[1:])
    return Variant(needle, first, head, scan, source, capital, tuple(initials), capital and mid_sentence)


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


def needle_variants(needle: Needle) -> list[Variant]:
    value = (needle.value or "").strip()
    if not value:
        return []
    person = needle.kind in PERSON_KINDS
    tokens, seps = _tokenise(value)
    found: list[Variant | None] = [_build_variant(needle, tokens, seps, person=person)]
    if person:
        parts = value.split()
        if len(parts) > 1:
            for part in parts:
                ptoks, pseps = _tokenise(part)
                if not ptoks:
                    continue
                if len(ptoks) == 1 and (len(ptoks[0][0]) == 1 or ptoks[0][0] in NAME_PARTICLES):
                    continue
                # One part of an adult's name that is a common word ("Teacher", "Baker")
                # counts only capitalised; the full name counts anywhere. A pupil's
                # first name is the name itself: always looked for.
                common = needle.kind == "teacher" and len(ptoks) == 1 and is_common_word(ptoks[0][0])
                found.append(_build_variant(needle, ptoks, pseps, person=True, capital=common, mid_sentence=common))
    elif needle.kind in ("school", "class"):
        school = needle.kind == "school"
        generic = SCHOOL_GENERIC if school else CLASS_GENERIC
        core, cseps, stripped = _strip_generic(tokens, seps, generic, digits=school)
        if stripped and core:
            letters = sum(1 for w, _ in core for c in w if _is_letter(c))
            if (school and letters >= 4) or (not school and letters >= 1):
                single_word = len(core) == 1 and not any(c.isdecimal() for c in core[0][0])
                found.append(
                    _build_variant(needle, core, cseps, person=False, capital=single_word)
                )
    seen: set[tuple[str, bool]] = set()
    out: list[Variant] = []
    for v in found:
        if v is not None and (v.source, v.require_capital) not in seen:
            seen.add((v.source, v.require_capital))
            out.append(v)
    return out
