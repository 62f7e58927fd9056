"""The database handle, the declarative base and shared column types."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def enum_values(enum_class: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in enum_class]


def str_enum(enum_class: type[enum.StrEnum], *, name: str, length: int) -> Enum:
    """A ``StrEnum`` column: its value in a VARCHAR(length), and a CHECK generated from the enum's values,
    named ``ck_<table>_<name>`` (give the column's name). Rows load as members, which equal their values,
    so code comparing with the plain strings keeps working; a value outside the enum is refused when bound."""
    return Enum(enum_class, name=name, length=length, native_enum=False, create_constraint=True,
                values_callable=enum_values, validate_strings=True)


class JSONList(TypeDecorator):
    """A list kept as a JSON array (was comma-separated text). Refuses anything but a list or tuple, so a
    forgotten "en,fr" fails loudly instead of being stored as one JSON string."""

    impl = JSON
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(none_as_null=True)  # None is SQL NULL, not the JSON text "null"

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"a list is stored here, not {type(value).__name__}: {value!r}")
        return list(value)

    def process_result_value(self, value, dialect):
        return None if value is None else list(value)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Enforce foreign keys on SQLite too, and let readers work beside a writer."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def init_app(app) -> None:
    db.init_app(app)
