"""Rubrics per category, versioned: once a score uses a version, a change makes a new one."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, event, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, utcnow
from judging.models.revision import new_revision

if TYPE_CHECKING:
    from competition.models import Category


class Rubric(db.Model):
    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A new random token at every change of the rubric or of one of its criteria (see the events below):
    # the key under which each process caches the rubric a juror's page shows (judging/scoring/cache.py).
    revision: Mapped[str] = mapped_column(String(16), default=new_revision, onupdate=new_revision)

    category: Mapped[Category] = relationship("Category")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="rubric", cascade="all, delete-orphan", order_by="Criterion.position"
    )

    __table_args__ = (UniqueConstraint("category_id", "version"),)

    @property
    def total_weight(self) -> Decimal:
        return sum((c.weight for c in self.criteria), Decimal(0))


class Criterion(db.Model):
    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal(1))
    scale_min: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    scale_max: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(10))
    step: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(1))
    required: Mapped[bool] = mapped_column(default=True)
    # [{"min": 0, "max": 3, "text": "..."}, ...] describing what each level means.
    descriptors_json: Mapped[str] = mapped_column(Text, default="[]")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")

    __table_args__ = (
        UniqueConstraint("rubric_id", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("scale_max > scale_min", name="scale_order"),
        CheckConstraint("step in (0.5, 1)", name="step"),
    )

    @property
    def descriptors(self) -> list[dict]:
        return json.loads(self.descriptors_json or "[]")


def _criterion_changed(mapper, connection, criterion: Criterion) -> None:
    """A criterion added, changed or removed gives its rubric a new revision, in the same flush."""
    connection.execute(update(Rubric.__table__).where(Rubric.__table__.c.id == criterion.rubric_id)
                       .values(revision=new_revision()))


for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(Criterion, _event, _criterion_changed)
