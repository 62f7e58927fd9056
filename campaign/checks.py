"""Pure checks of what cities send: the quote's format, a story's length, a statement's language.

No Flask here: each takes and returns plain data, and the operations turn the answers into messages.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PAGE_WORDS = 500  # words on one A4 page at 12 pt, single-spaced, with margins of 2.5 cm
PAGE_CHARACTERS = 3000  # the same page in a script written without spaces (Chinese, Japanese…)
MAX_PAGES = 1.3  # one A4 page, with the benefit of the doubt
STATEMENT_LANGUAGES = ("en", "fr")

_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class Length:
    words: int
    characters: int

    @property
    def pages(self) -> float:
        """The estimated A4 pages: by words, or by characters for scripts without spaces, whichever is more."""
        return round(self._pages, 2)

    @property
    def _pages(self) -> float:
        return max(self.words / PAGE_WORDS, self.characters / PAGE_CHARACTERS)

    @property
    def too_long(self) -> bool:
        return self._pages > MAX_PAGES  # unrounded: 651 words are 1.302 pages, shown as 1.3, and too long


def length(text: str) -> Length:
    text = text or ""
    return Length(len(_WORD.findall(text)), len("".join(text.split())))


def _sentences(text: str) -> list[str]:
    flat = " ".join((text or "").replace("’", "'").split()).lower()
    return [s.strip() for s in re.split(r"(?<=[.!?…])\s+", flat) if s.strip()]


_ENDINGS = {
    "en": ("i am a migrant.",),
    "fr": ("je suis migrant.", "je suis migrante.", "je suis un migrant.", "je suis une migrante."),
}
_OPENINGS = {"en": ("i am ", "i like ", "i do ", "i love "), "fr": ("je suis ", "j'aime ", "je fais ", "j'adore ")}


def quote_suggestions(text: str, language: str) -> list[str]:
    """What would bring a quote closer to the brief's format, as codes (``campaign.messages`` words them).

    Only English and French quotes are checked; the brief's format is an English sentence pattern.
    "ending": it does not end with "I am a migrant." (or "Je suis migrant·e."); "things": it says
    nothing in the "I am…, I like…, I do…" form before the ending. An empty list means it follows the format.
    """
    base = (language or "").split("-")[0].lower()
    if base not in _ENDINGS:
        return []
    sentences = _sentences(text)
    if not sentences:
        return []
    found = []
    if not any(sentences[-1].endswith(ending) for ending in _ENDINGS[base]) and not (
            sentences[-1] + ".").endswith(_ENDINGS[base]):
        found.append("ending")
    before = sentences[:-1] if "ending" not in found else sentences
    if not any(s.startswith(_OPENINGS[base]) for s in before):
        found.append("things")
    return found


def latin_share(text: str) -> float:
    """The share of the text's letters that are Latin: a statement in English or French is almost all Latin."""
    letters = [c for c in text or "" if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


_STOP = {
    "en": {"the", "and", "of", "to", "is", "in", "our", "we", "city", "that", "with", "for", "are", "it", "a"},
    "fr": {"le", "la", "les", "et", "de", "des", "est", "nous", "notre", "ville", "que", "pour", "une", "un", "dans"},
}
_OTHER = {  # common words of the network's other languages written in Latin script
    "de": {"und", "der", "die", "das", "ist", "nicht", "wir", "unsere", "stadt", "mit"},
    "es": {"el", "los", "y", "es", "nuestra", "ciudad", "con", "para", "del", "somos"},
    "it": {"il", "della", "che", "è", "nostra", "città", "con", "per", "gli", "siamo"},
    "pt": {"o", "os", "e", "é", "nossa", "cidade", "com", "para", "do", "não"},
    "nl": {"de", "het", "en", "is", "onze", "stad", "met", "voor", "niet", "wij"},
    "pl": {"i", "jest", "nasze", "miasto", "się", "nie", "dla", "że", "na", "jesteśmy"},
}


def statement_language_ok(text: str) -> bool:
    """Whether a statement reads as English or French: Latin letters, and more English or French common
    words than any other language's. Short texts (under 12 words) get the benefit of the doubt."""
    if latin_share(text) < 0.8:
        return False
    words = [w.lower() for w in _WORD.findall(text or "")]
    if len(words) < 12:
        return True
    ours = max(sum(w in _STOP[code] for w in words) for code in _STOP)
    theirs = max(sum(w in stop for w in words) for stop in _OTHER.values())
    return ours >= theirs
