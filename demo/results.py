"""Demo results of the past edition: the winners of every category decided and the results published.

Its round 1 is closed, so the exports, the public gallery, unpublishing and publishing again, and the
removal of personal data can all be tried at once. The current edition has no awards: its round is open.

The top three of each category (round 1, its method) get the prizes, the fourth a special mention,
the next two are selected for publication. A few sample entries lack social-media or name consent,
so the export page has something to list under "left out and why".
"""
from __future__ import annotations

import random
from datetime import datetime, time, timezone

from sqlalchemy import select

from core.db import db

PRIZES = ("first", "second", "third", "special", "publication", "publication")


def load_demo_results(edition, now=None, seed: int = 2026) -> None:
    from competition.models import Entry, SchoolClass
    from judging.models import Award, Round
    from judging.results import service

    rng = random.Random(seed + 1)  # its own generator: the scores drawn before stay as they were
    round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id).order_by(Round.number).limit(1))
    for entry in db.session.scalars(select(Entry).join(Entry.school_class).where(
            SchoolClass.edition_id == edition.id, Entry.whole_class.is_(True)).order_by(Entry.id)):
        entry.consent_social = rng.random() < 0.8
        entry.consent_name = rng.random() < 0.6
    for category in edition.categories:
        results = service.load_category(round_, category)
        for row, kind in zip(results.rows, PRIZES):
            db.session.add(Award(edition_id=edition.id, category_id=category.id, entry_id=row.entry_id, kind=kind,
                                 note="Demo decision."))
    db.session.flush()
    edition.results_published_at = datetime.combine(edition.results_on, time(9, 0), tzinfo=timezone.utc)
    db.session.flush()


def store_demo_rankings() -> None:
    """The rankings the queue would have stored as the demo's scores came in (judging/results/store.py)."""
    from judging.models import Round
    from judging.results import store as results_store

    db.session.flush()
    for judging_round in db.session.scalars(select(Round)):
        for category in judging_round.edition.categories:
            results_store.recompute(judging_round, category)
