"""An export run from the secretariat's page: its progress is in the database, so any web worker can show it."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, str_enum, utcnow


class ExportKind(enum.StrEnum):
    RESULTS = "results"  # spreadsheets and the JSON feed
    SOCIAL = "social"  # cards, captions, posting schedule
    PUBLICATION = "publication"  # the A4 PDF
    BUNDLE = "bundle"  # all of the above and the winners' files, zipped


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def title(self) -> str:
        return str({JobStatus.QUEUED: _l("Waiting"), JobStatus.RUNNING: _l("Running"), JobStatus.DONE: _l("Ready"),
                    JobStatus.FAILED: _l("Failed")}[self])


class ExportJob(db.Model):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExportKind] = mapped_column(str_enum(ExportKind, name="kind", length=12))
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, name="status", length=10), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    step: Mapped[str] = mapped_column(String(200), default="")  # what it is doing now, in English, for the log
    error: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")  # in the instance's exports folder
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the output was made from (fingerprint.exports_digest) and which entries it names, publishes and
    # posts (JSON), so the export page can tell an outdated output from one that lost consent (freshness.py).
    inputs_digest: Mapped[str] = mapped_column(String(64), default="")
    exposes: Mapped[str] = mapped_column(Text, default="")

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
