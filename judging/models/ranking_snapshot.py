"""A round's ranking of one category as the task queue computed it (judging/results/store.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class RankingSnapshot(db.Model):
    __tablename__ = "ranking_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    inputs_version: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[str] = mapped_column(Text)  # JSON, see _dump

    __table_args__ = (UniqueConstraint("round_id", "category_id"),)
