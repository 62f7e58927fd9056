"""The same crawl as test_identity_leak, logged in as each demo juror, against the whole demo.

Every pupil's first name, every teacher's full name and first name, every school, class and member city of
the classes in the demo's current edition (the one being judged) must be absent from everything each demo
juror can reach. Last year's edition is published: its public gallery credits its own classes, from other cities.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from tests.judging import test_identity_leak as leak


@pytest.fixture()
def demo_needles(app, monkeypatch):
    from competition.models import Edition, Entry, SchoolClass
    from demo.build import load_demo

    load_demo("demo password for tests")
    db.session.commit()
    classes = db.session.scalars(select(SchoolClass).join(Entry).where(
        SchoolClass.edition_id == Edition.current().id).distinct()).all()
    names = set()
    for school_class in classes:
        names.update(p.first_name for p in school_class.pupils)
        names.update({school_class.teacher.name, school_class.teacher.name.split()[0], school_class.school.name,
                      school_class.name, school_class.school.city.name})
    folded = sorted({leak.fold(n) for n in names})
    monkeypatch.setattr(leak, "needles", lambda: folded)
    return folded


def test_no_identity_reaches_any_demo_juror(app, demo_needles, sign_in):
    from judging.models import Assignment, Round

    jurors = [u for u in db.session.scalars(select(User).order_by(User.email)) if u.has_role(Role.JUROR)]
    assert len(jurors) == 7 and "lisbon" in demo_needles and "amira" in demo_needles
    for user in jurors:
        client = sign_in(app.test_client(), user)
        codes = set(db.session.scalars(select(Assignment.code).join(Round).where(
            Assignment.juror_id == user.id, Round.status == "open")))  # last year's closed round is not listed
        assert codes, user.email
        seen = leak.crawl(client, codes, other_roles=len(user.role_set) > 1)
        assert all(seen[f"/judging/entries/{code}"] == 200 for code in codes), user.email
