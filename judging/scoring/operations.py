"""Blind scoring: a juror's list, saving drafts, submitting. Operations flush and audit; the request commits once."""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.audit import record
from core.audit_actions import AuditAction
from core.db import db, utcnow
from judging.models import ScoreSet, ScoreStatus, ScoreValue
from judging.scoring.forms import plain


class ScoringRefused(Exception):
    """Scoring is not possible now; ``message`` says why, for the juror."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


ROUND_CLOSED = _l("Scoring for this round is closed, so your scores cannot be changed. Nothing was saved.")
ALREADY_SUBMITTED = _l("You have already submitted your scores for this entry. Submitted scores are final.")

STATUS_TITLES = {
    "not_started": _l("Not started"),
    ScoreStatus.DRAFT: _l("Draft"),
    ScoreStatus.SUBMITTED: _l("Submitted"),
}


_CODE = re.compile(r"[A-Z0-9]{1,16}")


def valid_code(code: str) -> bool:
    """A guess with a NUL byte or a quote never reaches the database."""
    return bool(code) and _CODE.fullmatch(code) is not None


def weighted_total(rubric, values: dict) -> Decimal | None:
    """Weighted mean on the rubric's scale; the weights of the criteria that have a value are normalised."""
    pairs = [(Decimal(c.weight), values[c.key]) for c in rubric.criteria if values.get(c.key) is not None]
    weight = sum((w for w, _ in pairs), Decimal(0))
    if not pairs or weight <= 0:
        return None
    return (sum((w * v for w, v in pairs), Decimal(0)) / weight).quantize(Decimal("0.0001"))


def _require_open(assignment) -> None:
    if not assignment.round.is_open:
        raise ScoringRefused(ROUND_CLOSED)


def _score_set(assignment, rubric) -> ScoreSet:
    """The assignment's score set, created if needed; the unique constraint settles a parallel create."""
    existing = db.session.scalar(select(ScoreSet).where(ScoreSet.assignment_id == assignment.id))
    if existing is not None:
        return existing
    created = ScoreSet(assignment_id=assignment.id, rubric_id=rubric.id, status=ScoreStatus.DRAFT)
    db.session.add(created)
    try:
        db.session.flush()
    except IntegrityError:
        # A parallel request created it first. Nothing else was written yet, so start the transaction afresh.
        db.session.rollback()
        existing = db.session.scalar(select(ScoreSet).where(ScoreSet.assignment_id == assignment.id))
        if existing is None:  # pragma: no cover - the constraint failed for another reason
            raise
        return existing
    record(AuditAction.SCORE_CREATED, created, assignment=assignment.code)
    return created


def _lock_draft(score_set) -> None:
    """Take the row (PostgreSQL waits here for a parallel writer) and refuse if it is no longer a draft."""
    touched = db.session.execute(
        update(ScoreSet).where(ScoreSet.id == score_set.id, ScoreSet.status == ScoreStatus.DRAFT)
        .values(updated_at=utcnow())
        # A draft's row only: no ranking's input, so the rankings' revision token stays (judging/results/inputs.py).
        .execution_options(synchronize_session=False, ranking_inputs_unchanged=True)
    ).rowcount
    if touched != 1:
        raise ScoringRefused(ALREADY_SUBMITTED)
    db.session.refresh(score_set)


def _apply(score_set, rubric, data: dict) -> dict:
    """Write values and comments; return {key: [old, new]} for what changed."""
    changes = {}
    existing = {v.criterion_id: v for v in db.session.scalars(
        select(ScoreValue).where(ScoreValue.score_set_id == score_set.id))}
    for criterion in rubric.criteria:
        value, comment = data["values"].get(criterion.key, (None, ""))
        row = existing.get(criterion.id)
        old_value = row.value if row is not None else None
        old_comment = row.comment if row is not None else ""
        if row is None:
            if value is None and not comment:
                continue
            row = ScoreValue(score_set_id=score_set.id, criterion_id=criterion.id, comment="")
            db.session.add(row)
        if (old_value is None) != (value is None) or (value is not None and Decimal(old_value) != value):
            changes[criterion.key] = [plain(old_value) or None, plain(value) or None]
            row.value = value
        if old_comment != comment:
            changes[f"{criterion.key}.comment"] = [old_comment, comment]
            row.comment = comment
    if score_set.overall_comment != data["overall_comment"]:
        changes["overall_comment"] = [score_set.overall_comment, data["overall_comment"]]
        score_set.overall_comment = data["overall_comment"]
    values = {key: value for key, (value, _comment) in data["values"].items()}
    total = weighted_total(rubric, values)
    if total != score_set.total:
        changes["total"] = [plain(score_set.total) or None, plain(total) or None]
        score_set.total = total
    db.session.flush()
    return changes


def save_draft(assignment, rubric, data: dict) -> ScoreSet | None:
    """Save what the juror typed so far (any criterion may be empty). Returns None when nothing was there to save."""
    _require_open(assignment)
    nothing = all(v is None and not c for v, c in data["values"].values()) and not data["overall_comment"]
    if nothing and assignment.score_set is None:
        return None
    score_set = _score_set(assignment, rubric)
    _lock_draft(score_set)
    changes = _apply(score_set, rubric, data)
    if changes:
        record(AuditAction.SCORE_SAVED, score_set, assignment=assignment.code, changes=changes)
    return score_set


def submit(assignment, rubric, data: dict) -> ScoreSet:
    """Save and submit in one step; the form has already checked that every required criterion has a value.

    The status changes with a conditional UPDATE, so two parallel submits give one submitted set: the second
    finds no draft and is refused (its request rolls back)."""
    _require_open(assignment)
    score_set = _score_set(assignment, rubric)
    _lock_draft(score_set)
    changes = _apply(score_set, rubric, data)
    now = utcnow()
    done = db.session.execute(
        update(ScoreSet).where(ScoreSet.id == score_set.id, ScoreSet.status == ScoreStatus.DRAFT)
        .values(status=ScoreStatus.SUBMITTED, submitted_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:  # pragma: no cover - the row lock above makes this the second line of defence
        raise ScoringRefused(ALREADY_SUBMITTED)
    db.session.refresh(score_set)
    changes["status"] = [ScoreStatus.DRAFT.value, ScoreStatus.SUBMITTED.value]
    record(AuditAction.SCORE_SUBMITTED, score_set, assignment=assignment.code, changes=changes,
           total=plain(score_set.total))
    from judging.results.store import schedule  # the stored ranking is computed again, once per burst of submissions

    schedule(assignment.round_id, assignment.entry.category_id)
    return score_set
