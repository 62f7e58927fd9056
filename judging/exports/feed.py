"""The public results feed: a versioned JSON document for partner websites (schema in docs/results-feed.md).

The feed is public. It reads only ``Results.for_publication`` (entries still in the competition,
selected or awarded, with consent to publication) and credits pupils only through
``wording.credit``, so a name appears only with consent to names. It never holds classes, schools,
entry ids, consent flags, scores other than the rank, or file paths.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import IO, Any

from judging.exports.model import Item, Results
from judging.exports.wording import LANGUAGES, award_title, category_title, credit

SCHEMA = "more-than-migrants/results/1"
EXCERPT_LINES = 4
EXCERPT_CHARS = 280
ELLIPSIS = "…"
WRITTEN = ("poem", "essay")  # disciplines whose text is published; an illustration is published as its image


def build_feed(results: Results) -> dict[str, Any]:
    """The feed as plain data: every category (even one with nothing to publish) and its publishable entries."""
    base = results.base_url.rstrip("/")
    published = results.for_publication
    categories = []
    for category in results.categories:
        references = {item.reference for item in category.items}
        categories.append({
            "id": category.id,
            "age_group": category.age_group,
            "discipline": category.discipline,
            "title": {language: category_title(category.age_group, category.discipline, language)
                      for language in LANGUAGES},
            "entries": [_entry(item, base) for item in published if item.reference in references],
        })
    return {
        "schema": SCHEMA,
        "edition": {
            "id": results.edition_id,
            "name": results.edition_name,
            "results_on": results.results_on.isoformat() if results.results_on else None,
        },
        "generated_at": _utc(results.generated_at),
        "categories": categories,
    }


def write_feed(results: Results, out_text: IO[str]) -> None:
    """Write the feed as UTF-8 JSON text (the caller opens ``out_text`` with encoding "utf-8")."""
    json.dump(build_feed(results), out_text, ensure_ascii=False, indent=2, sort_keys=False)
    out_text.write("\n")


def excerpt(item: Item) -> str:
    """The first few non-empty lines of a written work, at most ``EXCERPT_CHARS`` characters, "…" when cut."""
    if item.discipline not in WRITTEN:
        return ""
    lines = [line.strip() for line in item.body.splitlines() if line.strip()]
    text = "\n".join(lines[:EXCERPT_LINES])
    cut = len(lines) > EXCERPT_LINES
    if len(text) > EXCERPT_CHARS:
        text, cut = text[:EXCERPT_CHARS], True
        space = text.rfind(" ")
        if space > EXCERPT_CHARS // 2:  # end on a whole word when there is one not too far back
            text = text[:space]
    if cut:
        text = text.rstrip(" \n,;:.–—-") + ELLIPSIS
    return text


def _entry(item: Item, base: str) -> dict[str, Any]:
    page = f"{base}/results/{item.reference}"
    written = item.discipline in WRITTEN
    translation = item.translation_text.strip()
    return {
        "reference": item.reference,
        "title": item.title,
        "language": item.language,
        "discipline": item.discipline,
        "age_group": item.age_group,
        "award": item.award,
        "award_title": {language: award_title(item.award, language) for language in LANGUAGES},
        "rank": item.rank,
        "credit": {language: credit(item, language) for language in LANGUAGES},
        "city": item.city,
        "country_code": item.country_code,
        "excerpt": excerpt(item),
        "text": item.body if written else "",
        "translation": {"language": item.translation_language or None, "text": translation} if translation else None,
        "url": page,
        "card": {shape: f"{page}/card-{shape}.png" for shape in ("portrait", "square", "landscape")}
        if item.consent_social else None,  # a card is a social-media post: only with that consent
        "image": f"{page}/image" if item.discipline == "illustration" and item.illustration is not None else None,
    }


def _utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a "Z", to the second (a naive time is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
