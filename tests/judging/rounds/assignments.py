"""A round's assignments as the tests read them back."""
from __future__ import annotations

from sqlalchemy import func, select

from core.db import db


def count_assignments(round_id=None) -> int:
    from judging.models import Assignment

    query = select(func.count()).select_from(Assignment)
    if round_id is not None:
        query = query.where(Assignment.round_id == round_id)
    return db.session.scalar(query)


def pairs(round_id) -> list[tuple[int, int]]:
    from judging.models import Assignment

    return sorted(db.session.execute(select(Assignment.entry_id, Assignment.juror_id)
                                     .where(Assignment.round_id == round_id)).all())
