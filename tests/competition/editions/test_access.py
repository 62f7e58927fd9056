"""Who reaches the secretariat's pages: a matrix of role × route, generated from the URL map."""
from __future__ import annotations

import pytest
from flask import url_for

from accounts.models import Role
from competition.models import Material, School
from core.db import db
from tests.rows import count
from tests.clients import csrf_token_of

ADMIN_PATH = "/competition/admin/"


@pytest.fixture()
def objects(edition, make_city, make_user):
    city = make_city("Oslo", "NO", schools=["Tøyen skole", "Grünerløkka skole"])
    material = Material(edition=edition, title="Instructions", url="https://example.org/instructions")
    db.session.add(material)
    coordinator = make_user("oslo-coordinator@example.org", roles=(Role.COORDINATOR,), name="Olga Coordinator")
    from competition.models import CityCoordinator

    db.session.add(CityCoordinator(user_id=coordinator.id, city_id=city.id))
    db.session.commit()
    return {"edition_id": edition.id, "city_id": city.id, "school_id": city.schools[0].id,
            "material_id": material.id, "direction": "up", "user_id": coordinator.id}


def admin_routes(app, objects):
    """Every (method, url) under /competition/admin/, with real objects in the URL."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(ADMIN_PATH):
            unknown = rule.arguments - objects.keys()
            assert not unknown, f"add {unknown} to the objects fixture to test {rule.rule}"
            url = url_for(rule.endpoint, **{name: objects[name] for name in rule.arguments})
            routes += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return routes


def test_the_matrix_covers_every_secretariat_page(app, objects):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith(ADMIN_PATH)}
    assert {"competition.admin_editions", "competition.admin_edition_make_current", "competition.admin_cities",
            "competition.admin_school_merge", "competition.admin_material_move"} <= endpoints
    assert len(admin_routes(app, objects)) >= 20


def test_anonymous_visitors_are_sent_to_the_login_page(app, as_role, objects):
    client = as_role(None)
    token = csrf_token_of(client)
    for method, url in admin_routes(app, objects):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert "/account/login" in response.headers["Location"], (method, url)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.JUROR, Role.COORDINATOR])
def test_other_roles_get_not_found_and_change_nothing(app, as_role, objects, role):
    client = as_role(role)
    token = csrf_token_of(client)
    before = (count(School), count(Material))
    for method, url in admin_routes(app, objects):
        response = client.open(url, method=method, data={"csrf_token": token, "merge-target": "1", "active": "0"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert (count(School), count(Material)) == before


def test_the_secretariat_reaches_every_page(app, admin, objects):
    for method, url in admin_routes(app, objects):
        if method == "GET":
            assert admin.get(url).status_code == 200, url


@pytest.mark.parametrize("path", ["/competition/admin/editions/999", "/competition/admin/cities/999",
                                  "/competition/admin/schools/999", "/competition/admin/materials/999",
                                  "/competition/admin/editions/999/materials"])
def test_missing_objects_are_not_found(admin, path):
    assert admin.get(path).status_code == 404


def test_state_changes_refuse_get(admin, objects):
    assert admin.get(f"/competition/admin/editions/{objects['edition_id']}/make-current").status_code == 405
    assert admin.get(f"/competition/admin/materials/{objects['material_id']}/delete").status_code == 405


def test_a_post_without_the_csrf_token_is_refused(admin, objects):
    response = admin.post(f"/competition/admin/materials/{objects['material_id']}/delete")
    assert response.status_code == 400
    assert count(Material) == 1


@pytest.mark.parametrize("path", ["/competition/about", "/"])
def test_the_public_page_is_open_to_everyone(client, edition, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'href="/competition/about"' in response.get_data(as_text=True) or path == "/competition/about"
