"""Fixtures for the secretariat's pages: signed-in clients by role, editions, cities and form data."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from accounts.models import Role
from core.db import db

UTC = timezone.utc


@pytest.fixture()
def as_role(app, make_user, sign_in):
    """A new client signed in with one role (or anonymous for None)."""

    def _as(role: Role | None, **user):
        client = app.test_client()
        if role is not None:
            sign_in(client, make_user(f"{role.value}@example.org", roles=(role,), **user))
        return client

    return _as


@pytest.fixture()
def admin(client, secretariat, sign_in):
    return sign_in(client, secretariat)


@pytest.fixture()
def make_edition(app):
    from competition.models import AgeGroup, Category, Discipline, Edition

    def _make(name="More than migrants", deadline=datetime(2026, 11, 19, 22, 59, tzinfo=UTC), current=True,
              results_on=date(2026, 12, 6), **values):
        edition = Edition(name=name, theme=values.pop("theme", "What defines you?"), deadline_at=deadline,
                          deadline_timezone="Europe/Paris", results_on=results_on, is_current=current, **values)
        for age in AgeGroup:
            for discipline in Discipline:
                edition.categories.append(Category(age_group=age.value, discipline=discipline.value))
        db.session.add(edition)
        db.session.commit()
        return edition

    return _make


@pytest.fixture()
def edition(make_edition):
    return make_edition()


@pytest.fixture()
def make_city(app):
    from competition.models import City, School

    def _make(name="Lisbon", country="PT", schools=()):
        city = City(name=name, country_code=country)
        city.schools = [School(name=school) for school in schools]
        db.session.add(city)
        db.session.commit()
        return city

    return _make
