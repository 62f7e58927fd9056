"""Classes registered by teachers, and their pupils (recorded minimally)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role
from competition.models.edition import AgeGroup, Edition
from competition.models.places import School
from core.db import UTCDateTime, db, str_enum, utcnow

if TYPE_CHECKING:
    from accounts.models import User
    from competition.models.entry import Entry


class SchoolClass(db.Model):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    age_group: Mapped[AgeGroup] = mapped_column(str_enum(AgeGroup, name="age_group", length=10))
    pupil_count: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))
    # The secretariat can give one class more time; stored in UTC.
    deadline_extended_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    edition: Mapped[Edition] = relationship()
    school: Mapped[School] = relationship()
    teacher: Mapped[User] = relationship("User")
    pupils: Mapped[list[Pupil]] = relationship(back_populates="school_class", cascade="all, delete-orphan", order_by="Pupil.id")
    entries: Mapped[list[Entry]] = relationship("Entry", back_populates="school_class", order_by="Entry.id")

    __table_args__ = (
        CheckConstraint("pupil_count between 1 and 60", name="pupil_count"),
    )

    @property
    def deadline_at(self) -> datetime:
        if self.deadline_extended_to and self.deadline_extended_to > self.edition.deadline_at:
            return self.deadline_extended_to
        return self.edition.deadline_at

    def is_open(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) <= self.deadline_at

    @property
    def age_group_enum(self) -> AgeGroup:
        return AgeGroup(self.age_group)

    # Permissions ------------------------------------------------------------
    def can_view(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.id == self.teacher_id or user.has_role(Role.SECRETARIAT):
            return True
        from competition.models.places import coordinated_city_ids

        return self.school.city_id in coordinated_city_ids(user)

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.id == self.teacher_id and self.is_open()


class Pupil(db.Model):
    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(60))
    initial: Mapped[str] = mapped_column(String(3), default="")
    age: Mapped[int]

    school_class: Mapped[SchoolClass] = relationship(back_populates="pupils")

    __table_args__ = (CheckConstraint("age between 5 and 18", name="age"),)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.initial}.".strip() if self.initial else self.first_name
