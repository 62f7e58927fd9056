"""Which city a coordinator looks after: the one place that knows where it is stored.

Today it is ``users.city_id``; when coordinators move to a ``city_coordinators`` table, only
``coordinator_city`` changes.
"""
from __future__ import annotations

from accounts.models import Role
from competition.models import City
from core.db import db


def coordinator_city(user) -> City | None:
    """The city ``user`` coordinates, or None (not a coordinator, or no city yet)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.COORDINATOR):
        return None
    return db.session.get(City, user.city_id) if user.city_id else None
