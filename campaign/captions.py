"""Captions of a submission's posts in English and French, with the brief's hashtags.

Only what consent allows: a name only with consent to show it (an official's statement is signed),
and nothing at all without consent to social media. The participant's own words are quoted as they
are; a right-to-left text is isolated (FSI…PDI) so the sentence around it keeps its order.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from campaign.models import Kind
from judging.exports.captions import LIMIT, length
from judging.exports.fonts import is_rtl
from judging.exports.model import HASHTAGS, SLOGAN

LANGUAGES = ("en", "fr")
EXCERPT_WORDS = 45


def _isolated(text: str) -> str:
    return f"\u2068{text}\u2069" if is_rtl(text) else text


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _words(sub, language: str) -> str:
    """The text to quote in a caption of ``language``: the original, or its translation into that language."""
    if sub.language == language or not sub.translation_text:
        return sub.text
    return sub.translation_text  # English or French: closer to the caption's readers than the original


def caption(sub, language: str, link: str = "") -> str:
    if not sub.on_social_media:
        return ""
    name = sub.public_name
    with force_locale(language):
        if sub.kind == Kind.QUOTE:
            who = _("%(name)s from %(city)s", name=_isolated(name), city=sub.city.name) if name else _(
                "A resident of %(city)s", city=sub.city.name)
            parts = [f"“{_isolated(_words(sub, language).strip())}”", f"— {who}"]
        elif sub.kind == Kind.STORY:
            who = _("%(name)s's story, %(city)s", name=_isolated(name), city=sub.city.name) if name else _(
                "A story from %(city)s", city=sub.city.name)
            parts = [who, f"“{_isolated(_excerpt(_words(sub, language)))}”"]
        else:
            parts = [_("%(name)s, %(title)s, for International Migrants Day:", name=name, title=sub.person_title),
                     f"“{_excerpt(sub.text)}”"]
        if link:
            parts.append(_("Read more on the campaign page: %(link)s", link=link))
        parts.append(f"{SLOGAN} · " + " ".join(HASHTAGS))
    text = "\n\n".join(parts)
    while length(text) > LIMIT and len(parts[1]) > 20:
        parts[1] = parts[1][: len(parts[1]) // 2].rstrip() + "…”"
        text = "\n\n".join(parts)
    return text


def captions(sub, link: str = "") -> dict[str, str]:
    return {language: caption(sub, language, link) for language in LANGUAGES}
