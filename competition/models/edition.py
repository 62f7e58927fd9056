"""Editions of the competition and their categories (age group × discipline)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import JSONList, UTCDateTime, db, str_enum, utcnow


class AgeGroup(enum.StrEnum):
    YOUNGER = "5-10"
    OLDER = "11-18"

    @property
    def title(self) -> str:
        return str(AGE_GROUP_TITLES[self])

    @property
    def ages(self) -> range:
        return range(5, 11) if self is AgeGroup.YOUNGER else range(11, 19)


AGE_GROUP_TITLES = {AgeGroup.YOUNGER: _l("Ages 5–10"), AgeGroup.OLDER: _l("Ages 11–18")}


class Discipline(enum.StrEnum):
    POEM = "poem"
    ESSAY = "essay"
    ILLUSTRATION = "illustration"

    @property
    def title(self) -> str:
        return str(DISCIPLINE_TITLES[self])


DISCIPLINE_TITLES = {
    Discipline.POEM: _l("Poem"),
    Discipline.ESSAY: _l("Essay"),
    Discipline.ILLUSTRATION: _l("Illustration"),
}


class Edition(db.Model):
    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    # The secretariat's own words in French; empty: the English above is shown (see ``in_language``).
    theme_fr: Mapped[str] = mapped_column(Text, default="", server_default="")
    rules_fr: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The deadline is entered as a local time in a named zone and stored in UTC.
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    results_on: Mapped[date] = mapped_column(Date)
    languages: Mapped[list[str]] = mapped_column(JSONList(), default=lambda: ["en", "fr"])  # ISO 639-1 codes
    is_current: Mapped[bool] = mapped_column(default=False)
    # Set when the secretariat publishes the results: the public gallery and feed show them from then on.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The cities' campaign (campaign/timeline.py): its own deadline (else the competition's), the launch on
    # social media, the mayors' statements, the campaign page (International Migrants Day), and the most
    # quote cards per city. Empty dates fall back to the brief's calendar in the deadline's year.
    campaign_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    campaign_launch_on: Mapped[date | None] = mapped_column(Date)
    campaign_statements_on: Mapped[date | None] = mapped_column(Date)
    campaign_page_on: Mapped[date | None] = mapped_column(Date)
    campaign_max_quotes: Mapped[int] = mapped_column(default=5, server_default="5")

    categories: Mapped[list[Category]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Category.id"
    )

    # At most one current edition, even if two "make current" clicks race.
    __table_args__ = (
        Index("uq_editions_one_current", "is_current", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        CheckConstraint("campaign_max_quotes between 0 and 100", name="campaign_max_quotes"),
    )

    @property
    def language_list(self) -> list[str]:
        return list(self.languages or [])

    @property
    def deadline_local(self) -> datetime:
        return self.deadline_at.astimezone(ZoneInfo(self.deadline_timezone))

    def is_open(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) <= self.deadline_at

    @classmethod
    def current(cls) -> Edition | None:
        return db.session.scalar(select(cls).where(cls.is_current.is_(True)).limit(1))


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    age_group: Mapped[AgeGroup] = mapped_column(str_enum(AgeGroup, name="age_group", length=10))
    discipline: Mapped[Discipline] = mapped_column(str_enum(Discipline, name="discipline", length=20))
    enabled: Mapped[bool] = mapped_column(default=True)
    max_entries_per_class: Mapped[int] = mapped_column(default=3)
    max_pdf_pages: Mapped[int] = mapped_column(default=4)

    edition: Mapped[Edition] = relationship(back_populates="categories")

    __table_args__ = (
        UniqueConstraint("edition_id", "age_group", "discipline"),
        CheckConstraint("max_entries_per_class between 0 and 100", name="max_entries"),
        CheckConstraint("max_pdf_pages between 1 and 200", name="max_pages"),
    )

    @property
    def title(self) -> str:
        return f"{AgeGroup(self.age_group).title} · {Discipline(self.discipline).title}"
