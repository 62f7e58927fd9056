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

from core.audit_actions import AuditAction as A

ACTIONS = {  # every AuditAction (A) has words: tests/test_audit_actions.py
    A.ENTRY_CREATED: _l("Entry created"),
    A.ENTRY_CHANGED: _l("Entry changed"),
    A.ENTRY_SUBMITTED: _l("Entry submitted"),
    A.ENTRY_WITHDRAWN: _l("Entry withdrawn"),
    A.ENTRY_REINSTATED: _l("Entry reinstated"),
    A.ENTRY_DISQUALIFIED: _l("Entry disqualified"),
    A.ENTRY_CONSENT: _l("Consent recorded"),
    A.ENTRY_CONSENT_WITHDRAWN: _l("Consent withdrawn"),
    A.ENTRY_FILE_UPLOADED: _l("File uploaded"),
    A.ENTRY_FILE_REMOVED: _l("File removed"),
    A.ENTRY_FILE_CLEANED_AGAIN: _l("File cleaned again"),
    A.CLASS_CREATED: _l("Class registered"),
    A.CLASS_CHANGED: _l("Class changed"),
    A.CLASS_DEADLINE_EXTENDED: _l("Class deadline extended"),
    A.PUPIL_ADDED: _l("Pupil added"),
    A.PUPIL_CHANGED: _l("Pupil changed"),
    A.PUPIL_REMOVED: _l("Pupil removed"),
    A.SCHOOL_CREATED: _l("School created"),
    A.SCHOOL_RENAMED: _l("School renamed"),
    A.SCHOOL_MERGED: _l("Schools merged"),
    A.CITY_CREATED: _l("City created"),
    A.CITY_UPDATED: _l("City changed"),
    A.CITY_ACTIVATED: _l("City activated"),
    A.CITY_COORDINATOR_ADDED: _l("City coordinator named"),
    A.CITY_COORDINATOR_REMOVED: _l("City coordinator removed"),
    A.EDITION_CREATED: _l("Edition created"),
    A.EDITION_UPDATED: _l("Edition changed"),
    A.EDITION_MADE_CURRENT: _l("Edition made current"),
    A.MATERIAL_CREATED: _l("Material added"),
    A.MATERIAL_UPDATED: _l("Material changed"),
    A.MATERIAL_DELETED: _l("Material removed"),
    A.MATERIAL_MOVED: _l("Material moved"),
    A.ROUND_CREATED: _l("Round created"),
    A.ROUND_CHANGED: _l("Round changed"),
    A.ROUND_ASSIGNED: _l("Entries assigned"),
    A.ROUND_REASSIGNED: _l("Entries reassigned"),
    A.ROUND_OPENED: _l("Round opened"),
    A.ROUND_CLOSED: _l("Round closed"),
    A.ROUND_REOPENED: _l("Round reopened"),
    A.ROUND_SHORTLISTED: _l("Shortlist made"),
    A.ROUND_METHOD_CHANGED: _l("Ranking method changed"),
    A.ASSIGNMENT_ADDED: _l("Juror added to an entry"),
    A.ASSIGNMENT_REMOVED: _l("Juror removed from an entry"),
    A.REMINDERS_SENT: _l("Reminders sent"),
    A.SCORE_CREATED: _l("Scoring started"),
    A.SCORE_SAVED: _l("Scores saved"),
    A.SCORE_SUBMITTED: _l("Scores submitted"),
    A.RUBRIC_CHANGED: _l("Rubric changed"),
    A.RUBRIC_VERSIONED: _l("Rubric versioned"),
    A.JUROR_CHANGED: _l("Juror changed"),
    A.CONFLICT_DECLARED: _l("Conflict of interest declared"),
    A.CONFLICT_DELETED: _l("Conflict of interest removed"),
    A.AWARD_GIVEN: _l("Award given"),
    A.AWARD_REMOVED: _l("Award removed"),
    A.EXPORT_STARTED: _l("Export started"),
    A.EXPORT_FINISHED: _l("Export finished"),
    A.EXPORT_DOWNLOADED: _l("Export downloaded"),
    A.ROUND_FINAL_PROPOSAL_USED: _l("Final round made from the proposal"),
    A.ROUND_SECOND_WAVE: _l("Final round's second wave added"),
    A.ROUND_TIE_DECIDED: _l("Tie decided"),
    A.CAMPAIGN_CREATED: _l("Campaign submission started"),
    A.CAMPAIGN_CHANGED: _l("Campaign submission changed"),
    A.CAMPAIGN_SUBMITTED: _l("Campaign submission sent"),
    A.CAMPAIGN_DELETED: _l("Campaign submission deleted"),
    A.CAMPAIGN_APPROVED: _l("Campaign submission approved"),
    A.CAMPAIGN_SENT_BACK: _l("Campaign submission sent back to the city"),
    A.CAMPAIGN_CONSENT: _l("Participant's consent recorded"),
    A.CAMPAIGN_CONSENT_WITHDRAWN: _l("Participant's consent withdrawn"),
    A.CAMPAIGN_FILE_UPLOADED: _l("Campaign file uploaded"),
    A.CAMPAIGN_FILE_REMOVED: _l("Campaign file removed"),
    A.CAMPAIGN_CROPPED: _l("Photo crop changed"),
    A.CAMPAIGN_TIMELINE: _l("Campaign timeline changed"),
    A.CITY_DEACTIVATED: _l("City deactivated"),
    A.RESULTS_PUBLISHED: _l("Results published"),
    A.RESULTS_UNPUBLISHED: _l("Results taken off the public page"),
    A.EDITION_PURGED: _l("Edition purged"),
    A.DATA_EXPORTED: _l("Teacher's data exported"),
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
    title = ACTIONS.get(action)  # a stored code finds its member: a StrEnum member equals its value
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
