"""Fixtures and helpers that more than one test folder uses, in one pytest plugin.

tests/conftest.py registers this module in ``pytest_plugins``, so its fixtures are found by name in every
folder and no test imports fixtures from another folder's conftest. Its helpers (plain functions and
constants) are imported from here. Fixtures that only the judging tests share are in tests/judging/conftest.py.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from accounts.models import Role
from core.db import db, utcnow

# The names that identify the makers of the judging tests' entries (tests/judging/conftest.py:make_entries).
NAMES = {
    "pupils": [("Amira", "K", 12), ("Tiago", "S", 13), ("Lina", "B", 14)],
    "teacher": "Tina Marquez",
    "school": "Escola Básica Camões",
    "class": "6B",
    "city": "Lisbon",
}


def category_of(edition, age_group="11-18", discipline="poem"):
    return next(c for c in edition.categories if c.age_group == age_group and c.discipline == discipline)


def token_of(client, url) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


GOOD = {"score_relevance": "8", "score_originality": "7", "score_expression": "6", "score_impression": "9"}


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


def jpeg_bytes(size=(640, 480), color=(200, 30, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def score_sets():
    from judging.models import ScoreSet

    db.session.expire_all()
    return list(db.session.scalars(select(ScoreSet)))


@pytest.fixture()
def secretariat(make_user):
    """A secretariat member, not signed in (folders that want one signed in override this)."""
    return make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sam Secretariat")
