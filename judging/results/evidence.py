"""The evidence behind a loaded category (``results_service.CategoryResults``): the database side of
:mod:`judging.results.ranking_evidence`.

Two queries at most, whatever the category's size: the final round's shortlist count (for N, the
prizes plus the shortlist) and, when weak links are wanted, the jurors' cities that name the blocks.
The computation itself is pure and seeded, so a results job can run it on the same data.
"""
from __future__ import annotations

from sqlalchemy import select

from competition.models.places import City
from core.db import db
from judging.models import JurorProfile
from judging.results import ranking_evidence, service
from judging.results.ranking_evidence import Evidence


def juror_cities(juror_ids) -> dict:
    """Juror id -> name of the juror's own city, from their juror profile (jurors without one are left out)."""
    ids = list(juror_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(JurorProfile.user_id, City.name).join(City, City.id == JurorProfile.city_id)
                                   .where(JurorProfile.user_id.in_(ids))).all())


def top_n(res: service.CategoryResults) -> int:
    """N for the probability of the top N: the prizes plus this category's shortlist in the final round."""
    final = service.final_round(res.round.edition_id)
    shortlisted = 0 if final is None or final.id == res.round.id else \
        service.shortlist_counts(final).get(res.category.id, 0)
    return ranking_evidence.top_n_for(len(res.rows), shortlisted)


def for_results(res: service.CategoryResults, *, links: bool = True) -> Evidence:
    """The category's evidence; ``links=False`` skips the jurors' cities (the exports need no weak links)."""
    k = max(1, res.round.jurors_per_entry)
    n = top_n(res)
    if not res.has_scores:
        return Evidence(top_n=n, k=k)
    labels = juror_cities(res.group.jurors) if links else {}
    return ranking_evidence.category_evidence(res.group, res.rankings[res.method], k=k, top_n=n, juror_labels=labels)


def unsubmitted(res: service.CategoryResults) -> int:
    """Assignments of the category with no submitted score set (not started or drafts)."""
    return max(0, res.assigned - res.submitted)
