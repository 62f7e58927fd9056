"""State changes of campaign submissions. They flush and audit, never commit; each raises CampaignError
with a translated message. Replaced files leave right after the request's commit (``core.file_lifecycle``)."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from accounts.models import User
from campaign import checks
from campaign.models import CONSENTS, FilePurpose, Kind, Status, Submission, SubmissionFile
from campaign.timeline import is_open
from competition.uploads import UploadLimits, clean_upload, safe_filename
from core import audit, file_lifecycle, mail
from core.audit_actions import AuditAction
from core.db import db, utcnow
from core.hosts import public_url

DOCUMENT_KINDS = {"docx", "odt", "txt"}
PHOTO_KINDS = {"image"}
CONSENT_FORM_KINDS = {"image", "pdf"}
PORTRAIT_KINDS = (Kind.QUOTE, Kind.STORY)


class CampaignError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def can_change(sub: Submission, now: datetime | None = None) -> bool:
    """Until the deadline; after it, only a submission the secretariat sent back for changes."""
    return is_open(sub.edition, now) or sub.status == Status.RETURNED


def _require_changeable(sub: Submission) -> None:
    if not can_change(sub):
        raise CampaignError(_l("The deadline has passed: this submission can no longer be changed."))


def quotes_of(edition, city) -> int:
    return db.session.scalar(select(func.count(Submission.id)).where(
        Submission.edition_id == edition.id, Submission.city_id == city.id, Submission.kind == Kind.QUOTE))


def create(edition, city, kind: Kind, user) -> Submission:
    """A new draft of ``city``. The number of quote cards per city is the edition's setting."""
    if not is_open(edition):
        raise CampaignError(_l("The deadline has passed: new submissions are no longer accepted."))
    if kind is Kind.QUOTE and quotes_of(edition, city) >= edition.campaign_max_quotes:
        raise CampaignError(_l("%(city)s already has %(n)d quote cards, the most allowed. Change or delete one of them instead.",
                               city=city.name, n=edition.campaign_max_quotes))
    sub = Submission(edition=edition, city=city, kind=kind, status=Status.DRAFT, created_by_id=user.id,
                     language="en")
    db.session.add(sub)
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_CREATED, sub, kind=kind.value, city=city.name)
    return sub


def _back_to_draft(sub: Submission) -> None:
    """A change to a submitted or approved submission returns it to draft, to be checked and submitted again."""
    if sub.status in (Status.SUBMITTED, Status.APPROVED):
        sub.status = Status.DRAFT
        sub.submitted_at = sub.approved_at = None
    db.session.flush()


def set_details(sub: Submission, *, person_name: str, person_title: str, text: str, language: str,
                translation_language: str, translation_text: str) -> list[str]:
    """Save the words. Returns the quote's format suggestions (codes of ``checks.quote_suggestions``)."""
    _require_changeable(sub)
    text = (text or "").strip()
    if sub.kind == Kind.STATEMENT:
        if language not in checks.STATEMENT_LANGUAGES:
            raise CampaignError(_l("Choose English or French: statements are published in one of them."), "language")
        if text and not checks.statement_language_ok(text):
            raise CampaignError(_l("Write the statement in English or French. A statement in another language cannot be published."), "text")
        if not person_name.strip() or not person_title.strip():
            raise CampaignError(_l("Enter the official's name and title."), "person_name")
    if sub.kind == Kind.STORY:
        _check_length(text)
        _check_length(translation_text, "translation_text")
    if translation_text.strip() and translation_language not in checks.STATEMENT_LANGUAGES:
        raise CampaignError(_l("Choose the language of the translation: English or French."), "translation_language")
    sub.person_name, sub.person_title = person_name.strip(), person_title.strip()
    sub.text, sub.language = text, language
    sub.translation_text = translation_text.strip()
    sub.translation_language = translation_language if sub.translation_text else ""
    _back_to_draft(sub)
    audit.record(AuditAction.CAMPAIGN_CHANGED, sub, part="details", characters=len(text))
    return checks.quote_suggestions(text, language) if sub.kind == Kind.QUOTE else []


def _check_length(text: str, field: str = "text") -> None:
    size = checks.length(text)
    if size.too_long:
        raise CampaignError(_l("The story is %(words)d words, about %(pages).1f A4 pages. Shorten it to one page (about %(most)d words): at most %(max).1f pages are accepted.",
                               words=size.words, pages=size.pages, most=checks.PAGE_WORDS, max=checks.MAX_PAGES), field)


def store_file(sub: Submission, purpose: FilePurpose, data: bytes, filename: str) -> SubmissionFile:
    """Check and clean an upload by its content (``competition.uploads``: metadata and GPS removed), then
    store it, replacing the older file of the same purpose. A story's document becomes its text."""
    _require_changeable(sub)
    return attach_file(sub, purpose, data, filename)


def attach_file(sub: Submission, purpose: FilePurpose, data: bytes, filename: str) -> SubmissionFile:
    """``store_file`` without the deadline check: for the demo and for the secretariat's imports."""
    accept = {FilePurpose.PHOTO: PHOTO_KINDS, FilePurpose.DOCUMENT: DOCUMENT_KINDS,
              FilePurpose.CONSENT_FORM: CONSENT_FORM_KINDS}[purpose]
    limits = UploadLimits(max_bytes=current_app.config["MAX_UPLOAD_BYTES"], max_pdf_pages=4)
    cleaned = clean_upload(data, accept, limits)  # raises UploadRejected
    if purpose is FilePurpose.PHOTO and sub.kind in PORTRAIT_KINDS and cleaned.width > cleaned.height:
        raise CampaignError(_l("The photo is in landscape format (%(w)d × %(h)d pixels). Send a portrait photo, taller than it is wide, of the participant.",
                               w=cleaned.width, h=cleaned.height), "photo")
    if purpose is FilePurpose.DOCUMENT:
        _check_length(cleaned.text or "", "document")
        if not (cleaned.text or "").strip():
            raise CampaignError(_l("The document has no text. Check that you chose the story, or type it instead."), "document")
    stored = SubmissionFile(
        purpose=purpose, kind=cleaned.kind, original_name=safe_filename(filename or "", fallback="upload"),
        original_key=file_lifecycle.put("uploads", data), original_size=len(data),
        cleaned_key=file_lifecycle.put("uploads", cleaned.cleaned), cleaned_mime=cleaned.cleaned_mime,
        web_key=file_lifecycle.put("uploads", cleaned.web) if cleaned.web else None,
        thumb_key=file_lifecycle.put("uploads", cleaned.thumb) if cleaned.thumb else None,
        text=cleaned.text or "", width=cleaned.width, height=cleaned.height)
    old = sub.file(purpose)
    if old is not None:
        sub.files.remove(old)
        db.session.flush()  # one file per purpose (a unique constraint): the old row leaves first
    sub.files.append(stored)
    if purpose is FilePurpose.DOCUMENT:
        sub.text = stored.text.strip()
    if purpose is FilePurpose.PHOTO:
        sub.crop_x, sub.crop_y, sub.crop_zoom = 0.5, 0.4, 1.0  # a new photo starts from the face-friendly crop
    _back_to_draft(sub)
    audit.record(AuditAction.CAMPAIGN_FILE_UPLOADED, sub, purpose=purpose.value, name=stored.original_name,
                 size=stored.original_size, sha256=stored.original_key, kind=stored.kind)
    return stored


def remove_file(sub: Submission, purpose: FilePurpose) -> None:
    _require_changeable(sub)
    old = sub.file(purpose)
    if old is not None:
        sub.files.remove(old)
        _back_to_draft(sub)
        audit.record(AuditAction.CAMPAIGN_FILE_REMOVED, sub, purpose=purpose.value, name=old.original_name)


def set_consent(sub: Submission, given: set[str]) -> None:
    """Record what the participant agreed to. Withdrawing only keeps the status; anything else returns to draft."""
    _require_changeable(sub)
    only_withdrawn = all(getattr(sub, f"consent_{kind}") or kind not in given for kind in CONSENTS)
    for kind in CONSENTS:
        setattr(sub, f"consent_{kind}", kind in given)
    if not only_withdrawn:
        _back_to_draft(sub)
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_CONSENT, sub, **{kind: kind in given for kind in CONSENTS})


def withdraw_consent(sub: Submission, withdrawn: set[str]) -> list[str]:
    """At any time, after the deadline and publication too: every public output follows on the next request."""
    if not withdrawn or not withdrawn <= set(CONSENTS):
        raise CampaignError(_l("Choose the consent to withdraw."), "withdrawn")
    changed = [kind for kind in CONSENTS if kind in withdrawn and getattr(sub, f"consent_{kind}")]
    for kind in changed:
        setattr(sub, f"consent_{kind}", False)
    if changed:
        db.session.flush()
        audit.record(AuditAction.CAMPAIGN_CONSENT_WITHDRAWN, sub, withdrawn=changed, status=sub.status)
    return changed


def missing_items(sub: Submission) -> list[str]:
    """What still stops submission, as codes the templates explain."""
    missing = []
    if not sub.text.strip():
        missing.append("text")
    if sub.kind == Kind.STATEMENT and not (sub.person_name and sub.person_title):
        missing.append("official")
    if sub.kind == Kind.STORY and sub.language not in checks.STATEMENT_LANGUAGES and not sub.translation_text:
        missing.append("translation")
    if not sub.consent_publication:
        missing.append("consent")
    return missing


def submit(sub: Submission, now: datetime | None = None) -> None:
    now = now or utcnow()
    if not can_change(sub, now):
        raise CampaignError(_l("The deadline has passed: this submission can no longer be submitted."))
    if sub.status not in (Status.DRAFT, Status.RETURNED):
        raise CampaignError(_l("This submission has already been submitted."))
    if missing_items(sub):
        raise CampaignError(_l("Some parts are missing. Complete them, then submit."))
    claimed = db.session.execute(
        update(Submission).where(Submission.id == sub.id, Submission.status == sub.status)
        .values(status=Status.SUBMITTED, submitted_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise CampaignError(_l("This submission has already been submitted."))
    db.session.refresh(sub)
    audit.record(AuditAction.CAMPAIGN_SUBMITTED, sub, files=[f.original_key for f in sub.files])


def delete(sub: Submission) -> None:
    _require_changeable(sub)
    if sub.status not in (Status.DRAFT, Status.RETURNED):
        raise CampaignError(_l("Only a draft can be deleted."))
    audit.record(AuditAction.CAMPAIGN_DELETED, sub, kind=sub.kind)
    db.session.delete(sub)
    db.session.flush()


# The secretariat ---------------------------------------------------------------------------------------

def approve(sub: Submission) -> None:
    if sub.status != Status.SUBMITTED:
        raise CampaignError(_l("Only a submitted submission can be approved."))
    sub.status, sub.approved_at, sub.review_message = Status.APPROVED, utcnow(), ""
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_APPROVED, sub)


def send_back(sub: Submission, message: str) -> None:
    message = (message or "").strip()
    if not message:
        raise CampaignError(_l("Write what the city should change."), "message")
    if sub.status not in (Status.SUBMITTED, Status.APPROVED):
        raise CampaignError(_l("Only a submitted or approved submission can be sent back."))
    sub.status, sub.review_message, sub.approved_at = Status.RETURNED, message, None
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_SENT_BACK, sub, message=message)
    author = db.session.get(User, sub.created_by_id) if sub.created_by_id else None
    if author is not None:  # the coordinator who wrote it is told, in their language
        mail.send_template(author.email, "campaign_returned", author.language, user=author, sub=sub,
                           link=public_url("campaign.check", sub_id=sub.id))


def set_crop(sub: Submission, x: float, y: float, zoom: float) -> None:
    if not (0 <= x <= 1 and 0 <= y <= 1 and 1 <= zoom <= 4):
        raise CampaignError(_l("Choose a centre between 0 and 100 % and a zoom between 1 and 4."))
    sub.crop_x, sub.crop_y, sub.crop_zoom = x, y, zoom
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_CROPPED, sub, x=x, y=y, zoom=zoom)


def set_timeline(edition, *, deadline: datetime | None, launch_on, statements_on, page_on, max_quotes: int) -> None:
    """The secretariat's campaign dates and quote-card limit on an edition (``deadline`` in UTC, None: the
    competition's own deadline)."""
    edition.campaign_deadline_at = deadline
    edition.campaign_launch_on = launch_on
    edition.campaign_statements_on = statements_on
    edition.campaign_page_on = page_on
    edition.campaign_max_quotes = max_quotes
    db.session.flush()
    audit.record(AuditAction.CAMPAIGN_TIMELINE, edition, deadline=deadline, launch=launch_on, statements=statements_on,
                 page=page_on, max_quotes=max_quotes)
