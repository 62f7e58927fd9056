"""Materials for teachers: instructions, methodologies and tests, as a link or a PDF."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role
from competition.models.edition import Edition
from core import file_lifecycle
from core.db import UTCDateTime, db, utcnow


class Material(db.Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200), default="", server_default="")  # empty: the English title
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    # The PDF, stored by the SHA-256 of its content; file_name is only shown, never used as a path.
    file_key: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    edition: Mapped[Edition] = relationship()

    __table_args__ = (
        CheckConstraint("url is not null or file_key is not null", name="link_or_file"),
        CheckConstraint("position >= 0", name="position"),
    )

    @classmethod
    def for_edition(cls, edition_id: int) -> list[Material]:
        query = select(cls).where(cls.edition_id == edition_id).order_by(cls.position, cls.id)
        return list(db.session.scalars(query))

    # Permissions ------------------------------------------------------------
    def can_view(self, user) -> bool:
        """Everyone sees the current edition's materials; the secretariat sees every edition's."""
        if self.edition.is_current:
            return True
        return user.is_authenticated and user.has_role(Role.SECRETARIAT)


file_lifecycle.track(Material, ("file_key",), "materials")
