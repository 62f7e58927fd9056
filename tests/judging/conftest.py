"""Factories for judging tests: submitted entries, jurors with profiles, a round, assignments, rubrics."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts.models import Role
from core.db import db, utcnow

NAMES = {
    "pupils": [("Amira", "K", 12), ("Tiago", "S", 13), ("Lina", "B", 14)],
    "teacher": "Tina Marquez",
    "school": "Escola Básica Camões",
    "class": "6B",
    "city": "Lisbon",
}


@pytest.fixture()
def edition(app):
    from competition.models import AgeGroup, Category, Discipline, Edition

    edition = Edition(name="More than migrants", theme="Identity", deadline_at=utcnow() - timedelta(days=1),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr", "pt"], is_current=True)
    for group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(Category(age_group=group.value, discipline=discipline.value))
    db.session.add(edition)
    db.session.commit()
    return edition


def category_of(edition, age_group="11-18", discipline="poem"):
    return next(c for c in edition.categories if c.age_group == age_group and c.discipline == discipline)


@pytest.fixture()
def make_entries(app, edition, make_user):
    """``make_entries(n, discipline=..., language=...)``: n submitted entries in one class, with identifying names."""
    from competition.models import City, Entry, Pupil, School, SchoolClass

    state = {}

    def _make(n=3, age_group="11-18", discipline="poem", language="en", city_name=NAMES["city"]):
        if "class" not in state:
            teacher = make_user("teacher@example.org", roles=(Role.TEACHER,), name=NAMES["teacher"])
            city = City(name=city_name, country_code="PT")
            school = School(name=NAMES["school"], city=city)
            school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=NAMES["class"],
                                       age_group=age_group, pupil_count=25, language=language)
            school_class.pupils = [Pupil(first_name=f, initial=i, age=a) for f, i, a in NAMES["pupils"]]
            db.session.add(school_class)
            state["class"] = school_class
        category = category_of(edition, age_group, discipline)
        entries = []
        for i in range(n):
            entry = Entry(school_class=state["class"], category=category, title=f"Poem number {i + 1}", language=language,
                          text=f"I am many things.\nLine two of poem {i + 1}.", status="submitted",
                          submitted_at=utcnow() - timedelta(days=2), consent_judging=True, whole_class=True)
            db.session.add(entry)
            entries.append(entry)
        db.session.commit()
        return entries

    return _make


@pytest.fixture()
def make_juror(app, make_user):
    from judging.models import JurorProfile

    def _make(email="juror@example.org", name="Jonas Juror", languages=["en", "fr"], cap=40, final=False, city=None):
        user = make_user(email, roles=(Role.JUROR,), name=name)
        db.session.add(JurorProfile(user_id=user.id, languages=languages, max_entries=cap, final_jury=final,
                                    city_id=city.id if city is not None else None))
        db.session.commit()
        return user

    return _make


@pytest.fixture()
def round1(app, edition):
    from judging.models import Round
    from judging.rubrics.defaults import ensure_rubrics

    ensure_rubrics(edition)
    judging_round = Round(edition=edition, number=1, name="Round 1", jurors_per_entry=3, status="open")
    db.session.add(judging_round)
    db.session.commit()
    return judging_round


@pytest.fixture()
def assign(app):
    """``assign(round, entry, juror)`` creates one assignment directly (not through the algorithm)."""
    from judging.models import Assignment

    def _assign(judging_round, entry, juror, position=0):
        assignment = Assignment(round=judging_round, entry=entry, juror=juror, position=position)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    return _assign
