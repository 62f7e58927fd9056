"""Factories for the class pages: an open edition, cities with schools, teachers and their classes."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.db import db, utcnow


@pytest.fixture()
def edition(app):
    from competition.models import AgeGroup, Category, Discipline, Edition

    edition = Edition(name="More than migrants", deadline_at=utcnow() + timedelta(days=10),
                      results_on=date.today() + timedelta(days=30), languages=["en", "fr", "pt"], is_current=True)
    for group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(Category(age_group=group.value, discipline=discipline.value))
    db.session.add(edition)
    db.session.commit()
    return edition


@pytest.fixture()
def make_city(app):
    from competition.models import City, School

    def _make(name="Lisbon", country="PT", schools=("Escola Básica Luís de Camões", "Escola do Restelo"), active=True):
        city = City(name=name, country_code=country, active=active)
        city.schools = [School(name=school) for school in schools]
        db.session.add(city)
        db.session.commit()
        return city

    return _make


@pytest.fixture()
def city(make_city):
    return make_city()


@pytest.fixture()
def other_city(make_city):
    return make_city("Strasbourg", "FR", ("École du Neudorf",))


@pytest.fixture()
def teacher(make_user):
    return make_user("teacher@example.org", name="Tina Teacher")


@pytest.fixture()
def as_teacher(client, sign_in, teacher):
    sign_in(client, teacher)
    return client


@pytest.fixture()
def make_class(app):
    from competition.models import Pupil, SchoolClass

    def _make(teacher, school, *, edition, name="6B", age_group="5-10", pupil_count=24, language="en", pupils=()):
        school_class = SchoolClass(edition_id=edition.id, school_id=school.id, teacher_id=teacher.id, name=name,
                                   age_group=age_group, pupil_count=pupil_count, language=language)
        school_class.pupils = [Pupil(first_name=first, initial=initial, age=age) for first, initial, age in pupils]
        db.session.add(school_class)
        db.session.commit()
        return school_class

    return _make


@pytest.fixture()
def own_class(make_class, teacher, city, edition):
    return make_class(teacher, city.schools[0], edition=edition, pupils=[("Ana", "B", 9), ("Rui", "", 10)])


@pytest.fixture()
def close_deadline(app):
    """Move a deadline (of an edition, or a class's extension) into the past."""

    def _close(edition):
        edition.deadline_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    return _close
