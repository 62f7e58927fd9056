"""The secretariat's order for a tie that the rubric's criteria leave: the ranking's ``manual_order``."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import JSONList, UTCDateTime, db, utcnow


class TieOrder(db.Model):
    """One decided tie of one category in one round: its entries best first, and why (also in the audit log).

    ``results_service.load_category`` passes the round's decided orders to the ranking, which then ranks
    those entries in this order ("Tie decided by the secretariat") instead of sharing a place.
    """

    __tablename__ = "tie_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    entry_ids: Mapped[list[int]] = mapped_column(JSONList())  # entry ids, best first
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_tie_orders_round_category", "round_id", "category_id"),)

    @property
    def order(self) -> list[int]:
        return list(self.entry_ids)
