"""Helpers for the round, assignment and conflict tests."""
from __future__ import annotations

import pytest

from accounts.models import Role
from core.db import db


@pytest.fixture()
def secretariat(make_user, client, sign_in):
    user = make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sam Secretariat")
    sign_in(client, user)
    return user


@pytest.fixture()
def jurors(make_juror):
    """``jurors(n, languages=..., prefix=...)``: n jurors with profiles, named Juror 1..n."""

    def _make(n, languages=["en", "fr"], prefix="j", **kwargs):
        return [make_juror(f"{prefix}{i}@example.org", name=f"Juror {prefix.upper()}{i}", languages=languages, **kwargs)
                for i in range(1, n + 1)]

    return _make


@pytest.fixture()
def score(app):
    """``score(assignment, status)`` gives the assignment a score set (draft or submitted)."""
    from judging.models import ScoreSet
    from judging.rubrics.defaults import current_rubric

    def _score(assignment, status="submitted"):
        rubric = current_rubric(assignment.entry.category)
        db.session.add(ScoreSet(assignment_id=assignment.id, rubric_id=rubric.id, status=status))
        db.session.commit()

    return _score
