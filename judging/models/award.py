"""Awards the secretariat decides: 1st, 2nd, 3rd, special mention, selected for publication."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, str_enum, utcnow

if TYPE_CHECKING:
    from competition.models import Category, Entry


class AwardKind(enum.StrEnum):
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    SPECIAL = "special"
    PUBLICATION = "publication"

    @property
    def title(self) -> str:
        return str({
            AwardKind.FIRST: _l("1st prize"), AwardKind.SECOND: _l("2nd prize"), AwardKind.THIRD: _l("3rd prize"),
            AwardKind.SPECIAL: _l("Special mention"), AwardKind.PUBLICATION: _l("Selected for publication"),
        }[self])


class Award(db.Model):
    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AwardKind] = mapped_column(str_enum(AwardKind, name="kind", length=12))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[Entry] = relationship("Entry")
    category: Mapped[Category] = relationship("Category")

    __table_args__ = (UniqueConstraint("entry_id", "kind"),)
