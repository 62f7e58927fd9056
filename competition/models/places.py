"""Member cities, their schools, and who coordinates each city."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, utcnow


class City(db.Model):
    __tablename__ = "cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)

    schools: Mapped[list[School]] = relationship(back_populates="city", order_by="School.name")

    __table_args__ = (UniqueConstraint("name", "country_code"),)


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship(back_populates="schools")

    __table_args__ = (UniqueConstraint("city_id", "name"),)


class CityCoordinator(db.Model):
    """The secretariat's appointment of a user as coordinator of one city: the only source of a coordinator's scope.

    A profile field never grants access (a juror edits their own city for conflicts of interest)."""

    __tablename__ = "city_coordinators"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "city_id"),)


def _coordinates(user) -> bool:
    """The one rule: an appointment counts only while its user holds the coordinator role."""
    from accounts.models import Role

    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.COORDINATOR)


def coordinated_city_ids(user) -> set[int]:
    """The cities a user coordinates: appointments, and only while the user holds the coordinator role."""
    from sqlalchemy import select

    if not _coordinates(user):
        return set()
    return set(db.session.scalars(select(CityCoordinator.city_id).where(CityCoordinator.user_id == user.id)))


def coordinators_of(city: City) -> list:
    """The users who coordinate ``city`` (the same rule, seen from the city), by name."""
    from sqlalchemy import select

    from accounts.models import User

    users = db.session.scalars(select(User).join(CityCoordinator, CityCoordinator.user_id == User.id)
                               .where(CityCoordinator.city_id == city.id).order_by(User.name)).all()
    return [user for user in users if _coordinates(user)]
