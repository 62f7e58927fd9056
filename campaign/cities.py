"""Which city a coordinator looks after: the one place in the campaign that knows where it is stored.

A coordinator's cities are the secretariat's appointments (``city_coordinators``), never a profile field.
The campaign works for one city at a time: someone appointed to several sends for the first of them.
"""
from __future__ import annotations

from competition.models import City
from competition.models.places import coordinated_city_ids
from core.db import db


def coordinator_city(user) -> City | None:
    """The city ``user`` coordinates, or None (not a coordinator, or not appointed yet). Who coordinates what is
    ``coordinated_city_ids``'s rule; the campaign only picks the first city."""
    ids = coordinated_city_ids(user)
    return db.session.get(City, min(ids)) if ids else None
