"""The secretariat keeps the list of member cities and tidies their schools."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role
from competition.models import City, School, SchoolClass
from core.audit import AuditEvent
from core.db import db
from tests.rows import audit_actions, count

NEW = "/competition/admin/cities/new"


def test_adding_a_city_is_audited(admin, post):
    response = post(NEW, {"name": "  Lisbon ", "country_code": "PT"})
    assert response.status_code == 302
    city = db.session.scalar(select(City))
    assert (city.name, city.country_code, city.active) == ("Lisbon", "PT", True)
    assert audit_actions() == ["city.created"]


def test_the_same_name_in_another_country_is_a_different_city(admin, post, make_city):
    make_city("Valencia", "ES")
    assert post(NEW, {"name": "Valencia", "country_code": "VE"}).status_code == 302
    assert count(City) == 2


@pytest.mark.parametrize("name,country,message", [
    ("", "PT", "Enter the name of the city."),
    ("x" * 300, "PT", "Enter a name of at most 120 characters."),
    ("<b>Lisbon</b>", "PT", "no &lt; or &gt;"),
    ("Lisbon", "XX", "Choose the country from the list."),
    ("Lisbon", "EU", "Choose the country from the list."),
    ("Lisbon", "", "Choose the country from the list."),
    ("Porto", "PT", "Porto is already in the list of cities for this country."),
    ("PORTO", "PT", "PORTO is already in the list of cities for this country."),
    ("Malmo\u0308", "SE", "Malmö is already in the list of cities for this country."),  # a combining accent
])
def test_a_bad_city_is_explained_and_not_saved(admin, post, make_city, name, country, message):
    make_city("Porto", "PT")
    make_city("Malmö", "SE")
    response = post(NEW, {"name": name, "country_code": country})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert "<b>Lisbon" not in html
    assert count(City) == 2 and audit_actions() == []


def test_renaming_a_city_onto_another_is_refused(admin, post, make_city):
    make_city("Porto", "PT")
    lisbon = make_city("Lisbon", "PT")
    response = post(f"/competition/admin/cities/{lisbon.id}", {"name": "Porto", "country_code": "PT"})
    html = response.get_data(as_text=True)
    assert "Porto is already in the list" in html
    db.session.expire_all()
    assert db.session.get(City, lisbon.id).name == "Lisbon"


def test_editing_a_city_keeps_its_own_name_free(admin, post, make_city):
    city = make_city("Oslo", "NO")
    url = f"/competition/admin/cities/{city.id}"
    assert post(url, {"name": "Oslo", "country_code": "NO"}).status_code == 302
    assert post(url, {"name": "Oslo kommune", "country_code": "NO"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(City, city.id).name == "Oslo kommune"
    assert audit_actions() == ["city.updated"]


@pytest.mark.parametrize("language,country", [("en", "Germany"), ("fr", "Allemagne")])
def test_countries_are_named_in_the_viewers_language(as_role, make_city, language, country):
    make_city("Berlin", "DE")
    client = as_role(Role.SECRETARIAT, language=language)
    html = client.get("/competition/admin/cities").get_data(as_text=True)
    assert f"<td>{country}</td>" in html
    assert f'<option value="DE">{country}</option>' in client.get(NEW).get_data(as_text=True)


def test_deactivating_and_reactivating_a_city(admin, post, make_city):
    city = make_city("Rijeka", "HR")
    post(f"/competition/admin/cities/{city.id}/active", {"active": "0"})
    db.session.expire_all()
    assert not db.session.get(City, city.id).active
    post(f"/competition/admin/cities/{city.id}/active", {"active": "0"})  # a second click changes nothing
    post(f"/competition/admin/cities/{city.id}/active", {"active": "1"})
    db.session.expire_all()
    assert db.session.get(City, city.id).active
    assert audit_actions() == ["city.deactivated", "city.activated"]
    assert post(f"/competition/admin/cities/{city.id}/active", {"active": "maybe"}).status_code == 400


@pytest.fixture()
def classes(app, edition, make_city, make_user):
    """Lisbon with a school and its duplicate (two classes in the duplicate); Porto with one school."""
    lisbon = make_city("Lisbon", "PT", schools=["Escola Camões", "Escola Camoes"])
    porto = make_city("Porto", "PT", schools=["Escola do Porto"])
    teacher = make_user()
    keep, duplicate = sorted(lisbon.schools, key=lambda s: s.name != "Escola Camões")
    for name in ("4A", "4B"):
        db.session.add(SchoolClass(edition=edition, school=duplicate, teacher_id=teacher.id, name=name,
                                   age_group="5-10", pupil_count=20, language="pt"))
    db.session.commit()
    return keep, duplicate, porto.schools[0]


def test_the_city_page_lists_schools_with_their_classes(admin, classes):
    keep, duplicate, _other = classes
    html = admin.get(f"/competition/admin/cities/{keep.city_id}").get_data(as_text=True)
    assert "<td>Escola Camoes</td>\n                <td>2</td>" in html
    assert "<td>Escola Camões</td>\n                <td>0</td>" in html


def test_merging_a_duplicate_school_moves_its_classes(admin, post, classes):
    keep, duplicate, _other = classes
    duplicate_id = duplicate.id
    response = post(f"/competition/admin/schools/{duplicate_id}/merge", {"merge-target": str(keep.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(School, duplicate_id) is None
    assert {c.school_id for c in db.session.scalars(select(SchoolClass))} == {keep.id}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "school.merged"))
    assert event.object_id == keep.id
    assert event.details == {"classes_moved": 2, "merged_school_id": duplicate_id,
                             "merged_school_name": "Escola Camoes"}


@pytest.mark.parametrize("target", ["other_city", "itself", "missing", ""])
def test_merging_only_into_another_school_of_the_same_city(admin, post, classes, target):
    keep, duplicate, other = classes
    value = {"other_city": str(other.id), "itself": str(duplicate.id), "missing": "9999", "": ""}[target]
    response = post(f"/competition/admin/schools/{duplicate.id}/merge", {"merge-target": value})
    assert response.status_code == 200
    assert "Choose the school to keep, from the same city." in response.get_data(as_text=True)
    assert count(School) == 3 and audit_actions() == []


def test_renaming_a_school(admin, post, classes):
    keep, _duplicate, _other = classes
    response = post(f"/competition/admin/schools/{keep.id}", {"rename-name": "Escola Básica Luís de Camões"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(School, keep.id).name == "Escola Básica Luís de Camões"
    assert audit_actions() == ["school.renamed"]


@pytest.mark.parametrize("name,message", [
    ("", "Enter the name of the school."),
    ("x" * 300, "Enter a name of at most 200 characters."),
    ("<img src=x onerror=alert(1)>", "no &lt; or &gt;"),
    ("escola camoes", "Lisbon already has a school called escola camoes."),
])
def test_a_bad_school_name_is_explained_and_not_saved(admin, post, classes, name, message):
    keep, _duplicate, _other = classes
    response = post(f"/competition/admin/schools/{keep.id}", {"rename-name": name})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "<img src=x" not in html
    db.session.expire_all()
    assert db.session.get(School, keep.id).name == "Escola Camões"
