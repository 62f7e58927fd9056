"""What the jury tells competition, registered at judging's init_app (competition never imports judging; see
``competition/judging_hooks.py``): which entries a juror has seen (the freeze), how far the jury got with an
entry, and how the outputs credit a work without consent to names."""
from __future__ import annotations

from sqlalchemy import exists, func, select

from competition.entries.freeze import Frozen
from competition.judging_hooks import JudgingHooks, register
from core.db import db
from judging.models import Assignment, Award, Round, RoundStatus, ScoreSet


def judged(entry_id) -> dict[Frozen, object]:
    """For each reason an entry is frozen, the condition on ``entry_id`` (a number, or a column for a set-based
    query). A round still being prepared shows nothing to jurors, so only open and closed rounds count."""
    seen = (RoundStatus.OPEN, RoundStatus.CLOSED)
    return {
        Frozen.AWARDED: exists().where(Award.entry_id == entry_id),
        Frozen.SCORED: exists().where(ScoreSet.assignment_id == Assignment.id, Assignment.entry_id == entry_id),
        Frozen.ASSIGNED: exists().where(Assignment.entry_id == entry_id, Round.id == Assignment.round_id,
                                        Round.status.in_(seen)),
    }


def counts(entry) -> dict[str, int]:
    """How far the jury got with ``entry``: assignments, submitted score sets and awards (the disqualify page)."""
    assigned = db.session.scalar(select(func.count(Assignment.id)).where(Assignment.entry_id == entry.id))
    submitted = db.session.scalar(select(func.count(ScoreSet.id)).join(Assignment, Assignment.id == ScoreSet.assignment_id)
                                  .where(Assignment.entry_id == entry.id, ScoreSet.status == "submitted"))
    awards = db.session.scalar(select(func.count(Award.id)).where(Award.entry_id == entry.id))
    return {"assigned": assigned or 0, "submitted": submitted or 0, "awards": awards or 0}


def anonymous_credit(entry, language: str) -> str:
    """How the outputs credit ``entry`` without consent to names ("a pupil from Lisbon"), in ``language``."""
    from judging.exports.model import Author, Item
    from judging.exports.wording import credit

    item = Item(entry_id=entry.id, reference=entry.reference, title=entry.title, language=entry.language,
                discipline=entry.category.discipline, age_group=entry.category.age_group,
                category_id=entry.category_id, whole_class=entry.whole_class,
                authors=tuple(Author(a.pupil.first_name, a.pupil.initial, a.pupil.age) for a in entry.authors),
                city=entry.school_class.school.city.name, consent_name=False)
    return credit(item, language)


def entry_status_changed(entry) -> None:
    """An entry withdrawn, disqualified or reinstated joins or leaves the ranking of its category in every round it
    is assigned in (a final round ranks on earlier rounds' scores too, and holds the entry): each is queued to be
    computed again when the transaction commits, rather than only shown out of date."""
    from judging.results import store

    rounds = db.session.scalars(select(Assignment.round_id).where(Assignment.entry_id == entry.id).distinct())
    for round_id in sorted(rounds):
        store.schedule(round_id, entry.category_id, delay=0)


def init_app(app) -> None:
    register(app, JudgingHooks(judged=judged, counts=counts, anonymous_credit=anonymous_credit,
                               entry_status_changed=entry_status_changed))
