"""Every action the audit trail records, in one enum: ``core.audit.record`` refuses any other.

The values are the codes stored in ``audit_events.action`` (so they never change once used; a rename needs a
data migration, as "round_created" -> "round.created" had). Their words are in ``core/audit_wording.py``.
Call sites name the member (``record(AuditAction.ROUND_CREATED, ...)``), never the string:
``tests/test_audit_actions.py`` checks each call of ``record`` for it.
"""
from __future__ import annotations

import enum


class AuditAction(enum.StrEnum):
    # Entries (competition/entries)
    ENTRY_CREATED = "entry.created"
    ENTRY_CHANGED = "entry.changed"
    ENTRY_SUBMITTED = "entry.submitted"
    ENTRY_WITHDRAWN = "entry.withdrawn"
    ENTRY_REINSTATED = "entry.reinstated"
    ENTRY_DISQUALIFIED = "entry.disqualified"
    ENTRY_CONSENT = "entry.consent"
    ENTRY_CONSENT_WITHDRAWN = "entry.consent_withdrawn"
    ENTRY_FILE_UPLOADED = "entry.file_uploaded"
    ENTRY_FILE_REMOVED = "entry.file_removed"
    ENTRY_FILE_CLEANED_AGAIN = "entry.file_cleaned_again"
    # Classes, pupils and schools (competition/classes)
    CLASS_CREATED = "class_created"
    CLASS_CHANGED = "class_changed"
    CLASS_DEADLINE_EXTENDED = "class.deadline_extended"
    PUPIL_ADDED = "pupil_added"
    PUPIL_CHANGED = "pupil_changed"
    PUPIL_REMOVED = "pupil_removed"
    SCHOOL_CREATED = "school_created"
    SCHOOL_RENAMED = "school.renamed"
    SCHOOL_MERGED = "school.merged"
    # Cities, editions and materials (competition/editions)
    CITY_CREATED = "city.created"
    CITY_UPDATED = "city.updated"
    CITY_ACTIVATED = "city.activated"
    CITY_DEACTIVATED = "city.deactivated"
    CITY_COORDINATOR_ADDED = "city.coordinator_added"
    CITY_COORDINATOR_REMOVED = "city.coordinator_removed"
    EDITION_CREATED = "edition.created"
    EDITION_UPDATED = "edition.updated"
    EDITION_MADE_CURRENT = "edition.made_current"
    MATERIAL_CREATED = "material.created"
    MATERIAL_UPDATED = "material.updated"
    MATERIAL_DELETED = "material.deleted"
    MATERIAL_MOVED = "material.moved"
    # Rounds and assignment (judging/rounds, judging/assignment)
    ROUND_CREATED = "round.created"
    ROUND_CHANGED = "round_changed"
    ROUND_ASSIGNED = "round_assigned"
    ROUND_REASSIGNED = "round_reassigned"
    ROUND_OPENED = "round_open"
    ROUND_CLOSED = "round_close"
    ROUND_REOPENED = "round_reopen"
    ROUND_SHORTLISTED = "round.shortlisted"
    ROUND_METHOD_CHANGED = "round.method_changed"
    ROUND_FINAL_PROPOSAL_USED = "round.final_proposal_used"
    ROUND_SECOND_WAVE = "round.second_wave_added"
    ROUND_TIE_DECIDED = "round.tie_decided"
    ASSIGNMENT_ADDED = "assignment_added"
    ASSIGNMENT_REMOVED = "assignment_removed"
    REMINDERS_SENT = "reminders_sent"
    # Scores, rubrics and the jury (judging/scoring, judging/rubrics, judging/jury)
    SCORE_CREATED = "score.created"
    SCORE_SAVED = "score.saved"
    SCORE_SUBMITTED = "score.submitted"
    RUBRIC_CHANGED = "rubric.changed"
    RUBRIC_VERSIONED = "rubric.versioned"
    JUROR_CHANGED = "juror.changed"
    CONFLICT_DECLARED = "conflict_declared"
    CONFLICT_DELETED = "conflict_deleted"
    # Results and exports (judging/results, judging/exports)
    AWARD_GIVEN = "award.given"
    AWARD_REMOVED = "award.removed"
    EXPORT_STARTED = "export.started"
    EXPORT_FINISHED = "export.finished"
    EXPORT_DOWNLOADED = "export.downloaded"
    RESULTS_PUBLISHED = "results.published"
    RESULTS_UNPUBLISHED = "results.unpublished"
    # The cities' campaign (campaign/)
    CAMPAIGN_CREATED = "campaign.created"
    CAMPAIGN_CHANGED = "campaign.changed"
    CAMPAIGN_SUBMITTED = "campaign.submitted"
    CAMPAIGN_DELETED = "campaign.deleted"
    CAMPAIGN_APPROVED = "campaign.approved"
    CAMPAIGN_SENT_BACK = "campaign.sent_back"
    CAMPAIGN_CONSENT = "campaign.consent"
    CAMPAIGN_CONSENT_WITHDRAWN = "campaign.consent_withdrawn"
    CAMPAIGN_FILE_UPLOADED = "campaign.file_uploaded"
    CAMPAIGN_FILE_REMOVED = "campaign.file_removed"
    CAMPAIGN_CROPPED = "campaign.cropped"
    CAMPAIGN_TIMELINE = "campaign.timeline"
    # Retention (retention/)
    EDITION_PURGED = "edition.purged"
    DATA_EXPORTED = "data.exported"
