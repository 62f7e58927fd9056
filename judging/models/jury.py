"""Jurors' profiles (languages, load cap, which jury) and their declared conflicts."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import JSONList, UTCDateTime, db, str_enum, utcnow

if TYPE_CHECKING:
    from accounts.models import User


class JurorProfile(db.Model):
    __tablename__ = "juror_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    languages: Mapped[list[str]] = mapped_column(JSONList(), default=lambda: ["en"])  # ISO 639-1 codes
    country_code: Mapped[str] = mapped_column(String(2), default="")
    # The member city the juror lives or works in: a fact for conflicts of interest, never a grant of access
    # (a coordinator's cities are in city_coordinators, set by the secretariat).
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))
    max_entries: Mapped[int] = mapped_column(default=40)
    round1: Mapped[bool] = mapped_column(default=True)
    final_jury: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship("User")
    conflicts: Mapped[list[Conflict]] = relationship(back_populates="juror", cascade="all, delete-orphan")

    __table_args__ = (CheckConstraint("max_entries between 0 and 10000", name="max_entries"),)

    @property
    def language_list(self) -> list[str]:
        return list(self.languages or [])


class ConflictKind(enum.StrEnum):
    SCHOOL = "school"
    CITY = "city"
    ENTRY = "entry"

    @property
    def title(self) -> str:
        return str({ConflictKind.SCHOOL: _l("A school"), ConflictKind.CITY: _l("A city"),
                    ConflictKind.ENTRY: _l("One entry: I know this work")}[self])


class Conflict(db.Model):
    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("juror_profiles.user_id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(str_enum(ConflictKind, name="kind", length=10))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    juror: Mapped[JurorProfile] = relationship(back_populates="conflicts")

    __table_args__ = (
        CheckConstraint(
            "(kind = 'school' and school_id is not null) or (kind = 'city' and city_id is not null)"
            " or (kind = 'entry' and entry_id is not null)",
            name="target",
        ),
    )
