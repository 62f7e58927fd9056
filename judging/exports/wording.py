"""Words shared by every export, in a chosen language whatever the request's: credits, awards, categories."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import force_locale
from flask_babel import gettext as _

from judging.exports.model import Item

LANGUAGES = ("en", "fr")  # every caption and the publication exist in both


def isolated(text: str) -> str:
    """``text`` between FSI and PDI when it holds right-to-left letters, so that it keeps its own direction
    inside a sentence of another ("“بيتي!” by أمينة, 12": the "!" and the age stay where they belong)."""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return f"\u2068{text}\u2069"
    return text


def credit(item: Item, language: str, isolate: bool = False) -> str:
    """"Amira, 12, Lisbon" with name consent; "a pupil from Lisbon" without. Never a surname.

    With ``isolate`` (captions, cards, the publication), a name or city in a right-to-left script is
    ``isolated``; the HTML pages and the feed get the plain text.
    """
    own = isolated if isolate else str
    city = own(item.city)
    with force_locale(language):
        if not item.consent_name:
            if item.whole_class:
                return _("a class from %(city)s", city=city)
            if len(item.authors) > 1:
                return _("pupils from %(city)s", city=city)
            return _("a pupil from %(city)s", city=city)
        if item.whole_class or not item.authors:
            if re.search(r"\bclass", item.class_name, re.IGNORECASE):  # "4th class", "Classe 3A": as it is
                return _("%(names)s, %(city)s", names=own(item.class_name), city=city)
            return _("Class %(name)s, %(city)s", name=own(item.class_name), city=city)
        people = [_("%(name)s, %(age)d", name=own(a.first_name), age=a.age) for a in item.authors]
        names = people[0] if len(people) == 1 else _("%(names)s and %(last)s", names=", ".join(people[:-1]),
                                                     last=people[-1])
        return _("%(names)s, %(city)s", names=names, city=city)


def award_title(kind: str | None, language: str) -> str:
    from judging.models import AwardKind

    if not kind:
        return ""
    with force_locale(language):
        return AwardKind(kind).title


def category_title(age_group: str, discipline: str, language: str) -> str:
    from competition.models import AgeGroup, Discipline

    with force_locale(language):
        return f"{AgeGroup(age_group).title} · {Discipline(discipline).title}"


def reason_text(reason: str, language: str | None = None) -> str:
    """Why an entry was left out of an output, for the export page and the bundle's list. Every entry status has
    a text (an award given to an entry that later left the competition), and an unknown reason a general one."""
    texts = {
        "no_publication_consent": lambda: _("No consent to publication: left out of the publication, the feed "
                                            "and the public gallery."),
        "no_social_consent": lambda: _("No consent to social media: no card, caption or post."),
        "no_name_consent": lambda: _("No consent to names: credited without a name."),
        "withdrawn": lambda: _("Withdrawn after the award: left out of everything published."),
        "disqualified": lambda: _("Disqualified after the award: left out of everything published."),
        "draft": lambda: _("Not submitted (a draft): left out of everything published."),
        "missing_files": lambda: _("A file of this entry is missing from storage: its card and page use the text "
                                   "or title instead."),
    }
    text = texts.get(reason, lambda: _("Not in the competition: left out of everything published."))
    if language is None:
        return text()
    with force_locale(language):
        return text()


def output_title(output: str) -> str:
    return {
        "publication": _("Publication"), "social": _("Social-media kit"), "names": _("Names"), "files": _("Files"),
        "all": _("Everything published"), "results": _("Spreadsheets and feed"), "bundle": _("Everything, zipped"),
    }[output]


def card_size_title(size: str) -> str:
    """A card's size as the secretariat reads it."""
    return {"portrait": _("portrait"), "square": _("square"), "landscape": _("landscape")}.get(size, size)
