"""The posting plan of the social-media week (6 to 12 December by default), as a CSV table and an iCalendar file.

``plan`` spreads the entries over the week: the 1st prizes take the evening slot of the first days,
one a day; the other entries follow in the order 2nd and 3rd prizes and special mentions, then the
entries selected for publication, taking turns between the categories so that a day is not all
poems. The output is deterministic: the same results give byte-identical files.
"""
from __future__ import annotations

import csv
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import IO
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vText

from judging.exports.captions import caption_languages, caption_name
from judging.exports.cards import card_name
from judging.exports.model import Item
from judging.exports.spreadsheets import neutralise

NETWORK_SIZES = (("Instagram", "portrait"), ("Facebook", "landscape"), ("X", "landscape"))
TIERS = {"first": 0, "second": 1, "third": 1, "special": 1}  # anything else (publication…) is tier 2
POST_MINUTES = 15


@dataclass(frozen=True)
class Post:
    """One planned post: when, which entry, which card per network and which caption files."""

    when: datetime  # aware, in the plan's time zone
    reference: str
    title: str
    award: str | None
    discipline: str
    languages: tuple[str, ...]  # caption languages
    cards: tuple[tuple[str, str], ...]  # (network, card file relative to the social-media kit)
    captions: tuple[str, ...]  # caption files relative to the kit

    @property
    def size(self) -> str:
        """The main card's size: portrait, for Instagram."""
        return NETWORK_SIZES[0][1]

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(network for network, _file in self.cards)

    @property
    def card_files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for _network, name in self.cards))


def post_for(item: Item, when: datetime) -> Post:
    languages = caption_languages(item)
    return Post(when, item.reference, item.title, item.award, item.discipline, languages,
                tuple((network, f"cards/{card_name(item, size)}") for network, size in NETWORK_SIZES),
                tuple(f"captions/{caption_name(item, language)}" for language in languages))


def _interleaved(items: list[Item]) -> list[Item]:
    """Items taking turns between categories, the categories ordered so that disciplines alternate."""
    queues: OrderedDict[int, list[Item]] = OrderedDict()
    for item in items:
        queues.setdefault(item.category_id, []).append(item)
    seen: dict[str, int] = {}
    order = []
    for category_id, queue in queues.items():  # n-th poem category, n-th essay category… by n, then discipline
        n = seen[queue[0].discipline] = seen.get(queue[0].discipline, -1) + 1
        order.append((n, ("poem", "essay", "illustration").index(queue[0].discipline)
                      if queue[0].discipline in ("poem", "essay", "illustration") else 3, len(order), category_id))
    lanes = [queues[key[-1]] for key in sorted(order)]
    out = []
    while any(lanes):
        for lane in lanes:
            if lane:
                out.append(lane.pop(0))
    return out


def _day_counts(total: int, days: int) -> list[int]:
    """``total`` posts over ``days`` days as evenly as possible, the first days taking the extra ones."""
    return [-(-(d + 1) * total // days) - (-(-d * total // days)) for d in range(days)]


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _day_times(count: int, times: tuple[str, ...]) -> list[int]:
    """Minutes after midnight of a day's ``count`` posts: some of ``times``, always the last (the evening).

    Beyond ``len(times)`` posts, the day gets more slots spread evenly from the first time to the last.
    """
    slots = sorted(_minutes(t) for t in times)
    if count <= 0:
        return []
    if count == 1:
        return [slots[-1]]
    if count <= len(slots):
        return [slots[round(n * (len(slots) - 1) / (count - 1))] for n in range(count)]
    first, last = slots[0], slots[-1]
    return [first + round(n * (last - first) / (count - 1)) for n in range(count)]


def plan(items: Iterable[Item], start: date = date(2026, 12, 6), days: int = 7, timezone: str = "Europe/Paris",
         times: tuple[str, ...] = ("09:30", "13:00", "18:30")) -> list[Post]:
    """Every item once, in time order, at most ``len(times)`` posts a day.

    When there are more items than ``days * len(times)`` slots, no item is dropped: each day gets
    extra slots, spread evenly between the first and the last time, as few as needed.
    """
    items, days = list(items), max(1, days)
    zone = ZoneInfo(timezone)
    firsts = _interleaved([i for i in items if i.award == "first"])
    rest = _interleaved([i for i in items if TIERS.get(i.award or "", 2) == 1])
    rest += _interleaved([i for i in items if i.award != "first" and TIERS.get(i.award or "", 2) == 2])
    counts = _day_counts(len(items), days)
    evenings = firsts[:sum(1 for c in counts if c)]  # one 1st prize a day, in the evening
    rest = firsts[len(evenings):] + rest
    posts: list[Post] = []
    for day, count in enumerate(counts):
        slots = _day_times(count, times)
        evening = evenings.pop(0) if slots and evenings else None
        used = {evening.discipline} if evening else set()
        chosen = []
        for _slot in slots[:-1] if evening else slots:
            item = rest.pop(_next(rest, used))
            used.add(item.discipline)
            chosen.append(item)
        for minute, item in zip(slots, [*chosen, evening] if evening else chosen, strict=True):
            when = datetime.combine(start + timedelta(days=day), time(minute // 60, minute % 60), tzinfo=zone)
            posts.append(post_for(item, when))
    return posts


def _tier(item: Item) -> int:
    return 0 if item.award == "first" else TIERS.get(item.award or "", 2)


def _next(queue: list[Item], used: set[str], window: int = 6) -> int:
    """The next item to post: the first in line, unless one of the same tier close behind brings a discipline
    the day does not have yet."""
    for n, item in enumerate(queue[:window]):
        if _tier(item) != _tier(queue[0]):
            break
        if item.discipline not in used:
            return n
    return 0


def _header(language: str) -> list[str]:
    with force_locale(language):
        return [_("Date"), _("Time"), _("Time zone"), _("Reference"), _("Title"), _("Card file"),
                _("Caption file"), _("Networks")]


def write_schedule_csv(posts: list[Post], out_text: IO[str], language: str = "en") -> None:
    """The plan as CSV, one row per post; cells a spreadsheet could run as formulas are neutralised."""
    out = csv.writer(out_text, lineterminator="\r\n")
    out.writerow(_header(language))
    for post in posts:
        cards = "; ".join(f"{network}: {name}" for network, name in post.cards)
        out.writerow([neutralise(value) for value in (
            post.when.date().isoformat(), post.when.strftime("%H:%M"), str(post.when.tzinfo), post.reference,
            post.title, cards, "; ".join(post.captions), ", ".join(post.networks))])


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_schedule_ics(posts: list[Post], out_binary: IO[bytes], calendar_name: str, *,
                       stamp: datetime | None = None, base_url: str = "", language: str = "en") -> None:
    """The plan as an iCalendar file (written by the ``icalendar`` package): one 15-minute VEVENT per post.

    Times are local times of the plan's zone (``DTSTART;TZID=Europe/Paris:…``, a post is planned for 18:30
    in Paris) with its VTIMEZONE, limited to the years around the plan. UIDs come from the reference, the
    UTC time and ``base_url``'s host, so a calendar that imported an earlier file updates its events.
    DTSTAMP is ``stamp`` (pass the results' generation time), else the first post's time, so the same plan
    gives the same bytes.
    """
    host = urlparse(base_url).hostname or "morethanmigrants.invalid"
    first = min((p.when for p in posts), default=datetime(2000, 1, 1, tzinfo=UTC))
    calendar = Calendar()
    for name, value in (("prodid", "-//More than migrants//Social-media plan//EN"), ("version", "2.0"),
                        ("calscale", "GREGORIAN"), ("method", "PUBLISH"), ("x-wr-calname", vText(calendar_name))):
        calendar.add(name, value)
    with force_locale(language):
        for post in posts:
            description = "\n".join((_("Caption files: %(files)s", files=", ".join(post.captions)),
                                     _("Card files: %(files)s", files=", ".join(post.card_files)),
                                     _("Networks: %(networks)s", networks=", ".join(post.networks))))
            event = Event()
            event.add("uid", f"{post.reference}-{_utc(post.when)}@{host}")
            event.add("dtstamp", (stamp or first).astimezone(UTC))
            event.add("dtstart", post.when)
            event.add("dtend", post.when + timedelta(minutes=POST_MINUTES))
            event.add("summary", f"{post.title} ({post.reference})")
            event.add("description", description)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    if posts:
        calendar.add_missing_timezones(first_date=date(first.year - 1, 1, 1),
                                       last_date=date(max(p.when for p in posts).year + 2, 1, 1))
    out_binary.write(calendar.to_ical())
