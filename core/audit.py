"""The audit trail: who created, changed, submitted, withdrew or scored what, and when."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit_actions import AuditAction
from core.db import UTCDateTime, db, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    details_json: Mapped[str] = mapped_column(Text, default="{}")

    actor: Mapped[User | None] = relationship("User")  # noqa: F821  (accounts' model, found by the mapper registry)

    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    @property
    def details(self) -> dict:
        return json.loads(self.details_json or "{}")


def record(action: AuditAction | str, obj=None, *, actor=None, object_type: str | None = None,
           object_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event to the session (the request's single commit saves it with the change).

    ``action`` is an ``AuditAction`` (or its value); anything else is a ValueError, so no event is ever
    recorded under a code that has no words and no place in the list."""
    from flask_login import current_user

    try:
        action = AuditAction(action)
    except ValueError:
        raise ValueError(f"unknown audit action {action!r}: add it to core.audit_actions.AuditAction") from None

    if actor is None and current_user and getattr(current_user, "is_authenticated", False):
        actor = current_user
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action.value,
        object_type=object_type or (obj.__tablename__ if obj is not None else "site"),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        details_json=json.dumps(details, default=str, sort_keys=True, ensure_ascii=False),
    )
    db.session.add(event)
    return event
