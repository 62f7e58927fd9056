"""Cities' campaign submissions (quote cards, personal stories, statements) and their files."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role
from campaign.cities import coordinator_city
from competition.models import City, Edition
from competition.uploads.model import FileKind
from core import file_lifecycle
from core.db import UTCDateTime, db, str_enum, utcnow


class Kind(enum.StrEnum):
    QUOTE = "quote"
    STORY = "story"
    STATEMENT = "statement"

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])


KIND_TITLES = {Kind.QUOTE: _l("Quote card"), Kind.STORY: _l("Personal story"),
               Kind.STATEMENT: _l("Statement")}


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def title(self) -> str:
        return str(STATUS_TITLES[self])


STATUS_TITLES = {Status.DRAFT: _l("Draft"), Status.SUBMITTED: _l("Submitted"),
                 Status.RETURNED: _l("Changes requested"), Status.APPROVED: _l("Approved")}


REFERENCE_PREFIX = {"quote": "Q", "story": "P", "statement": "M"}  # quote, personal story, mayor's statement


class FilePurpose(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    CONSENT_FORM = "consent_form"


CONSENTS = ("image", "publication", "social", "name")


class Submission(db.Model):
    __tablename__ = "campaign_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, name="kind", length=12))
    status: Mapped[Status] = mapped_column(str_enum(Status, name="status", length=12), default=Status.DRAFT)
    # The participant's first name (quote, story) or the official's name; the official's title.
    person_name: Mapped[str] = mapped_column(String(120), default="")
    person_title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    translation_language: Mapped[str] = mapped_column(String(16), default="")
    translation_text: Mapped[str] = mapped_column(Text, default="")
    consent_image: Mapped[bool] = mapped_column(default=False)
    consent_publication: Mapped[bool] = mapped_column(default=False)
    consent_social: Mapped[bool] = mapped_column(default=False)
    consent_name: Mapped[bool] = mapped_column(default=False)
    # The secretariat's message when it sends the submission back for changes.
    review_message: Mapped[str] = mapped_column(Text, default="")
    # The photo's crop on cards: its centre as fractions of the photo, and a zoom (1 = as large as fits).
    crop_x: Mapped[float] = mapped_column(Float, default=0.5)
    crop_y: Mapped[float] = mapped_column(Float, default=0.4)
    crop_zoom: Mapped[float] = mapped_column(Float, default=1.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship()
    city: Mapped[City] = relationship()
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionFile.id", lazy="selectin")

    __table_args__ = (
        CheckConstraint("crop_x between 0 and 1 and crop_y between 0 and 1 and crop_zoom between 1 and 4",
                        name="crop"),
    )

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX[self.kind]}{self.id:05d}"

    @property
    def title(self) -> str:
        name = self.person_name or Kind(self.kind).title
        return f"{Kind(self.kind).title} · {name}" if self.person_name else name

    def file(self, purpose: FilePurpose | str) -> SubmissionFile | None:
        value = getattr(purpose, "value", purpose)
        return next((f for f in self.files if f.purpose == value), None)

    @property
    def photo(self) -> SubmissionFile | None:
        return self.file(FilePurpose.PHOTO)

    # Permissions -------------------------------------------------------------
    def is_coordinated_by(self, user) -> bool:
        city = coordinator_city(user)
        return city is not None and city.id == self.city_id

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.has_role(Role.SECRETARIAT) or self.is_coordinated_by(user))

    # What may be published: consent is read on every request, so a withdrawal applies at once.
    @property
    def is_public(self) -> bool:
        return self.status == Status.APPROVED and self.consent_publication

    @property
    def on_social_media(self) -> bool:
        return self.is_public and self.consent_social

    @property
    def public_photo(self) -> SubmissionFile | None:
        return self.photo if self.consent_image else None

    @property
    def public_name(self) -> str:
        if self.kind == Kind.STATEMENT:
            return self.person_name  # an official statement is signed
        return self.person_name if self.consent_name else ""


class SubmissionFile(db.Model):
    __tablename__ = "campaign_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("campaign_submissions.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[FilePurpose] = mapped_column(str_enum(FilePurpose, name="purpose", length=20))
    kind: Mapped[FileKind] = mapped_column(str_enum(FileKind, name="kind", length=10))
    original_name: Mapped[str] = mapped_column(String(255))
    original_key: Mapped[str] = mapped_column(String(64))
    original_size: Mapped[int] = mapped_column(BigInteger)
    cleaned_key: Mapped[str | None] = mapped_column(String(64))
    cleaned_mime: Mapped[str] = mapped_column(String(80), default="")
    web_key: Mapped[str | None] = mapped_column(String(64))
    thumb_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="files")

    __table_args__ = (
        UniqueConstraint("submission_id", "purpose"),
    )


file_lifecycle.track(SubmissionFile, ("original_key", "cleaned_key", "web_key", "thumb_key"), "uploads")
