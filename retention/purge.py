"""Keeping personal data no longer than needed, and giving it back.

Purging an edition (the secretariat, once its results are out)
    removes the personal data the competition no longer needs and keeps what was published with
    consent, and the anonymous statistics:

    * pupils' names become "Pupil <n>" (their number in the class), initials are cleared, ages stay;
      the pupils credited by name in a published entry keep their name and initial;
    * teachers' accounts are anonymised when they have no class in an edition not yet purged and no
      other role: "Former teacher", ``purged-<id>@invalid``, no password, deactivated, sessions ended,
      pending tokens deleted; other teachers are left as they are;
    * consent forms: rows and stored files deleted;
    * originals: for a published entry, each work or translation file's original is deleted and its row
      points at the cleaned copy instead (``original_key = cleaned_key``, a neutral ``original_name``);
    * entries that are not published: text, translation, blindness hits, disqualification reason and
      every file deleted, the title replaced by the reference; the row stays with its category, class,
      status, consent flags, dates, scores and awards; published entries lose only their blindness hits
      (the names the check found: the published credits follow the consent to names instead);
    * audit events about the edition's entries lose the titles (of unpublished entries), file names and
      reasons they repeated.

    An entry is *published* when it has an award, is still submitted and has consent to publication:
    exactly what the public gallery shows (``judging.exports.model.Results.for_publication``).

    Nothing is stored to say that an edition is purged but an ``edition.purged`` audit event (no schema
    change). A second purge finds (almost) nothing to do, and says so.

A teacher's copy of their data: ``retention/export.py``.

Operations flush and record audit events; they never commit. Stored files are deleted right after the
request's commit, and only when no row refers to them any more (storage is content-addressed, so two rows
may share one file): ``core.file_lifecycle`` does it from the rows deleted or changed here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from accounts.models import Role, Token, User
from competition.models import Edition, Entry, EntryFile, EntryStatus, FilePurpose, Pupil, SchoolClass
from core.audit import AuditEvent, record
from core.audit_actions import AuditAction
from core.db import db, utcnow

PUPIL_PLACEHOLDER = "Pupil"  # stored data, like the names it replaces: not translated
FORMER_TEACHER = "Former teacher"
REMOVED = "[removed]"
CHUNK = 500


# When an edition may be purged -----------------------------------------------------------------------

def purge_refusal(edition: Edition, today: date | None = None) -> str | None:
    """Why the edition cannot be purged yet (translated), or None when it can."""
    if edition.results_published_at is not None:
        return None
    if (today or utcnow().date()) > edition.results_on:
        return None
    return _("The personal data of %(name)s can be removed once its results are published, or after its "
             "results day (%(day)s). Until then the secretariat and the jury still need it.",
             name=edition.name, day=edition.results_on.isoformat())


def purges(edition: Edition) -> list[AuditEvent]:
    """The edition's purges, latest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EDITION_PURGED,
                                 AuditEvent.object_type == Edition.__tablename__, AuditEvent.object_id == edition.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def purged_edition_ids() -> set[int]:
    return set(db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == AuditAction.EDITION_PURGED,
                                           AuditEvent.object_type == Edition.__tablename__).distinct()))


# What a purge touches ----------------------------------------------------------------------------------

def placeholder_name(number: int) -> str:
    return f"{PUPIL_PLACEHOLDER} {number}"


def purged_email(user: User) -> str:
    return f"purged-{user.id}@invalid"


def is_anonymised(user: User) -> bool:
    return user.email == purged_email(user)


def neutral_file_name(entry: Entry, number: int, stored: EntryFile) -> str:
    return f"{entry.reference}-{number}{stored.cleaned_ext or ''}"


@dataclass
class Scope:
    """Everything a purge of one edition changes, computed the same way for the preview and the purge."""

    edition: Edition
    entries: list[Entry] = field(default_factory=list)
    published: list[Entry] = field(default_factory=list)
    to_empty: list[Entry] = field(default_factory=list)  # unpublished entries that still hold something
    renamed: list[tuple[Pupil, str]] = field(default_factory=list)  # pupil, placeholder
    named: list[Pupil] = field(default_factory=list)  # credited by name in a published entry
    pupil_total: int = 0
    anonymised: list[User] = field(default_factory=list)
    kept_teachers: list[User] = field(default_factory=list)
    consent_forms: list[EntryFile] = field(default_factory=list)
    unpublished_files: list[EntryFile] = field(default_factory=list)
    originals: list[tuple[Entry, int, EntryFile]] = field(default_factory=list)  # published entries' files to fold
    kept_files: int = 0
    classes: int = 0
    categories: int = 0
    score_sets: int = 0
    awards: int = 0

    def counts(self) -> dict[str, int]:
        """The numbers shown before the purge and recorded in its audit event."""
        return {
            "pupils_renamed": len(self.renamed), "pupils_named": len(self.named), "pupils": self.pupil_total,
            "teachers_anonymised": len(self.anonymised), "teachers_kept": len(self.kept_teachers),
            "consent_forms": len(self.consent_forms),
            "originals": sum(1 for _entry, _number, f in self.originals if f.original_key != f.cleaned_key),
            "entries_emptied": len(self.to_empty), "unpublished_files": len(self.unpublished_files),
            "entries": len(self.entries), "entries_published": len(self.published), "published_files": self.kept_files,
            "classes": self.classes, "categories": self.categories, "score_sets": self.score_sets,
            "awards": self.awards,
        }


def _awarded_entry_ids(edition: Edition) -> set[int]:
    from judging.models import Award

    return set(db.session.scalars(select(Award.entry_id).where(Award.edition_id == edition.id)))


def is_published(entry: Entry, awarded: set[int]) -> bool:
    """What the public gallery shows: an award, still in the competition, consent to publication."""
    return entry.id in awarded and entry.status == EntryStatus.SUBMITTED and entry.consent_publication


def _holds_something(entry: Entry) -> bool:
    return bool(entry.title != entry.reference or entry.text or entry.translation_text or entry.translation_language
                or entry.files or entry.blindness_hits_json not in ("", "[]") or entry.disqualified_reason)


def scope(edition: Edition) -> Scope:
    from judging.models import Assignment, Award, Round, ScoreSet

    s = Scope(edition)
    class_ids = select(SchoolClass.id).where(SchoolClass.edition_id == edition.id)
    s.entries = list(db.session.scalars(
        select(Entry).where(Entry.class_id.in_(class_ids)).order_by(Entry.id)
        .options(selectinload(Entry.files), selectinload(Entry.authors))))
    awarded = _awarded_entry_ids(edition)
    credited: set[int] = set()
    for entry in s.entries:
        if is_published(entry, awarded):
            s.published.append(entry)
            if entry.consent_name and not entry.whole_class:
                credited.update(author.pupil_id for author in entry.authors)
        elif _holds_something(entry):
            s.to_empty.append(entry)
        number = 0  # the file's number among the entry's work and translation files, for its neutral name
        for stored in entry.files:
            if stored.purpose == FilePurpose.CONSENT_FORM:
                s.consent_forms.append(stored)
            elif not is_published(entry, awarded):
                s.unpublished_files.append(stored)
            else:
                number += 1
                if stored.cleaned_key:
                    s.kept_files += 1
                if (stored.original_key != stored.cleaned_key
                        or stored.original_name != neutral_file_name(entry, number, stored)):
                    s.originals.append((entry, number, stored))

    pupils = db.session.scalars(
        select(Pupil).where(Pupil.class_id.in_(class_ids)).order_by(Pupil.class_id, Pupil.id)).all()
    s.pupil_total = len(pupils)
    number, last_class = 0, None
    for pupil in pupils:
        number = number + 1 if pupil.class_id == last_class else 1
        last_class = pupil.class_id
        if pupil.id in credited:
            s.named.append(pupil)
        elif (pupil.first_name, pupil.initial) != (placeholder_name(number), ""):
            s.renamed.append((pupil, placeholder_name(number)))

    purged = purged_edition_ids() | {edition.id}
    teachers = db.session.scalars(
        select(User).where(User.id.in_(select(SchoolClass.teacher_id).where(SchoolClass.edition_id == edition.id)))
        .order_by(User.id)).all()
    for teacher in teachers:
        elsewhere = db.session.scalar(select(func.count(SchoolClass.id)).where(
            SchoolClass.teacher_id == teacher.id, SchoolClass.edition_id.not_in(purged)))
        if elsewhere or teacher.role_set - {Role.TEACHER}:
            s.kept_teachers.append(teacher)
        elif not is_anonymised(teacher):
            s.anonymised.append(teacher)

    s.classes = db.session.scalar(select(func.count(SchoolClass.id)).where(SchoolClass.edition_id == edition.id))
    s.categories = len(edition.categories)
    s.awards = db.session.scalar(select(func.count(Award.id)).where(Award.edition_id == edition.id))
    s.score_sets = db.session.scalar(
        select(func.count(ScoreSet.id)).join(Assignment, Assignment.id == ScoreSet.assignment_id)
        .join(Round, Round.id == Assignment.round_id).where(Round.edition_id == edition.id))
    return s


# The purge -----------------------------------------------------------------------------------------------

@dataclass
class PurgeResult:
    counts: dict[str, int]
    keys: set[str]  # stored files no longer needed by the purged rows (deleted after the commit if unshared)


def _keys_of(stored: EntryFile) -> set[str]:
    return {k for k in (stored.original_key, stored.cleaned_key, stored.web_key, stored.thumb_key) if k}


def purge_edition(edition: Edition) -> PurgeResult:
    """Remove the edition's personal data (see the module's docstring). Flushes and audits; never commits."""
    s = scope(edition)
    counts = s.counts()
    keys: set[str] = set()
    published_ids = {e.id for e in s.published}

    for pupil, placeholder in s.renamed:
        pupil.first_name, pupil.initial = placeholder, ""

    for teacher in s.anonymised:
        teacher.name = FORMER_TEACHER
        teacher.email = purged_email(teacher)
        teacher.password_hash = None
        teacher.is_active_account = False
        teacher.last_login_at = None
        teacher.end_all_sessions()
    if s.anonymised:
        db.session.execute(delete(Token).where(Token.user_id.in_([t.id for t in s.anonymised])))

    for stored in s.consent_forms + s.unpublished_files:
        keys |= _keys_of(stored)
        stored.entry.files.remove(stored)

    for entry, number, stored in s.originals:
        keys.add(stored.original_key)
        if stored.cleaned_key is None:  # no cleaned copy: nothing publishable is left of this file
            keys |= _keys_of(stored)
            entry.files.remove(stored)
            continue
        stored.original_key = stored.cleaned_key
        stored.original_size = stored.cleaned_size
        stored.original_name = neutral_file_name(entry, number, stored)

    for entry in s.published:  # the names the check found stay only where they are published
        entry.blindness_hits_json = "[]"
        for stored in entry.files:  # what cleaning removed (authors, EXIF): never published
            stored.hidden_text = ""
    for entry in s.to_empty:
        entry.title = entry.reference
        entry.text = entry.translation_text = entry.translation_language = ""
        entry.blindness_hits_json = "[]"
        entry.disqualified_reason = ""

    counts["audit_events_scrubbed"] = _scrub_audit(s.entries, published_ids)
    counts["stored_files"] = len(keys)
    db.session.flush()
    record(AuditAction.EDITION_PURGED, edition, **counts)
    return PurgeResult(counts, keys)


def _scrub_audit(entries: list[Entry], published_ids: set[int]) -> int:
    """Blank the copies of titles, file names and reasons kept in the audit details of the entries' events."""
    ids = [e.id for e in entries]
    scrubbed = 0
    for start in range(0, len(ids), CHUNK):
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == Entry.__tablename__, AuditEvent.object_id.in_(ids[start:start + CHUNK])))
        for event in events:
            details = event.details
            keys = ("name", "files") if event.object_id in published_ids else ("name", "files", "title", "reason",
                                                                               "previous_reason")
            changed = False
            for key in keys:
                value = details.get(key)
                if key == "files" and isinstance(value, list):
                    for line in value:
                        if isinstance(line, dict) and line.get("name") not in (None, REMOVED):
                            line["name"] = REMOVED
                            changed = True
                elif value not in (None, "", REMOVED):
                    details[key] = REMOVED
                    changed = True
            if changed:
                event.details_json = json.dumps(details, default=str, sort_keys=True, ensure_ascii=False)
                scrubbed += 1
    return scrubbed


# A teacher's copy of their data ---------------------------------------------------------------------------
