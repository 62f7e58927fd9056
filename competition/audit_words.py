"""Words competition's audit events stored as English text, for the audit trail in the reader's language.

Registered with core's audit wording at init_app (``core.audit_wording.register_stored_words``).
"""
from __future__ import annotations

from flask_babel import force_locale

from competition.models.edition import AGE_GROUP_TITLES, DISCIPLINE_TITLES


def category_titles() -> dict[str, str]:
    """A category's title as stored ("Ages 11–18 · Poem"), to its title in the reader's language."""
    pairs = [(age, discipline) for age in AGE_GROUP_TITLES for discipline in DISCIPLINE_TITLES]
    with force_locale("en"):
        english = [f"{AGE_GROUP_TITLES[a]} · {DISCIPLINE_TITLES[d]}" for a, d in pairs]
    return {text: f"{AGE_GROUP_TITLES[a]} · {DISCIPLINE_TITLES[d]}" for text, (a, d) in zip(english, pairs)}
