"""State changes of entries. They flush, never commit; each raises EntryError with a translated message.

Files an entry no longer uses (replaced, removed, its entry deleted) are deleted right after the request's
commit, if no other row shares them: ``core.file_lifecycle`` does it for every path, from the ORM events.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from competition.entries.freeze import frozen_reason
from competition.judging_hooks import judging_hooks
from competition.models import (
    Category,
    Discipline,
    Entry,
    EntryAuthor,
    EntryFile,
    EntryStatus,
    FilePurpose,
    SchoolClass,
)
from competition.models.entry import HIDDEN_SOURCE
from competition.uploads import UploadLimits, clean_upload, safe_filename
from core import audit, file_lifecycle, mail
from core.audit_actions import AuditAction
from core.db import db, utcnow

WRITTEN_KINDS = {"pdf", "docx", "odt", "txt"}
ILLUSTRATION_KINDS = {"image", "pdf"}
CONSENT_FORM_KINDS = {"image", "pdf"}
LIVE_STATUSES = (EntryStatus.DRAFT, EntryStatus.SUBMITTED)


class EntryError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def accepted_kinds(discipline: str) -> set[str]:
    return ILLUSTRATION_KINDS if discipline == Discipline.ILLUSTRATION else WRITTEN_KINDS


def upload_limits(category: Category | None, purpose: FilePurpose) -> UploadLimits:
    pages = 1 if category is None or category.discipline == Discipline.ILLUSTRATION else category.max_pdf_pages
    if purpose is FilePurpose.CONSENT_FORM:
        pages = 4
    return UploadLimits(max_bytes=current_app.config["MAX_UPLOAD_BYTES"], max_pdf_pages=pages)


def _require_open(school_class: SchoolClass, now: datetime | None = None) -> None:
    if not school_class.is_open(now):
        raise EntryError(_l("The deadline has passed: entries can no longer be changed."))


def _require_changeable(entry: Entry) -> None:
    """Before the class's deadline (an extension included) and not yet seen by a juror (``entry_freeze``)."""
    _require_open(entry.school_class)
    reason = frozen_reason(entry)
    if reason is not None:
        raise EntryError(reason.message)


def _count_live(school_class: SchoolClass, category: Category, exclude: Entry | None = None) -> int:
    query = select(func.count(Entry.id)).where(
        Entry.class_id == school_class.id, Entry.category_id == category.id, Entry.status.in_(LIVE_STATUSES)
    )
    if exclude is not None and exclude.id is not None:
        query = query.where(Entry.id != exclude.id)
    return db.session.scalar(query)


def category_for(school_class: SchoolClass, discipline: str) -> Category:
    for category in school_class.edition.categories:
        if category.age_group == school_class.age_group and category.discipline == discipline and category.enabled:
            return category
    raise EntryError(_l("This category is not open for this class's age group."))


def set_details(entry: Entry, school_class: SchoolClass, discipline: str, title: str, language: str,
                pupil_ids: list[int], whole_class: bool) -> Entry:
    """Create (``entry.id is None``) or change an entry's details."""
    _require_open(school_class)
    if entry.id is not None:
        _require_changeable(entry)
    category = category_for(school_class, discipline)
    if entry.id is None or entry.category_id != category.id:
        if _count_live(school_class, category, exclude=entry) >= category.max_entries_per_class:
            raise EntryError(_l("This class already has %(n)d entries in this category, the most allowed.", n=category.max_entries_per_class))
    if not language and discipline != Discipline.ILLUSTRATION:
        raise EntryError(_l("Choose the language the work is written in: only an illustration can have no words."))
    if language and language not in school_class.edition.language_list:
        raise EntryError(_l("Choose one of the languages accepted in this edition."))
    pupils = {p.id: p for p in school_class.pupils}
    if not whole_class and not pupil_ids:
        raise EntryError(_l("Tick the pupils who made the work, or choose the whole class."))
    if any(pid not in pupils for pid in pupil_ids):
        raise EntryError(_l("Choose pupils from this class only."))
    changed = entry.id is not None and entry.category_id is not None and entry.category_id != category.id
    if changed and entry.files and any(f.kind not in accepted_kinds(discipline) for f in entry.work_files()):
        raise EntryError(_l("Remove the uploaded file first: it is not accepted for the new category."))
    entry.school_class = school_class
    entry.category = category
    entry.title = title
    entry.language = language
    entry.whole_class = whole_class
    # Keep the rows of pupils who stay authors: replacing them with new rows for the same pupils would
    # insert before the old rows are deleted and break the (entry, pupil) unique constraint.
    wanted = set() if whole_class else set(pupil_ids)
    kept = [a for a in entry.authors if a.pupil_id in wanted]
    have = {a.pupil_id for a in kept}
    entry.authors = sorted(kept + [EntryAuthor(pupil=pupils[pid]) for pid in sorted(wanted - have)],
                           key=lambda a: a.pupil.id)
    if entry.id is None:
        db.session.add(entry)
        db.session.flush()
        audit.record(AuditAction.ENTRY_CREATED, entry, title=title, category=category.title)
    else:
        _back_to_draft(entry)
        audit.record(AuditAction.ENTRY_CHANGED, entry, part="details", title=title)
    return entry


def _back_to_draft(entry: Entry) -> None:
    """Any change to a submitted entry returns it to draft, so that it is checked and submitted again."""
    if entry.status == EntryStatus.SUBMITTED:
        entry.status = EntryStatus.DRAFT
        entry.submitted_at = None
    db.session.flush()


def set_text(entry: Entry, text: str) -> None:
    _require_changeable(entry)
    entry.text = text
    _back_to_draft(entry)
    audit.record(AuditAction.ENTRY_CHANGED, entry, part="text", characters=len(text))


def set_translation(entry: Entry, language: str, text: str) -> None:
    _require_changeable(entry)
    entry.translation_language = language if text else ""
    entry.translation_text = text
    _back_to_draft(entry)
    audit.record(AuditAction.ENTRY_CHANGED, entry, part="translation", characters=len(text))


def set_consent(entry: Entry, judging: bool, publication: bool, social: bool, name: bool) -> None:
    """Give or change consent while the entry can be changed. Only withdrawing consent to publication, social
    media or names keeps a submitted entry submitted; any other change returns it to draft to be checked again."""
    _require_changeable(entry)
    only_withdrawn = judging == entry.consent_judging and all(
        not new or old for new, old in ((publication, entry.consent_publication), (social, entry.consent_social),
                                        (name, entry.consent_name)))
    entry.consent_judging, entry.consent_publication = judging, publication
    entry.consent_social, entry.consent_name = social, name
    if not only_withdrawn:
        _back_to_draft(entry)
    audit.record(AuditAction.ENTRY_CONSENT, entry, judging=judging, publication=publication, social=social, name=name)


WITHDRAWABLE_CONSENTS = ("publication", "social", "name")


def withdraw_consent(entry: Entry, withdrawn: set[str]) -> list[str]:
    """Withdraw consent to publication, social media or names: at any time, after the deadline and the awards
    too. The entry keeps its status; every public output follows on the next request. Returns what changed."""
    if not withdrawn or not withdrawn <= set(WITHDRAWABLE_CONSENTS):
        raise EntryError(_l("Choose the consent to withdraw."))
    changed = [kind for kind in WITHDRAWABLE_CONSENTS if kind in withdrawn and getattr(entry, f"consent_{kind}")]
    for kind in changed:
        setattr(entry, f"consent_{kind}", False)
    if changed:
        db.session.flush()
        audit.record(AuditAction.ENTRY_CONSENT_WITHDRAWN, entry, withdrawn=changed, status=entry.status)
    return changed


def store_upload(entry: Entry, purpose: FilePurpose, data: bytes, filename: str) -> EntryFile:
    """Check and clean an upload by its content, store original and copies, and replace any older file."""
    _require_changeable(entry)
    accept = CONSENT_FORM_KINDS if purpose is FilePurpose.CONSENT_FORM else accepted_kinds(entry.category.discipline)
    # Raises UploadRejected. An image's web copy and thumbnail are made by the task queue (image_copies.py).
    cleaned = clean_upload(data, accept, upload_limits(entry.category, purpose), derived=False)
    # Stored under a lock that lasts until the commit; the replaced file's copies leave right after it,
    # unless another row shares them (core.file_lifecycle).
    original_key = file_lifecycle.put("uploads", data)
    stored = EntryFile(
        purpose=purpose,
        kind=cleaned.kind,
        original_name=safe_filename(filename or "", fallback="upload"),
        original_key=original_key,
        original_size=len(data),
        cleaned_key=file_lifecycle.put("uploads", cleaned.cleaned),
        cleaned_mime=cleaned.cleaned_mime,
        cleaned_ext=cleaned.cleaned_ext,
        cleaned_size=len(cleaned.cleaned),
        web_key=file_lifecycle.put("uploads", cleaned.web) if cleaned.web else None,
        thumb_key=file_lifecycle.put("uploads", cleaned.thumb) if cleaned.thumb else None,
        text=cleaned.text or "",
        hidden_text=cleaned.hidden_text,
        page_count=cleaned.page_count,
        width=cleaned.width,
        height=cleaned.height,
    )
    for old in [f for f in entry.files if f.purpose == purpose]:
        entry.files.remove(old)
    entry.files.append(stored)
    if purpose is FilePurpose.WORK and entry.category.discipline != Discipline.ILLUSTRATION:
        entry.text = ""  # an uploaded file replaces typed text
    _back_to_draft(entry)
    audit.record(AuditAction.ENTRY_FILE_UPLOADED, entry, purpose=purpose.value, name=stored.original_name,
                 size=stored.original_size, sha256=original_key, kind=stored.kind)
    if stored.kind == "image" and not stored.thumb_key:
        from competition.entries.image_copies import queue_copies

        queue_copies(stored)
    return stored


def remove_file(entry: Entry, stored: EntryFile) -> None:
    _require_changeable(entry)
    entry.files.remove(stored)
    _back_to_draft(entry)
    audit.record(AuditAction.ENTRY_FILE_REMOVED, entry, purpose=stored.purpose, name=stored.original_name)


def has_work(entry: Entry) -> bool:
    return bool(entry.text.strip()) or bool(entry.work_files())


def missing_items(entry: Entry) -> list[str]:
    """What still stops submission, as codes the templates explain."""
    missing = []
    if not has_work(entry):
        missing.append("work")
    if not entry.consent_judging:
        missing.append("consent")
    return missing


def identity_texts(entry: Entry) -> dict[str, str]:
    texts = {"title": entry.title, "text": entry.text, "translation": entry.translation_text}
    for stored in entry.files:
        if stored.purpose == FilePurpose.CONSENT_FORM:
            continue
        texts[f"file name: {stored.original_name}"] = stored.original_name
        if stored.text:
            texts[f"file: {stored.original_name}"] = stored.text
    return {label: value for label, value in texts.items() if value}


def hidden_texts(entry: Entry) -> dict[str, str]:
    """What cleaning removed from the entry's files (never shown to jurors), by file."""
    return {f"{HIDDEN_SOURCE}{stored.original_name}": stored.hidden_text for stored in entry.files
            if stored.purpose != FilePurpose.CONSENT_FORM and stored.hidden_text}


def identity_needles(entry: Entry):
    from competition.blindness import Needle

    school_class = entry.school_class
    needles = [Needle("pupil", f"{p.first_name} {p.initial}".strip()) for p in school_class.pupils]
    needles += [
        Needle("teacher", school_class.teacher.name),
        Needle("school", school_class.school.name),
        Needle("class", school_class.name),
        Needle("city", school_class.school.city.name),
    ]
    return needles


def blindness_hits(entry: Entry) -> list:
    """Possible names in what the jury may get, then in the files' hidden data (source ``HIDDEN_SOURCE``…)."""
    from competition.blindness import find_identity_hits

    return find_identity_hits({**identity_texts(entry), **hidden_texts(entry)}, identity_needles(entry))


def is_hidden(hit) -> bool:
    return hit.source.startswith(HIDDEN_SOURCE)


def submit(entry: Entry, confirm_names: bool, now: datetime | None = None) -> list:
    """Submit a draft. Enforces the deadline at this moment, in UTC; only one of parallel submissions wins."""
    now = now or utcnow()
    school_class = entry.school_class
    if not school_class.is_open(now):
        raise EntryError(_l("The deadline has passed: this entry can no longer be submitted."))
    if entry.status in (EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED):
        raise EntryError(_l("This entry is out of the competition, so it cannot be submitted again."))
    if entry.status != EntryStatus.DRAFT:
        raise EntryError(_l("This entry has already been submitted."))
    reason = frozen_reason(entry)
    if reason is not None:
        raise EntryError(reason.message)
    if missing_items(entry):
        raise EntryError(_l("Some parts are missing. Complete them, then submit."))
    category = entry.category
    if not category.enabled:
        raise EntryError(_l("This category is not open for this class's age group."))
    hits = blindness_hits(entry)
    visible = [hit for hit in hits if not is_hidden(hit)]  # names in hidden data never reach the jury
    if visible and not confirm_names:
        raise EntryError(_l("Check the possible names shown below. Remove them, or confirm that they do not identify the pupils."))
    hits_json = json.dumps([dataclasses.asdict(h) for h in hits], ensure_ascii=False)
    claimed = db.session.execute(
        update(Entry)
        .where(Entry.id == entry.id, Entry.status == EntryStatus.DRAFT)
        .values(status=EntryStatus.SUBMITTED, submitted_at=now, blindness_flag=bool(visible), blindness_hits_json=hits_json)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise EntryError(_l("This entry has already been submitted."))
    db.session.refresh(entry)
    audit.record(AuditAction.ENTRY_SUBMITTED, entry, blindness_hits=len(hits), files=receipt_lines(entry))
    return hits


def withdraw(entry: Entry) -> None:
    """Take the entry out of the competition, for good: at any time, like consent, awarded entries included.
    It leaves the jurors' lists, the rankings and every public output on the next request."""
    if entry.status not in LIVE_STATUSES:
        raise EntryError(_l("Only a draft or a submitted entry can be withdrawn."))
    was_submitted = entry.status == EntryStatus.SUBMITTED
    entry.status = EntryStatus.WITHDRAWN
    entry.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(AuditAction.ENTRY_WITHDRAWN, entry)
    if was_submitted:  # a draft was in no ranking
        judging_hooks().entry_status_changed(entry)


def disqualify(entry: Entry, reason: str) -> None:
    """The secretariat takes a submitted entry out of the competition, and the teacher is told why by email."""
    if entry.status != EntryStatus.SUBMITTED:
        raise EntryError(_l("Only a submitted entry can be disqualified."))
    entry.status = EntryStatus.DISQUALIFIED
    entry.disqualified_reason = reason
    db.session.flush()
    audit.record(AuditAction.ENTRY_DISQUALIFIED, entry, reason=reason)
    judging_hooks().entry_status_changed(entry)
    teacher = entry.school_class.teacher
    mail.send_template(teacher.email, "entry_disqualified", teacher.language, entry=entry, teacher=teacher,
                       reason=reason)


def reinstate(entry: Entry) -> None:
    """Undo a disqualification: the entry is submitted again, and its reason is kept in the audit only."""
    if entry.status != EntryStatus.DISQUALIFIED:
        raise EntryError(_l("Only a disqualified entry can be reinstated."))
    previous = entry.disqualified_reason
    entry.status = EntryStatus.SUBMITTED
    entry.disqualified_reason = ""
    db.session.flush()
    audit.record(AuditAction.ENTRY_REINSTATED, entry, previous_reason=previous)
    judging_hooks().entry_status_changed(entry)


def receipt_lines(entry: Entry) -> list[dict]:
    """Each file's name, size and SHA-256 (of the file exactly as uploaded), plus typed texts."""
    lines = [
        {"name": f.original_name, "size": f.original_size, "sha256": f.original_key, "purpose": f.purpose}
        for f in entry.files
    ]
    if entry.text:
        data = entry.text.encode("utf-8")
        lines.append({"name": "text.txt", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "purpose": "text"})
    return lines
