"""Judged work is frozen: once a juror has seen an entry, its teacher can no longer change it.

An entry is frozen when it has an award, a score set (even a draft), or an assignment in a round that
is open or closed (a round still being prepared shows nothing to jurors). No deadline, not even a
class's extension, reopens it: an extension reopens only the entries no juror has seen, and new entries
within the class's limits. Consent is never frozen: withdrawing consent to publication, social media or
names, and withdrawing the entry, stay possible at any time (``entry_operations.withdraw_consent``,
``entry_operations.withdraw``).

The check lives in ``Entry.can_edit`` (views and templates) and in every operation that changes an
entry's work (``entry_operations``), so a route that forgot the first still meets the second. The
pupils who made a frozen entry keep their name and age too (``judged_authors``): they are its credit.

What a juror has seen is the jury's to say: judging registers the conditions at its init_app
(``competition.judging_hooks``, filled by ``judging/competition_hooks.py``), so competition never imports judging.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, or_, select, union_all

from competition.judging_hooks import judging_hooks
from core.db import db


class Frozen(enum.StrEnum):
    AWARDED = "awarded"
    SCORED = "scored"
    ASSIGNED = "assigned"

    @property
    def message(self) -> str:
        return str(FROZEN_MESSAGES[self])


FROZEN_MESSAGES = {
    Frozen.AWARDED: _l("This entry has an award, so it can no longer be changed, even with more time: the jury "
                       "judged it as it is."),
    Frozen.SCORED: _l("Jurors have scored this entry, so it can no longer be changed, even with more time: "
                      "they judged it as it is."),
    Frozen.ASSIGNED: _l("Jurors have this entry to score, so it can no longer be changed, even with more time: "
                        "every juror must judge the same work."),
}
ORDER = (Frozen.AWARDED, Frozen.SCORED, Frozen.ASSIGNED)


def _judged(entry_id) -> dict[Frozen, object]:
    """The condition for each reason, on ``entry_id`` (a number, or a column for a set-based query): the jury
    says what it has seen (``competition.judging_hooks``)."""
    conditions = {Frozen(reason): condition for reason, condition in judging_hooks().judged(entry_id).items()}
    if set(conditions) != set(Frozen):
        raise RuntimeError(f"The jury's freeze hook gave {sorted(conditions)}, not one condition per reason")
    return conditions


def frozen_reason(entry) -> Frozen | None:
    """Why ``entry`` can no longer be changed (an award, then scores, then assignments), or None. One query."""
    if entry.id is None:
        return None
    checks = union_all(*(select(literal(reason.value)).where(condition)
                         for reason, condition in _judged(entry.id).items()))
    found = set(db.session.scalars(checks))
    return next((reason for reason in ORDER if reason.value in found), None)


def judged_authors(school_class) -> set[int]:
    """Ids of the class's pupils who made a frozen entry: their name and age are in its credit, so they stay."""
    from competition.models import Entry, EntryAuthor

    return set(db.session.scalars(
        select(EntryAuthor.pupil_id).join(Entry, Entry.id == EntryAuthor.entry_id)
        .where(Entry.class_id == school_class.id, or_(*_judged(Entry.id).values()))))


def judging_counts(entry) -> dict[str, int]:
    """How far the jury got with ``entry``: assignments, submitted score sets and awards (the disqualify page)."""
    return judging_hooks().counts(entry)
