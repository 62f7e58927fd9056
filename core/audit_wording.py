"""The audit trail in the reader's language: what happened, to what, and the details' names and values.

Events store codes ("entry.changed", "entries", "characters": 85) so that they stay true whatever the
language; these turn them into words when the page is drawn. A code with no words here is shown as is
(inside <code>), so a new action is never hidden. Words a package stored as English text are registered by
that package (``register_stored_words``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

ACTIONS = {
    "entry.created": _l("Entry created"), "entry.changed": _l("Entry changed"),
    "entry.submitted": _l("Entry submitted"), "entry.withdrawn": _l("Entry withdrawn"),
    "entry.reinstated": _l("Entry reinstated"), "entry.disqualified": _l("Entry disqualified"),
    "entry.consent": _l("Consent recorded"), "entry.consent_withdrawn": _l("Consent withdrawn"),
    "entry.file_uploaded": _l("File uploaded"), "entry.file_removed": _l("File removed"),
    "entry.file_cleaned_again": _l("File cleaned again"),
    "class_created": _l("Class registered"), "class_changed": _l("Class changed"),
    "class.deadline_extended": _l("Class deadline extended"),
    "pupil_added": _l("Pupil added"), "pupil_changed": _l("Pupil changed"), "pupil_removed": _l("Pupil removed"),
    "school_created": _l("School created"), "school.renamed": _l("School renamed"), "school.merged": _l("Schools merged"),
    "city.created": _l("City created"), "city.updated": _l("City changed"), "city.activated": _l("City activated"),
    "city.coordinator_added": _l("City coordinator named"), "city.coordinator_removed": _l("City coordinator removed"),
    "edition.created": _l("Edition created"), "edition.updated": _l("Edition changed"),
    "edition.made_current": _l("Edition made current"),
    "material.created": _l("Material added"), "material.updated": _l("Material changed"),
    "material.deleted": _l("Material removed"), "material.moved": _l("Material moved"),
    "round.created": _l("Round created"), "round_created": _l("Round created"), "round_changed": _l("Round changed"),
    "round_assigned": _l("Entries assigned"), "round_reassigned": _l("Entries reassigned"),
    "round_open": _l("Round opened"), "round_close": _l("Round closed"), "round_reopen": _l("Round reopened"),
    "round.shortlisted": _l("Shortlist made"), "round.method_changed": _l("Ranking method changed"),
    "assignment_added": _l("Juror added to an entry"), "assignment_removed": _l("Juror removed from an entry"),
    "reminders_sent": _l("Reminders sent"),
    "score.created": _l("Scoring started"), "score.saved": _l("Scores saved"), "score.submitted": _l("Scores submitted"),
    "rubric.changed": _l("Rubric changed"), "rubric.versioned": _l("Rubric versioned"),
    "juror.changed": _l("Juror changed"),
    "conflict_declared": _l("Conflict of interest declared"), "conflict_deleted": _l("Conflict of interest removed"),
    "award.given": _l("Award given"), "award.removed": _l("Award removed"),
    "export.started": _l("Export started"), "export.finished": _l("Export finished"),
    "export.downloaded": _l("Export downloaded"),
    "round.final_proposal_used": _l("Final round made from the proposal"), "round.tie_decided": _l("Tie decided"),
    "campaign.created": _l("Campaign submission started"), "campaign.changed": _l("Campaign submission changed"),
    "campaign.submitted": _l("Campaign submission sent"), "campaign.deleted": _l("Campaign submission deleted"),
    "campaign.approved": _l("Campaign submission approved"),
    "campaign.sent_back": _l("Campaign submission sent back to the city"),
    "campaign.consent": _l("Participant's consent recorded"),
    "campaign.consent_withdrawn": _l("Participant's consent withdrawn"),
    "campaign.file_uploaded": _l("Campaign file uploaded"), "campaign.file_removed": _l("Campaign file removed"),
    "campaign.cropped": _l("Photo crop changed"), "campaign.timeline": _l("Campaign timeline changed"),
}

OBJECTS = {
    "entries": _l("entry"), "classes": _l("class"), "pupils": _l("pupil"), "schools": _l("school"),
    "cities": _l("city"), "editions": _l("edition"), "materials": _l("material"), "rounds": _l("round"),
    "assignments": _l("assignment"), "score_sets": _l("scores"), "rubrics": _l("rubric"), "users": _l("account"),
    "juror_profiles": _l("juror"), "conflicts": _l("conflict"), "awards": _l("award"), "export_jobs": _l("export"),
    "categories": _l("category"), "site": _l("site"), "campaign_submissions": _l("campaign submission"),
    "campaign_files": _l("campaign file"), "city_coordinators": _l("city coordinator"), "tie_orders": _l("tie order"),
    "shortlist_entries": _l("shortlisted entry"),
}

KEYS = {
    "kind": _l("kind"), "name": _l("name"), "changes": _l("changes"), "title": _l("title"), "part": _l("part"),
    "category": _l("category"), "status": _l("status"), "created": _l("created"), "characters": _l("characters"),
    "withdrawn": _l("withdrawn"), "until": _l("until"), "total": _l("total"), "social": _l("social media"),
    "size": _l("size"), "seed": _l("seed"), "reason": _l("reason"), "purpose": _l("purpose"),
    "publication": _l("publication"), "judging": _l("judging"), "position": _l("position"), "number": _l("number"),
    "note": _l("note"), "jurors": _l("jurors"), "format": _l("format"), "fields": _l("fields"), "entry": _l("entry"),
    "direction": _l("direction"), "classes": _l("classes"), "blindness_hits": _l("possible names"),
    "before": _l("before"), "after": _l("after"), "previous": _l("before"), "files": _l("files"),
    "text": _l("text"), "translation": _l("translation"), "work": _l("work"), "consent_form": _l("consent form"),
    "image": _l("image"), "method": _l("method"),
}


def action_title(action: str) -> Markup:
    title = ACTIONS.get(action)
    return Markup("%s") % title if title is not None else Markup("<code>%s</code>") % action


def object_title(object_type: str, object_id) -> str:
    kind = OBJECTS.get(object_type, object_type)
    return f"{kind} {object_id}" if object_id else str(kind)


def detail_value(value) -> Markup:
    """A detail's value: yes / no, numbers and dates in the reader's language, lists and changes compactly."""
    from flask_babel import gettext as _

    from core.templating import localdatetime, localnumber

    if isinstance(value, bool):
        return Markup("%s") % (_("yes") if value else _("no"))
    if isinstance(value, (int, float)):
        return Markup("%s") % localnumber(value)
    if isinstance(value, datetime):
        return Markup("%s") % localdatetime(value, "short")
    if isinstance(value, date):
        return Markup("%s") % value.isoformat()
    if isinstance(value, str):
        return Markup("%s") % KEYS.get(value, _stored_in_english().get(value, value))
    if isinstance(value, dict):
        return Markup(", ").join(detail(k, v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return Markup(" → ").join(detail_value(v) for v in value) if len(value) == 2 and not any(
            isinstance(v, (dict, list)) for v in value) else Markup("; ").join(detail_value(v) for v in value)
    return escape(str(value))


def register_stored_words(app, words: Callable[[], dict[str, str]]) -> None:
    """A package's words that some of its events stored as English text (competition: a category's title,
    "Ages 11–18 · Poem"). ``words()`` is called when a page is drawn and returns {English text: the same
    words in the reader's language}. Packages register at their init_app: core knows none of them."""
    app.extensions.setdefault("audit_stored_words", []).append(words)


def _stored_in_english() -> dict[str, str]:
    """Every registered English text, to its words in the reader's language."""
    from flask import current_app

    found: dict[str, str] = {}
    for words in current_app.extensions.get("audit_stored_words", ()):
        found.update(words())
    return found


def detail(key: str, value) -> Markup:
    """"key: value"; the catalogue places the colon ("clé : valeur" in French)."""
    from flask_babel import gettext as _

    return Markup(_("%(key)s: %(value)s")) % {"key": KEYS.get(key, key), "value": detail_value(value)}
