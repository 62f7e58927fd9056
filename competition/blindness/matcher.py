"""Scanning: the compiled needles searched in texts, and each hit's excerpt."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from competition.blindness.folding import Folded
from competition.blindness.needles import KIND_ORDER, Hit, Needle
from competition.blindness.variants import Variant, is_continuous, needle_variants

CONTEXT_WIDTH = 30
ELLIPSIS = "\u2026"
_WHITESPACE = re.compile(r"\s+")
_WORD_INNER = frozenset("'\u2019\u02bc\u00ad")


def _wordish(c: str) -> bool:
    return c.isalnum() or c in _WORD_INNER


def context_parts(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> tuple[str, str, str]:
    """About ``width`` characters either side, cut at word boundaries, in three parts: before the
    match, the match, after it."""
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


class IdentityMatcher:
    """Needles compiled once; :meth:`find` searches any number of texts."""

    def __init__(self, needles: Iterable[Needle]) -> None:
        unique: dict[tuple[str, str], Needle] = {}
        for n in needles:
            if n is None or not (n.value or "").strip():
                continue
            unique.setdefault((n.kind, n.value), n)
        self.needles: tuple[Needle, ...] = tuple(unique.values())
        variants = [v for n in self.needles for v in needle_variants(n)]
        self._by_first: dict[str, list[Variant]] = {}
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
            (unbounded if is_continuous(first) else bounded).append(branch)
        alternatives = []
        if bounded:
            alternatives.append(r"(?<![^\W\d_])(?:" + "|".join(bounded) + ")")
        alternatives.extend(unbounded)
        self._scanner: re.Pattern[str] | None = (
            re.compile("|".join(alternatives)) if alternatives else None
        )

    def _regex(self, v: Variant) -> re.Pattern[str]:
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
        folded = Folded(text)
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
        merged.sort(key=lambda t: (t[0], t[1], KIND_ORDER[t[2]], t[3]))
        return [
            Hit(kind, value, source, folded.line_of(s), s, e, "".join(parts), parts)
            for s, e, kind, value in merged
            for parts in (context_parts(text, s, e),)
        ]


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\u2029\u2028\"\u201c\u00ab\u2014-])[\W_]*$")


def _starts_sentence(text: str, start: int) -> bool:
    """Does the word at ``start`` begin the text, a line or a sentence (where any word is capitalised)?"""
    return _SENTENCE_START.search(text[max(0, start - 40):start]) is not None


def _initials_capitalised(m: re.Match[str], groups: tuple[str, ...], folded: Folded) -> bool:
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
