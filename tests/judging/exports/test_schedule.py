"""The posting plan: every entry once, spread over 6–12 December, and its CSV and iCalendar files read back."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from judging.exports.schedule import Post, plan, write_schedule_csv, write_schedule_ics
from tests.judging.exports.records import make_item

pytestmark = pytest.mark.usefixtures("app")

PARIS = ZoneInfo("Europe/Paris")
CATEGORIES = [(1, "5-10", "poem"), (2, "5-10", "essay"), (3, "5-10", "illustration"),
              (4, "11-18", "poem"), (5, "11-18", "essay"), (6, "11-18", "illustration")]
AWARDS = ["first", "second", "third", "special", "publication", "publication", "publication"]


def results_items(count: int) -> list:
    """``count`` entries as the results list them: by category, then award."""
    items = []
    for n in range(count):
        category_id, age_group, discipline = CATEGORIES[n % len(CATEGORIES)]
        award = AWARDS[min(n // len(CATEGORIES), len(AWARDS) - 1)]
        items.append(make_item(category_id=category_id, age_group=age_group, discipline=discipline,
                               awards=(award,), title=f"Work {n}"))
    return sorted(items, key=lambda i: (i.category_id, AWARDS.index(i.awards[0])))


def _days(posts: list[Post]) -> Counter:
    return Counter(p.when.date() for p in posts)


@pytest.mark.parametrize("count", [7, 12, 21])
def test_every_day_is_used_and_no_day_has_more_than_the_slots(count):
    posts = plan(results_items(count))
    days = _days(posts)
    assert sorted(days) == [date(2026, 12, 6) + timedelta(days=n) for n in range(7)]
    assert max(days.values()) <= 3 and max(days.values()) - min(days.values()) <= 1


@pytest.mark.parametrize("count", [1, 3, 7, 21, 22, 40, 100])
def test_every_item_exactly_once_and_inside_the_week(count):
    items = results_items(count)
    posts = plan(items)
    assert sorted(p.reference for p in posts) == sorted(i.reference for i in items)
    start, end = datetime(2026, 12, 6, tzinfo=PARIS), datetime(2026, 12, 12, 23, 59, 59, tzinfo=PARIS)
    assert all(p.when.tzinfo is not None and start <= p.when <= end for p in posts)
    assert [p.when for p in posts] == sorted(p.when for p in posts)


def test_beyond_the_slots_days_get_more_evenly_spread_slots():
    posts = plan(results_items(40))
    days = _days(posts)
    assert sorted(days.values()) == [5, 5, 6, 6, 6, 6, 6]
    for day in days:
        times = [p.when.strftime("%H:%M") for p in posts if p.when.date() == day]
        assert len(set(times)) == len(times) and times[0] == "09:30" and times[-1] == "18:30"


def test_up_to_the_slots_posts_use_the_given_times():
    posts = plan(results_items(21))
    assert {p.when.strftime("%H:%M") for p in posts} == {"09:30", "13:00", "18:30"}
    assert all(p.when.utcoffset() == timedelta(hours=1) for p in posts)  # CET in December


def test_fewer_items_than_days_start_on_the_first_day_and_spread():
    posts = plan(results_items(3))
    assert [p.when.date() for p in posts] == [date(2026, 12, 6), date(2026, 12, 8), date(2026, 12, 10)]
    assert all(p.when.strftime("%H:%M") == "18:30" for p in posts)


def test_first_prizes_come_first_one_a_day_in_the_evening():
    posts = plan(results_items(21))
    evenings = [p for p in posts if p.when.strftime("%H:%M") == "18:30"]
    assert [p.award for p in evenings[:6]] == ["first"] * 6
    assert evenings[0].when.date() == date(2026, 12, 6)
    firsts = [p for p in posts if p.award == "first"]
    assert len({p.when.date() for p in firsts}) == len(firsts)
    others = [p for p in posts if p.award != "first"]
    ranks = [0 if p.award in ("second", "third", "special") else 1 for p in others]
    assert ranks == sorted(ranks)  # 2nd, 3rd prizes and mentions before the entries selected for publication


def test_categories_take_turns_so_a_day_is_not_all_poems():
    posts = plan(results_items(18))
    for day in _days(posts):
        disciplines = [p.discipline for p in posts if p.when.date() == day]
        assert len(set(disciplines)) >= 2, disciplines
    firsts = [p.discipline for p in posts if p.award == "first"]
    assert firsts[:3] == ["poem", "essay", "illustration"]


def test_the_plan_is_deterministic_and_names_the_files():
    items = results_items(10)
    assert plan(items) == plan(items)
    post = plan([items[0]])[0]
    assert post.size == "portrait"
    assert dict(post.cards) == {"Instagram": f"cards/{items[0].slug}-portrait.png",
                                "Facebook": f"cards/{items[0].slug}-landscape.png",
                                "X": f"cards/{items[0].slug}-landscape.png"}
    assert post.captions == (f"captions/{items[0].slug}-en.txt", f"captions/{items[0].slug}-fr.txt")
    assert plan([make_item(language="pt")])[0].languages == ("en", "fr", "pt")


def test_other_start_days_times_and_zones():
    posts = plan(results_items(4), start=date(2027, 3, 1), days=2, timezone="America/New_York",
                 times=("08:00", "20:00"))
    assert [p.when.isoformat() for p in posts] == ["2027-03-01T08:00:00-05:00", "2027-03-01T20:00:00-05:00",
                                                   "2027-03-02T08:00:00-05:00", "2027-03-02T20:00:00-05:00"]


# --- CSV ------------------------------------------------------------------------------------------------------


def _csv(posts) -> list[list[str]]:
    out = io.StringIO(newline="")
    write_schedule_csv(posts, out)
    text = out.getvalue()
    assert text.count("\n") == text.count("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_csv_has_a_header_and_one_row_per_post():
    items = results_items(8)
    posts = plan(items)
    rows = _csv(posts)
    assert rows[0] == ["Date", "Time", "Time zone", "Reference", "Title", "Card file", "Caption file", "Networks"]
    assert len(rows) == len(posts) + 1
    first = rows[1]
    post = posts[0]
    slug = next(i.slug for i in items if i.reference == post.reference)
    assert first[:5] == ["2026-12-06", post.when.strftime("%H:%M"), "Europe/Paris", post.reference, post.title]
    assert f"Instagram: cards/{slug}-portrait.png" in first[5] and f"X: cards/{slug}-landscape.png" in first[5]
    assert first[6] == f"captions/{slug}-en.txt; captions/{slug}-fr.txt"
    assert first[7] == "Instagram, Facebook, X"


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "  =1"])
def test_formulas_in_the_csv_are_neutralised(title):
    rows = _csv(plan([make_item(title=title)]))
    assert rows[1][4] == "'" + title


# --- iCalendar ------------------------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_ics(data: bytes) -> tuple[list[str], list[dict[str, str]], icalendar.Calendar]:
    """Check the framing (CRLF, 75-octet lines) and return the unfolded lines, each VEVENT's raw properties,
    and the calendar as icalendar reads it back."""
    assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n") and b"\r" not in data.replace(
        b"\r\n", b"")
    for physical in data.split(b"\r\n")[:-1]:
        assert len(physical) <= 75, physical
        physical.decode("utf-8")  # a fold never splits a character
    lines = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            assert name.split(";")[0] not in current, name
            current[name.split(";")[0]] = value
    return lines, events, icalendar.Calendar.from_ical(data)


def _ics(posts, **kwargs) -> bytes:
    out = io.BytesIO()
    write_schedule_ics(posts, out, "More than migrants, 2026 — social media", **kwargs)
    return out.getvalue()


def test_the_calendar_has_one_event_per_post_at_the_planned_times():
    posts = plan(results_items(22))
    stamp = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    lines, raw, calendar = parse_ics(_ics(posts, stamp=stamp, base_url="https://example.org"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    assert "X-WR-CALNAME:More than migrants\\, 2026 — social media" in lines
    assert _unescape(str(calendar["X-WR-CALNAME"])) == "More than migrants, 2026 — social media"
    events = calendar.walk("VEVENT")
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(events) == len(raw) == len(posts)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for post, event, line in zip(posts, events, raw, strict=True):
        # stable UIDs: the reference, the UTC time and the host, as in the files written before
        assert str(event["UID"]) == f"{post.reference}-{post.when.astimezone(UTC):%Y%m%dT%H%M%SZ}@example.org"
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == post.when and str(start.tzinfo) == "Europe/Paris"
        assert line["DTSTART"] == post.when.strftime("%Y%m%dT%H%M%S")  # local time with TZID=Europe/Paris
        assert end - start == timedelta(minutes=15)
        assert event.decoded("DTSTAMP") == stamp and line["DTSTAMP"].endswith("Z")
        assert str(event["SUMMARY"]) == f"{post.title} ({post.reference})"
        assert post.captions[0] in str(event["DESCRIPTION"])
        assert str(event["DESCRIPTION"]).count("\n") == 2
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"
    assert "DTSTART;TZID=Europe/Paris:20261206T183000" in lines


def test_the_calendar_times_follow_the_plans_zone_across_a_change_of_offset():
    posts = plan(results_items(4), start=date(2027, 3, 13), days=2, timezone="America/New_York",
                 times=("08:00", "20:00"))  # US summer time starts on 14 March 2027
    _lines, _raw, calendar = parse_ics(_ics(posts))
    starts = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    assert starts == [p.when for p in posts]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=-5)] * 2 + [timedelta(hours=-4)] * 2
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_the_calendar_escapes_and_folds_titles():
    title = 'Home, sweet; home\\ back\nagain — Καλημέρα, Привет, 🌍 ' * 4
    posts = plan([make_item(title=title)])
    data = _ics(posts)
    _lines, raw, calendar = parse_ics(data)
    summary = raw[0]["SUMMARY"]
    assert re.search(r"(?<!\\),|(?<!\\);", summary.replace("\\\\", "")) is None  # every , and ; escaped
    assert _unescape(summary) == f"{title} ({posts[0].reference})"
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == f"{title} ({posts[0].reference})"
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))  # it was folded


def test_the_calendar_is_deterministic():
    items = results_items(9)
    posts = plan(items)
    assert _ics(posts) == _ics(plan(items))
    _lines, _raw, calendar = parse_ics(_ics(posts))
    assert calendar.walk("VEVENT")[0].decoded("DTSTAMP") == min(p.when for p in posts)


def test_an_empty_plan_is_a_valid_calendar():
    _lines, raw, calendar = parse_ics(_ics([]))
    assert raw == [] and calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []
