"""State changes of rounds: create, change, open, close and reopen, assign, and the mails to jurors.

Each flushes and records an audit event, never commits: the request commits once (core/transaction.py). Mails
go through ``core.mail``, which queues them in the same transaction: a request that rolls back sends none. A
refusal is a ``RoundRefused`` carrying a translated message for the secretariat; nothing was changed. The round's
state is checked by one guard, ``state_refusal`` (also the second wave's and the confirmation pages').
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.models import User
from competition.models import Edition
from core import mail
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db
from core.hosts import public_url
from judging.assignment import service
from judging.models import Assignment, Round, RoundStatus
from judging.rounds.progress import JurorProgress, round_progress

# action -> (the status it starts from, the status it leads to)
NOT_CLOSED = (RoundStatus.SETUP, RoundStatus.OPEN)
TRANSITIONS = {"open": (RoundStatus.SETUP, RoundStatus.OPEN), "close": (RoundStatus.OPEN, RoundStatus.CLOSED),
               "reopen": (RoundStatus.CLOSED, RoundStatus.OPEN)}
# Why a round's state refuses a change (``state_refusal``), by the status it is in.
STATE_REFUSALS = {
    RoundStatus.SETUP: _l("Scoring is not open in this round yet (open it first); nothing was changed."),
    RoundStatus.OPEN: _l("Scoring is already open in this round; nothing was changed."),
    RoundStatus.CLOSED: _l("The round is closed (reopen it first); nothing was changed."),
}
AUDITED = {"open": AuditAction.ROUND_OPENED, "close": AuditAction.ROUND_CLOSED, "reopen": AuditAction.ROUND_REOPENED}
RESULTS_PUBLIC = _l("The results are public: take them off the public page (Exports) first, since no juror may "
                    "score while they are up; nothing was changed.")


class RoundRefused(Exception):
    """The change is not possible now; ``message`` says why, for the secretariat."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def state_refusal(judging_round: Round, allowed, *, scoring: bool = False):
    """Why the round's state refuses a change, or None: the one guard of every change of a round's state (here,
    the second wave's, the confirmation pages'). Refused when its status is not one of ``allowed``, and, for a
    change that lets jurors score (``scoring``: opening, reopening, a second wave), while the results are public
    (the public gallery names the authors who consented)."""
    status = RoundStatus(judging_round.status)
    if status not in allowed:
        return STATE_REFUSALS[status]
    if scoring and judging_round.edition.results_published_at is not None:
        return RESULTS_PUBLIC
    return None


def check_state(judging_round: Round, allowed, *, scoring: bool = False) -> None:
    """``state_refusal`` as a ``RoundRefused``."""
    refusal = state_refusal(judging_round, allowed, scoring=scoring)
    if refusal is not None:
        raise RoundRefused(refusal)


def next_number(edition: Edition) -> int:
    return (db.session.scalar(select(func.max(Round.number)).where(Round.edition_id == edition.id)) or 0) + 1


def create_round(edition: Edition, jurors_per_entry: int, seed: int, closes_at: datetime | None) -> Round:
    """Add the edition's next round, being prepared. Its default name is in its creator's language (``Round.title``)."""
    number = next_number(edition)
    judging_round = Round(edition_id=edition.id, number=number, name=_("Round %(n)d", n=number),
                          jurors_per_entry=jurors_per_entry, seed=seed, closes_at=closes_at)
    db.session.add(judging_round)
    db.session.flush()
    record(AuditAction.ROUND_CREATED, judging_round, number=number, k=judging_round.jurors_per_entry,
           seed=judging_round.seed)
    return judging_round


def change_round(judging_round: Round, jurors_per_entry: int, seed: int, closes_at: datetime | None) -> None:
    """Change the settings of a round that is not closed."""
    check_state(judging_round, NOT_CLOSED)
    judging_round.jurors_per_entry = jurors_per_entry
    judging_round.seed = seed
    judging_round.closes_at = closes_at
    db.session.flush()
    record(AuditAction.ROUND_CHANGED, judging_round, k=judging_round.jurors_per_entry, seed=judging_round.seed)


def set_status(judging_round: Round, action: str) -> None:
    """``open`` scoring (and tell every juror of the round), ``close`` the round, or ``reopen`` a closed one."""
    before, after = TRANSITIONS[action]
    check_state(judging_round, (before,), scoring=after is RoundStatus.OPEN)
    judging_round.status = after
    db.session.flush()
    record(AUDITED[action], judging_round)
    if action == "open":
        tell_jurors(judging_round)


def assign(judging_round: Round) -> service.Outcome:
    """Assign the whole round (``service.run_assignment``) and tell the jurors of an open round about their new
    entries. When some entry cannot get its jurors, nothing is changed (``outcome.complete`` is False)."""
    check_state(judging_round, NOT_CLOSED)
    outcome = service.run_assignment(judging_round)
    if outcome.complete:
        tell_jurors(judging_round, outcome.created)
    return outcome


def reassign(judging_round: Round) -> service.Outcome:
    """Apply every change since the last run (``service.reassign``) and tell the jurors given new entries."""
    outcome = service.reassign(judging_round)
    tell_jurors(judging_round, outcome.created)
    return outcome


def tell_jurors(judging_round: Round, created=None) -> None:
    """Email jurors about new entries (counts and a link, nothing about the entries), once scoring is open.

    ``created``: the new assignments; None tells every juror of the round (when scoring opens).
    """
    if judging_round.status != RoundStatus.OPEN:
        return
    if created is None:
        created = db.session.scalars(select(Assignment).where(Assignment.round_id == judging_round.id)).all()
    new: dict[int, int] = {}
    for a in created:
        new[a.juror_id] = new.get(a.juror_id, 0) + 1
    for juror_id, n in sorted(new.items()):
        juror = db.session.get(User, juror_id)
        total = db.session.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.round_id == judging_round.id, Assignment.juror_id == juror_id))
        mail.send_template(juror.email, "juror_assigned", juror.language, juror=juror, round=judging_round,
                           new=n, total=total, link=public_url("judging.index"))


def send_reminders(judging_round: Round, juror_ids: set[int] | None = None) -> list[JurorProgress]:
    """Remind each juror with unfinished work in the round (None), or those of ``juror_ids`` among them.

    Returns the jurors reminded; the audit event is recorded even when there were none."""
    targets = [jp for jp in round_progress(judging_round).jurors
               if jp.unfinished > 0 and (juror_ids is None or jp.juror.id in juror_ids)]
    for jp in targets:
        juror = jp.juror
        closes = mail.mail_date(judging_round.closes_at, language=juror.language or "en",
                                timezone=juror.timezone or "UTC") if judging_round.closes_at else None
        mail.send_template(juror.email, "juror_reminder", juror.language, timezone=juror.timezone, juror=juror,
                           round=judging_round, assigned=jp.total["assigned"], submitted=jp.total["submitted"],
                           unfinished=jp.unfinished, closes=closes, link=public_url("judging.index"))
    record(AuditAction.REMINDERS_SENT, judging_round, jurors=[jp.juror.id for jp in targets])
    return targets
