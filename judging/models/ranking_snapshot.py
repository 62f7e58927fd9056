"""A round's ranking of one category as the task queue computed it (judging/results/store.py), and the revision
token of what every ranking is made from (judging/results/inputs.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow
from judging.models.revision import new_revision


class RankingSnapshot(db.Model):
    __tablename__ = "ranking_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    inputs_version: Mapped[str] = mapped_column(String(64))
    # The inputs' revision token and the round's revision when the task began (judging/results/inputs.py): while
    # both are unchanged the ranking is current without running the inputs' aggregate. None: always check.
    inputs_token: Mapped[str | None] = mapped_column(String(40), nullable=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[str] = mapped_column(Text)  # JSON, see _dump

    __table_args__ = (UniqueConstraint("round_id", "category_id"),)


class RankingInputsRevision(db.Model):
    """One row (id 1): a new random value at every change of what any ranking is made from. The task storing a
    ranking makes the row when it is missing (judging/results/inputs.py: ``current_token``), so an empty
    database stays empty (a backup restores only into one); without it every page checks the inputs' version."""

    __tablename__ = "ranking_inputs_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[str] = mapped_column(String(16), default=new_revision)
