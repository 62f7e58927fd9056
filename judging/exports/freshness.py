"""Is a built export still what the secretariat may use? Current, outdated, or withdrawn for consent.

Each finished job records the digest of what it was made from (``fingerprint.exports_digest``) and what
it exposes: the entries it credits by name, publishes (the publication, the feed) and posts (the social
kit), and, in the bundle, whose files it holds. The export page compares both with the database now:

* ``CURRENT``: nothing it was made from has changed;
* ``OUTDATED``: something changed (an award, a title, a ranking, a consent it did not rely on); it is
  still offered, marked outdated, with the advice to make it again;
* ``WITHDRAWN``: an entry in it has since lost a consent it relies on (names, publication, social
  media), or was withdrawn, disqualified or deleted while published or posted in it. It is no longer
  offered and its files are deleted. An archive that names a child whose family withdrew consent to
  names must not stay downloadable: the secretariat could still post it, or send it to the printer.
  A job made before jobs recorded this cannot show it still has consent, so it is treated the same way.

The check costs the two digests and one query for the entries the outputs expose, whatever their size.
"""
from __future__ import annotations

import enum
import json

from sqlalchemy import select

from competition.models import Edition, Entry, EntryStatus
from core.db import db
from judging.exports.fingerprint import exports_digest
from judging.exports.model import Results

CHUNK = 2000


class Freshness(enum.StrEnum):
    CURRENT = "current"
    OUTDATED = "outdated"
    WITHDRAWN = "withdrawn"


def exposure(results: Results, kind: str) -> dict[str, list[int]]:
    """The entries an export of ``kind`` credits by name, publishes and posts (ids, sorted)."""
    named, published, posted = set(), set(), set()
    if kind in ("results", "bundle"):  # the spreadsheets list every ranked entry; the feed the published ones
        named |= {i.entry_id for i in results.items if i.consent_name}
        published |= {i.entry_id for i in results.for_publication}
    if kind in ("social", "bundle"):
        posted |= {i.entry_id for i in results.for_social}
    if kind in ("publication", "bundle"):
        published |= {i.entry_id for i in results.for_publication}
    named |= {i.entry_id for i in results.selected if i.consent_name and i.entry_id in published | posted}
    return {"named": sorted(named), "published": sorted(published), "posted": sorted(posted)}


def record(job, results: Results, digest: str) -> None:
    """Note on ``job`` what it is made from and what it exposes (the caller commits)."""
    job.inputs_digest = digest
    job.exposes = json.dumps(exposure(results, job.kind), separators=(",", ":"))


def states(edition: Edition, jobs) -> dict[int, Freshness]:
    """The freshness of every finished job in ``jobs``, by job id."""
    done = [j for j in jobs if j.status == "done"]
    if not done:
        return {}
    digest = exports_digest(edition)
    exposed = {j.id: _exposes(j) for j in done}
    ids = sorted({i for e in exposed.values() if e for ids in e.values() for i in ids})
    now: dict[int, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        now.update((row[0], row[1:]) for row in db.session.execute(
            select(Entry.id, Entry.status, Entry.consent_name, Entry.consent_publication, Entry.consent_social)
            .where(Entry.id.in_(ids[start:start + CHUNK]))))
    result = {}
    for job in done:
        if exposed[job.id] is None or _lost_consent(exposed[job.id], now):
            result[job.id] = Freshness.WITHDRAWN
        else:
            result[job.id] = Freshness.CURRENT if job.inputs_digest == digest else Freshness.OUTDATED
    return result


def _exposes(job) -> dict[str, list[int]] | None:
    try:
        value = json.loads(job.exposes or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _lost_consent(exposes: dict, now: dict[int, tuple]) -> bool:
    live = EntryStatus.SUBMITTED
    for entry_id in exposes.get("named", ()):
        if entry_id not in now or not now[entry_id][1]:
            return True
    for key, flag in (("published", 2), ("posted", 3)):
        for entry_id in exposes.get(key, ()):
            if entry_id not in now or now[entry_id][0] != live or not now[entry_id][flag]:
                return True
    return False
