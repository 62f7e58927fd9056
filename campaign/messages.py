"""Translated words for the codes of ``campaign.checks`` and ``operations.missing_items``."""
from flask_babel import lazy_gettext as _l

from campaign.models import Kind

SUGGESTIONS = {
    "ending": _l("A suggestion: the brief's quotes end with \"I am a migrant.\" The quote is saved as it is; add it if the participant agrees."),
    "things": _l("A suggestion: the brief's quotes say a few things in the form \"I am…, I like…, I do…\" before \"I am a migrant.\" The quote is saved as it is."),
}

MISSING = {
    "text": _l("The text"),
    "official": _l("The official's name and title"),
    "translation": _l("A translation into English or French"),
    "consent": _l("Consent to publication"),
}

TEXT_MISSING = {
    Kind.QUOTE: _l("Enter the quote."),
    Kind.STATEMENT: _l("Enter the statement."),
    Kind.STORY: _l("Type the story or upload it."),
}
