"""A juror's scores for one assignment: one value and comment per criterion, and an overall comment."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from sqlalchemy import ForeignKey, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, str_enum, utcnow

if TYPE_CHECKING:
    from judging.models.round import Assignment
    from judging.models.rubric import Criterion, Rubric


class ScoreStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def title(self) -> str:
        return str({ScoreStatus.DRAFT: _l("Draft"), ScoreStatus.SUBMITTED: _l("Submitted")}[self])


class ScoreSet(db.Model):
    __tablename__ = "score_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One score set per assignment (so per juror, entry and round), enforced by the database.
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), unique=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ScoreStatus] = mapped_column(str_enum(ScoreStatus, name="status", length=10),
                                                default=ScoreStatus.DRAFT)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignment: Mapped[Assignment] = relationship("Assignment", back_populates="score_set")
    rubric: Mapped[Rubric] = relationship("Rubric")
    values: Mapped[list[ScoreValue]] = relationship(back_populates="score_set", cascade="all, delete-orphan")


class ScoreValue(db.Model):
    __tablename__ = "score_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_set_id: Mapped[int] = mapped_column(ForeignKey("score_sets.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="RESTRICT"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    comment: Mapped[str] = mapped_column(Text, default="")

    score_set: Mapped[ScoreSet] = relationship(back_populates="values")
    criterion: Mapped[Criterion] = relationship("Criterion")

    __table_args__ = (UniqueConstraint("score_set_id", "criterion_id"),)
