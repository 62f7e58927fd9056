"""Rows as the tests read them back: how many a table holds, and the audit trail's actions in order."""
from __future__ import annotations

from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
