"""Users, their roles, and single-use tokens (email confirmation, reset, invitation)."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import JSONList, UTCDateTime, db, str_enum, utcnow


class Role(enum.StrEnum):
    TEACHER = "teacher"
    JUROR = "juror"
    SECRETARIAT = "secretariat"
    COORDINATOR = "coordinator"

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])


ROLE_TITLES = {
    Role.TEACHER: _l("Teacher"),
    Role.JUROR: _l("Juror"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.COORDINATOR: _l("City coordinator"),
}


def new_alternative_id() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Flask-Login's "alternative id": rotating it ends every session of the user.
    alternative_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_alternative_id)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (CheckConstraint("language in ('en', 'fr')", name="language"),)

    # Flask-Login protocol -------------------------------------------------
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account and self.email_confirmed_at is not None

    def get_id(self) -> str:
        return self.alternative_id

    def end_all_sessions(self) -> None:
        self.alternative_id = new_alternative_id()

    # Roles ----------------------------------------------------------------
    @property
    def role_set(self) -> set[Role]:
        return {Role(r.role) for r in self.roles}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    def add_role(self, role: Role) -> None:
        if role not in self.role_set:
            self.roles.append(UserRole(role=role))

    # Object permissions ---------------------------------------------------
    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.id == self.id or user.has_role(Role.SECRETARIAT))

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == normalise_email(email)))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class UserRole(db.Model):
    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, name="role", length=20))
    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("user_id", "role"),)


class TokenPurpose(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"
    INVITATION = "invitation"
    CHANGE_EMAIL = "change_email"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class Token(db.Model):
    """A single-use, time-limited secret sent by email. Only its hash is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, name="purpose", length=20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # For invitations (no user yet) and email changes (the new address).
    email: Mapped[str | None] = mapped_column(String(254))
    roles: Mapped[list[str] | None] = mapped_column(JSONList())  # an invitation's roles
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def role_list(self) -> list[Role]:
        return [Role(r) for r in self.roles or []]
