"""The secretariat names city coordinators, who then see their city's entries."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import Role, User
from competition.models import CityCoordinator
from core.db import db


def cities_of(email: str) -> list[int]:
    user = User.by_email(email)
    return list(db.session.scalars(select(CityCoordinator.city_id).where(CityCoordinator.user_id == user.id)))
from tests.competition.entries.test_secretariat import client_for


def test_secretariat_adds_and_removes_a_coordinator(app, make_user, school_class):
    make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sofia Sec")
    make_user("coord@example.org", roles=(Role.COORDINATOR,), name="Carla Coord")
    make_user("plain@example.org", roles=(Role.TEACHER,), name="Not A Coordinator")
    city_id = school_class.school.city_id
    sec = client_for(app, "sec@example.org")
    refused = sec.post(f"/competition/admin/cities/{city_id}/coordinators",
                       data={"email": "plain@example.org", "csrf_token": sec.token}, follow_redirects=True)
    assert "No account with the city coordinator role" in refused.get_data(as_text=True)
    sec.post(f"/competition/admin/cities/{city_id}/coordinators", data={"email": "coord@example.org", "csrf_token": sec.token})
    db.session.expire_all()
    coordinator = User.by_email("coord@example.org")
    assert cities_of("coord@example.org") == [city_id]
    assert cities_of("plain@example.org") == []
    page = sec.get(f"/competition/admin/cities/{city_id}").get_data(as_text=True)
    assert "Carla Coord" in page
    assert client_for(app, "coord@example.org").get(f"/competition/classes/{school_class.id}").status_code == 200
    sec.post(f"/competition/admin/cities/{city_id}/coordinators/{coordinator.id}/remove", data={"csrf_token": sec.token})
    db.session.expire_all()
    assert cities_of("coord@example.org") == []


def test_teachers_cannot_name_coordinators(client, login, school_class, make_user):
    make_user("coord@example.org", roles=(Role.COORDINATOR,), name="Carla Coord")
    login()
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(f"/competition/admin/cities/{school_class.school.city_id}/coordinators",
                           data={"email": "coord@example.org", "csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert cities_of("coord@example.org") == []
