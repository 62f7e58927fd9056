"""Local deadlines in a named zone become UTC; daylight-saving gaps and overlaps are handled (no app needed)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from competition.editions.operations import NonExistentLocalTime, local_to_utc

UTC = timezone.utc


@pytest.mark.parametrize("day,at,zone,expected", [
    (date(2026, 11, 19), time(23, 59), "Europe/Paris", datetime(2026, 11, 19, 22, 59, tzinfo=UTC)),
    (date(2026, 7, 1), time(12, 0), "Europe/Paris", datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
    (date(2026, 11, 19), time(23, 59), "Europe/Lisbon", datetime(2026, 11, 19, 23, 59, tzinfo=UTC)),
    (date(2026, 11, 19), time(23, 59), "Asia/Kolkata", datetime(2026, 11, 19, 18, 29, tzinfo=UTC)),
    (date(2026, 11, 19), time(0, 0), "UTC", datetime(2026, 11, 19, 0, 0, tzinfo=UTC)),
])
def test_local_time_converts_to_utc(day, at, zone, expected):
    assert local_to_utc(day, at, zone) == (expected, False)


@pytest.mark.parametrize("day,at,zone", [
    (date(2026, 3, 29), time(2, 30), "Europe/Paris"),
    (date(2026, 3, 29), time(2, 0), "Europe/Paris"),
    (date(2026, 3, 8), time(2, 15), "America/New_York"),
])
def test_a_time_in_the_spring_gap_does_not_exist(day, at, zone):
    with pytest.raises(NonExistentLocalTime):
        local_to_utc(day, at, zone)


@pytest.mark.parametrize("day,at,zone,expected", [
    # 02:30 happens twice on 25 October 2026 in Paris: the first one is in summer time (UTC+2).
    (date(2026, 10, 25), time(2, 30), "Europe/Paris", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    (date(2026, 11, 1), time(1, 30), "America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
])
def test_an_ambiguous_time_is_read_as_the_first_one(day, at, zone, expected):
    assert local_to_utc(day, at, zone) == (expected, True)


def test_the_minutes_around_the_gap_exist():
    assert local_to_utc(date(2026, 3, 29), time(1, 59), "Europe/Paris")[0] == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 29), time(3, 0), "Europe/Paris")[0] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
