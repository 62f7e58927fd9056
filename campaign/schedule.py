"""The campaign's posting plan: plain data in, posts out, and one iCalendar file of every post.

From the launch, quotes and stories go out once or twice a day, alternating, with more of them in the
days just before International Migrants Day (the brief's "increased sharing leading up to 18 December").
The statements go out on their day, the school competition's results on theirs (a week of posts), and
the campaign page opens on Migrants Day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import IO
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

TIMES = (time(10, 0), time(14, 0), time(18, 0))
RESULT_DAYS = 5


@dataclass(frozen=True)
class Planned:
    reference: str
    kind: str  # quote, story, statement
    title: str


@dataclass(frozen=True)
class Post:
    when: datetime  # aware, in the plan's zone
    kind: str  # quote, story, statement, launch, results, page
    reference: str
    title: str


def _interleaved(items: list[Planned]) -> list[Planned]:
    quotes = [i for i in items if i.kind == "quote"]
    stories = [i for i in items if i.kind == "story"]
    out: list[Planned] = []
    while quotes or stories:
        for queue in (quotes, stories):
            if queue:
                out.append(queue.pop(0))
    return out


def per_day(total: int, days: int) -> list[int]:
    """How many posts each day gets: as even as possible, the extra ones on the last days."""
    if days <= 0:
        return []
    base, extra = divmod(total, days)
    return [base + (1 if n >= days - extra else 0) for n in range(days)]


def plan(items: list[Planned], launch_on: date, statements_on: date, results_on: date, page_on: date,
         timezone: str = "Europe/Paris", labels: dict[str, str] | None = None) -> list[Post]:
    zone = ZoneInfo(timezone)
    labels = labels or {"launch": "Campaign launch", "results": "School competition results",
                        "page": "Campaign page opens"}

    def at(day: date, n: int) -> datetime:
        slot = TIMES[n % len(TIMES)]
        return datetime.combine(day, slot, zone) + timedelta(minutes=30 * (n // len(TIMES)))

    posts = [Post(at(launch_on, 0), "launch", "launch", labels["launch"])]
    shared = _interleaved([i for i in items if i.kind in ("quote", "story")])
    days = max(1, (page_on - launch_on).days)
    queue = iter(shared)
    for offset, count in enumerate(per_day(len(shared), days)):
        day = launch_on + timedelta(days=offset)
        first = 1 if offset == 0 else 0  # the launch post has the first slot of the first day
        for n in range(count):
            item = next(queue)
            posts.append(Post(at(day, first + n), item.kind, item.reference, item.title))
    for n, item in enumerate(i for i in items if i.kind == "statement"):
        posts.append(Post(at(statements_on, n), "statement", item.reference, item.title))
    for n in range(RESULT_DAYS):
        posts.append(Post(datetime.combine(results_on + timedelta(days=n), time(12, 0), zone), "results",
                          f"results-{n + 1}", labels["results"]))
    posts.append(Post(datetime.combine(page_on, time(9, 0), zone), "page", "page", labels["page"]))
    return _spread(posts)


def _spread(posts: list[Post]) -> list[Post]:
    """Two posts never share a minute: a later-placed one moves on by 15 minutes until it is alone."""
    used: set[datetime] = set()
    placed = []
    for post in posts:
        when = post.when
        while when in used:
            when += timedelta(minutes=15)
        used.add(when)
        placed.append(Post(when, post.kind, post.reference, post.title))
    return sorted(placed, key=lambda p: (p.when, p.reference))


def write_ics(posts: list[Post], out: IO[bytes], name: str, host: str = "morethanmigrants.invalid") -> None:
    """One VEVENT of 15 minutes per post; stable UIDs so that a calendar that imported it updates."""
    calendar = Calendar()
    for key, value in (("prodid", "-//More than migrants//Campaign plan//EN"), ("version", "2.0"),
                       ("calscale", "GREGORIAN"), ("method", "PUBLISH"), ("x-wr-calname", vText(name))):
        calendar.add(key, value)
    stamp = min((p.when for p in posts), default=datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC)
    for post in posts:
        event = Event()
        event.add("uid", f"campaign-{post.reference}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", post.when)
        event.add("dtend", post.when + timedelta(minutes=15))
        event.add("summary", f"{post.title} ({post.reference})")
        event.add("categories", [post.kind])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    if posts:
        calendar.add_missing_timezones(first_date=date(min(p.when for p in posts).year - 1, 1, 1),
                                       last_date=date(max(p.when for p in posts).year + 2, 1, 1))
    out.write(calendar.to_ical())
