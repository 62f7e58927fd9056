"""Scored rounds for the results tests: entries, jurors of known severity, submitted score sets."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounts.models import Role
from core.db import db, utcnow


@pytest.fixture()
def secretariat(make_user):
    return make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia Secretariat")


@pytest.fixture()
def as_secretariat(client, sign_in, secretariat):
    return sign_in(client, secretariat)


def add_scores(assignment, values: dict, status="submitted", comment=""):
    """Give an assignment a score set: ``values`` maps criterion key to a number."""
    from judging.models import Criterion, Rubric, ScoreSet, ScoreValue

    rubric = db.session.scalar(select(Rubric).where(Rubric.category_id == assignment.entry.category_id,
                                                    Rubric.is_current.is_(True)))
    criteria = {c.key: c for c in db.session.scalars(select(Criterion).where(Criterion.rubric_id == rubric.id))}
    score_set = ScoreSet(assignment=assignment, rubric_id=rubric.id, status=status, overall_comment=comment,
                         submitted_at=utcnow() if status == "submitted" else None)
    score_set.values = [ScoreValue(criterion_id=criteria[k].id, value=Decimal(str(v)), comment=f"On {k}.")
                        for k, v in values.items()]
    db.session.add(score_set)
    return score_set


@pytest.fixture()
def scored(app, make_entries, make_juror, round1):
    """``scored(n, jurors=4, k=3, severities=None)``: n poems, each scored by k jurors (all submitted)."""
    from judging.models import Assignment

    def _scored(n=10, jurors=4, k=3, severities=None, seed=1, discipline="poem"):
        rng = random.Random(seed)
        entries = make_entries(n, discipline=discipline)
        people = [make_juror(f"juror{j}-{discipline}@example.org", name=f"Juror {j}") for j in range(jurors)]
        severities = severities or [0] * jurors
        quality = {e.id: rng.uniform(3, 9) for e in entries}
        for i, entry in enumerate(entries):
            for j in range(k):
                juror_no = (i + j) % jurors
                a = Assignment(round=round1, entry=entry, juror=people[juror_no], position=i)
                db.session.add(a)
                base = quality[entry.id] + severities[juror_no]
                add_scores(a, {key: max(0, min(10, round(base + rng.uniform(-1, 1))))
                               for key in ("relevance", "originality", "expression", "impression")})
        db.session.commit()
        return entries, people

    return _scored
