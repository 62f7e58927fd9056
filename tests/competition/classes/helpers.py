"""Small helpers for reading pages and counting rows in the class tests."""
from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, runs of spaces joined."""
    without_tags = re.sub(r"<[^>]*>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
