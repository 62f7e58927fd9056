"""Entries (one work each), their authors, files and consent."""
from __future__ import annotations

import enum
import json
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role
from competition.models.edition import Category
from competition.models.school_class import Pupil, SchoolClass
from competition.uploads.model import FileKind
from core import file_lifecycle
from core.db import UTCDateTime, db, str_enum, utcnow


class EntryStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"

    @property
    def title(self) -> str:
        return str(STATUS_TITLES[self])


STATUS_TITLES = {
    EntryStatus.DRAFT: _l("Draft"),
    EntryStatus.SUBMITTED: _l("Submitted"),
    EntryStatus.WITHDRAWN: _l("Withdrawn"),
    EntryStatus.DISQUALIFIED: _l("Disqualified"),
}

# Unambiguous characters for references read aloud or typed from paper.
# The source of a blindness hit found in a file's hidden data (EntryFile.hidden_text): "hidden data: <file name>".
HIDDEN_SOURCE = "hidden data: "
_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "MTM-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))


class Entry(db.Model):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    whole_class: Mapped[bool] = mapped_column(default=False)
    # Typed work (poems and essays); uploads are in EntryFile.
    text: Mapped[str] = mapped_column(Text, default="")
    translation_text: Mapped[str] = mapped_column(Text, default="")
    translation_language: Mapped[str] = mapped_column(String(8), default="")
    status: Mapped[EntryStatus] = mapped_column(str_enum(EntryStatus, name="status", length=20),
                                                default=EntryStatus.DRAFT, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disqualified_reason: Mapped[str] = mapped_column(Text, default="")
    # Consent, given by the teacher on behalf of the parents or guardians.
    consent_judging: Mapped[bool] = mapped_column(default=False)
    consent_publication: Mapped[bool] = mapped_column(default=False)
    consent_social: Mapped[bool] = mapped_column(default=False)
    consent_name: Mapped[bool] = mapped_column(default=False)
    # The blindness check: hits found at submission (in the files' hidden data too), and whether the
    # teacher overrode those in what the jury may get.
    blindness_hits_json: Mapped[str] = mapped_column(Text, default="[]")
    blindness_flag: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="entries")
    category: Mapped[Category] = relationship()
    authors: Mapped[list[EntryAuthor]] = relationship(back_populates="entry", cascade="all, delete-orphan")
    files: Mapped[list[EntryFile]] = relationship(back_populates="entry", cascade="all, delete-orphan", order_by="EntryFile.id")

    @property
    def status_enum(self) -> EntryStatus:
        return EntryStatus(self.status)

    @property
    def blindness_hits(self) -> list[dict]:
        return json.loads(self.blindness_hits_json or "[]")

    @property
    def visible_hits(self) -> list[dict]:
        """Names found at submission in what the jury may get (the teacher confirmed them)."""
        return [h for h in self.blindness_hits if not h["source"].startswith(HIDDEN_SOURCE)]

    @property
    def hidden_data_hits(self) -> list[dict]:
        """Names found at submission in the data that cleaning removed from the files."""
        return [h for h in self.blindness_hits if h["source"].startswith(HIDDEN_SOURCE)]

    def work_files(self) -> list[EntryFile]:
        return [f for f in self.files if f.purpose == FilePurpose.WORK]

    def consent_form(self) -> EntryFile | None:
        return next((f for f in self.files if f.purpose == FilePurpose.CONSENT_FORM), None)

    # Permissions ------------------------------------------------------------
    def can_view(self, user) -> bool:
        return self.school_class.can_view(user)

    def can_edit(self, user) -> bool:
        """The class's teacher, before the class's deadline, on a live entry that no juror has seen."""
        from competition.entries.freeze import frozen_reason

        return (
            self.school_class.can_edit(user)
            and self.status in (EntryStatus.DRAFT, EntryStatus.SUBMITTED)
            and frozen_reason(self) is None
        )


class EntryAuthor(db.Model):
    __tablename__ = "entry_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)

    entry: Mapped[Entry] = relationship(back_populates="authors")
    pupil: Mapped[Pupil] = relationship()

    __table_args__ = (UniqueConstraint("entry_id", "pupil_id"),)


class FilePurpose(enum.StrEnum):
    WORK = "work"
    TRANSLATION = "translation"
    CONSENT_FORM = "consent_form"

    @property
    def title(self) -> str:
        return str({FilePurpose.WORK: _l("work"), FilePurpose.TRANSLATION: _l("translation"),
                    FilePurpose.CONSENT_FORM: _l("consent form")}[self])


class EntryFile(db.Model):
    """One uploaded file: the original (secretariat only) and its cleaned copies (jurors)."""

    __tablename__ = "entry_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[FilePurpose] = mapped_column(str_enum(FilePurpose, name="purpose", length=20))
    kind: Mapped[FileKind] = mapped_column(str_enum(FileKind, name="kind", length=10))
    original_name: Mapped[str] = mapped_column(String(255))
    original_key: Mapped[str] = mapped_column(String(64))
    original_size: Mapped[int] = mapped_column(BigInteger)
    cleaned_key: Mapped[str | None] = mapped_column(String(64))
    cleaned_mime: Mapped[str] = mapped_column(String(80), default="")
    cleaned_ext: Mapped[str] = mapped_column(String(10), default="")
    cleaned_size: Mapped[int] = mapped_column(BigInteger, default=0)
    web_key: Mapped[str | None] = mapped_column(String(64))
    thumb_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    # What cleaning removed from the file (its authors, comments, pictures' EXIF...), read by the name
    # check only: the secretariat sees the names it finds; jurors never get this column.
    hidden_text: Mapped[str] = mapped_column(Text, default="")
    page_count: Mapped[int | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="files")

    def can_view_original(self, user) -> bool:
        return user.is_authenticated and user.has_role(Role.SECRETARIAT)


file_lifecycle.track(EntryFile, ("original_key", "cleaned_key", "web_key", "thumb_key"), "uploads")
