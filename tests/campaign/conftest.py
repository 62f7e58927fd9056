"""Fixtures for the campaign: a current edition, two cities, their coordinators (the test data: submissions.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts.models import Role
from competition.models.places import CityCoordinator
from core.db import db, utcnow


@pytest.fixture()
def edition(app):
    from competition.models import Edition

    edition = Edition(name="More than migrants", theme="Identity", deadline_at=utcnow() + timedelta(days=3),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr"],
                      is_current=True, campaign_page_on=date.today() - timedelta(days=1))  # the page is open
    db.session.add(edition)
    db.session.commit()
    return edition


@pytest.fixture()
def cities(app):
    from competition.models import City

    lisbon, lyon = City(name="Lisbon", country_code="PT"), City(name="Lyon", country_code="FR")
    db.session.add_all([lisbon, lyon])
    db.session.commit()
    return lisbon, lyon


@pytest.fixture()
def coordinator(make_user, cities):
    user = make_user("coordinator@example.org", roles=(Role.COORDINATOR,), name="Carla Coordinator")
    db.session.add(CityCoordinator(user_id=user.id, city_id=cities[0].id))
    db.session.commit()
    return user


@pytest.fixture()
def other_coordinator(make_user, cities):
    user = make_user("lyon@example.org", roles=(Role.COORDINATOR,), name="Louis Lyon", language="fr")
    db.session.add(CityCoordinator(user_id=user.id, city_id=cities[1].id))
    db.session.commit()
    return user


@pytest.fixture()
def signed_in_coordinator(client, sign_in, coordinator, edition):
    sign_in(client, coordinator)
    return coordinator
