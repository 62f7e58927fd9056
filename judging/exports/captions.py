"""Captions for the social-media posts: English and French always, and the work's own language when it is another.

The English and French captions are written by the platform: award, category, title, credit (through
``wording.credit``, so a name only with consent), an invitation with the link, the slogan and the
hashtags on the last line. A work in the caption's language also gets its opening lines.

The caption in the work's own language (Portuguese, Arabic…) is not written by the platform: there is
no catalogue for that language and no sentence may be machine-invented. It holds only the pupil's own
words (the original title and the opening of the work), then the link and the hashtags.

Every caption stays within Instagram's 2,200 characters, counted in UTF-16 code units as the
networks do (an emoji counts two); the excerpt is shortened first, then the title.

Captions are plain UTF-8 and keep every script and emoji. Where scripts mix, directional marks keep
the order right: a right-to-left title or name inside an English or French sentence is isolated
(FSI…PDI), and in the own-language caption of a right-to-left work a line whose first letter is
Latin begins with a right-to-left mark. The marks count in the length.
"""
from __future__ import annotations

import unicodedata

from flask_babel import force_locale
from flask_babel import gettext as _

from judging.exports.fonts import is_rtl
from judging.exports.model import HASHTAGS, SLOGAN, Item
from judging.exports.wording import LANGUAGES, award_title, category_title, credit, isolated

LIMIT = 2200  # Instagram's caption limit
RLM = "\u200f"  # right-to-left mark
EXCERPT_LINES, EXCERPT_CHARS = 4, 300


def caption_name(item: Item, language: str) -> str:
    """The caption's file name, as the social-media kit writes it."""
    return f"{item.slug}-{language}.txt"


def own_language(item: Item) -> str:
    """The work's language as a caption key ("pt", "pt-br"), or "" when it is English or French or unknown."""
    code = item.language.strip().replace("_", "-").lower()
    return "" if not code or code.split("-")[0] in LANGUAGES else code


def caption_languages(item: Item) -> tuple[str, ...]:
    return (*LANGUAGES, own_language(item)) if own_language(item) else LANGUAGES


def link(item: Item, base_url: str) -> str:
    """The entry's public page; none without consent to publication (the page would not exist)."""
    if not item.consent_publication or not base_url.strip():
        return ""
    return f"{base_url.rstrip('/')}/results/{item.reference}"


def length(text: str) -> int:
    """Length as the networks count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _clean(text: str) -> str:
    """No control characters but newlines; no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def first_strong(text: str) -> str:
    """"rtl" or "ltr": the direction of the first strongly-directional character; "" when there is none."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return ""


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def opening(item: Item, chars: int = EXCERPT_CHARS) -> str:
    """The work's first lines in its own words: a poem's first lines (breaks kept), an essay's first sentences."""
    body = _clean(item.body)
    if not body or chars <= 0:
        return ""
    if item.discipline == "poem":
        lines = [line.strip() for line in body.split("\n")]
        kept = []
        for line in lines:
            if not line:
                if kept:
                    break  # the first stanza, at most
                continue
            if len(kept) == EXCERPT_LINES or length("\n".join([*kept, line])) > chars:
                break
            kept.append(line)
        text = "\n".join(kept)
        whole = "\n".join(line for line in lines if line)
        if not kept:
            return _cut(lines[0] if lines[0] else whole, chars)
        return text if text == whole else text.rstrip(" ,;:.") + "…"
    return _cut(" ".join(body.split()), chars)


def _cut(text: str, chars: int) -> str:
    """``text`` within ``chars`` UTF-16 units, cut at a word with "…"."""
    if length(text) <= chars:
        return text
    kept, used = [], 0
    for c in text:
        used += 2 if ord(c) > 0xFFFF else 1
        if used > chars - 1:
            break
        kept.append(c)
    cut = "".join(kept)
    if " " in cut and not text[len(cut)].isspace():  # do not end in the middle of a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _fit(parts: list[str], excerpt_at: int | None, title_at: int, make_title, excerpt_of) -> str:
    """Join ``parts`` with blank lines, shortening the excerpt, then the title, to stay within ``LIMIT``.

    The last part (the hashtags) is always kept whole, on the last line.
    """
    def joined() -> str:
        return "\n\n".join(p for p in parts if p)

    if excerpt_at is not None and length(joined()) > LIMIT:
        budget = LIMIT - length(joined()) + length(parts[excerpt_at])
        parts[excerpt_at] = excerpt_of(budget - 2) if budget > 40 else ""
    if length(joined()) > LIMIT:
        budget = LIMIT - length(joined()) + length(parts[title_at])
        parts[title_at] = make_title(max(1, budget - 4))
    if length(joined()) > LIMIT:  # only if the fixed wording alone is too long: keep the hashtags
        head = "\n\n".join(p for p in parts[:-1] if p)
        return _cut(head, LIMIT - length(parts[-1]) - 2) + "\n\n" + parts[-1]
    return joined()


def _invitation(item: Item, url: str) -> str:
    if not item.consent_publication:
        return ""  # posted on social media only: nothing more to read on the campaign page
    if item.discipline == "illustration":
        return _("See the illustration: %(link)s", link=url) if url else _("See the illustration on the campaign page.")
    if item.discipline == "essay":
        return _("Read the essay: %(link)s", link=url) if url else _("Read the essay on the campaign page.")
    return _("Read the whole poem: %(link)s", link=url) if url else _("Read the whole poem on the campaign page.")


def platform_caption(item: Item, language: str, base_url: str = "") -> str:
    """The English or French caption."""
    title = _one_line(item.title)
    with force_locale(language):
        award = " · ".join(p for p in (award_title(item.award, language),
                                      category_title(item.age_group, item.discipline, language)) if p)

        def line(text: str) -> str:
            return _("%(title)s by %(credit)s", title=_("“%(title)s”", title=isolated(text)),
                     credit=credit(item, language, isolate=True))

        def header(chars: int) -> str:  # award and title lines within ``chars``, shortening the title only
            full = "\n".join(p for p in (award, line(title)) if p)
            if length(full) <= chars:
                return full
            return "\n".join(p for p in (award, line(_cut(title, max(1, chars - length(full) + length(title))))) if p)

        own = item.language.strip().replace("_", "-").lower().split("-")[0] == language
        parts = [header(LIMIT), opening(item) if own else "", _invitation(item, link(item, base_url)),
                 _("%(slogan)s — International Migrants Day, 18 December", slogan=SLOGAN), " ".join(HASHTAGS)]
        return _fit(parts, 1 if own else None, 0, header, lambda chars: opening(item, chars))


def _right_to_left(text: str, rtl: bool) -> str:
    """Each line of a right-to-left work whose first letter is not right-to-left (a Latin word) begins with
    an RLM, so that a network choosing a paragraph's direction from its first letter sets it from the right."""
    if not rtl:
        return text
    return "\n".join(RLM + line if line and first_strong(line) != "rtl" else line for line in text.split("\n"))


def own_caption(item: Item, base_url: str = "") -> str:
    """The caption in the work's own language: only the pupil's words, the link and the hashtags."""
    title = _one_line(item.title)
    rtl = is_rtl(item.body or title)
    marks = EXCERPT_LINES + 1  # the most RLMs the title and the opening can gain
    parts = [_right_to_left(title, rtl), _right_to_left(opening(item), rtl), link(item, base_url),
             " ".join(HASHTAGS)]
    return _fit(parts, 1, 0, lambda chars: _right_to_left(_cut(title, chars - 1), rtl),
                lambda chars: _right_to_left(opening(item, chars - marks), rtl))


def captions(item: Item, base_url: str = "") -> dict[str, str]:
    """Caption texts by language: "en" and "fr", and the work's own language when it is another."""
    texts = {language: platform_caption(item, language, base_url) for language in LANGUAGES}
    if own_language(item):
        texts[own_language(item)] = own_caption(item, base_url)
    return texts
