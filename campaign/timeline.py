"""The campaign's calendar for one edition: set on the edition, else the brief's dates in the deadline's year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.db import utcnow


@dataclass(frozen=True)
class Timeline:
    deadline_at: datetime  # UTC
    launch_on: date  # quotes and stories on social media
    results_on: date  # the school competition's results
    statements_on: date  # the mayors' statements
    page_on: date  # International Migrants Day: the campaign page opens


def timeline(edition) -> Timeline:
    deadline = edition.campaign_deadline_at or edition.deadline_at
    year = deadline.year
    return Timeline(
        deadline_at=deadline,
        launch_on=edition.campaign_launch_on or date(year, 12, 1),
        results_on=edition.results_on,
        statements_on=edition.campaign_statements_on or date(year, 12, 17),
        page_on=edition.campaign_page_on or date(year, 12, 18),
    )


def is_open(edition, now: datetime | None = None) -> bool:
    """Cities may create, change and submit until the campaign deadline, in UTC."""
    return (now or utcnow()) <= timeline(edition).deadline_at


def page_open(edition, today: date | None = None) -> bool:
    """The public campaign page opens on its day (International Migrants Day by default), in the edition's zone."""
    from zoneinfo import ZoneInfo

    today = today or utcnow().astimezone(ZoneInfo(edition.deadline_timezone)).date()
    return today >= timeline(edition).page_on
