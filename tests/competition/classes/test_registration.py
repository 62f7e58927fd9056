"""Registering a class: the city, then the school (or a new one), then the class itself."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from accounts.models import Role
from competition.models import School, SchoolClass
from core.db import db
from tests.competition.classes.helpers import text_of
from tests.rows import audit_actions, count

CLASS = {"name": "6B", "age_group": "5-10", "pupil_count": "24", "language": "pt"}


def details_url(city, **school):
    query = "&".join(f"{key}={value}" for key, value in school.items())
    return f"/competition/classes/new/details?city={city.id}&{query}"


def query_of(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def test_teacher_registers_a_class_at_an_existing_school(as_teacher, post, edition, city, teacher):
    school = city.schools[1]
    step1 = post("/competition/classes/new", {"city": str(city.id)})
    assert step1.status_code == 302 and query_of(step1) == {"city": str(city.id)}
    page = as_teacher.get(step1.headers["Location"])
    assert school.name in text_of(page) and "My school is not in the list" in text_of(page)
    step2 = post(step1.headers["Location"], {"school": str(school.id)})
    assert query_of(step2) == {"city": str(city.id), "school": str(school.id)}
    assert school.name in text_of(as_teacher.get(step2.headers["Location"]))
    done = post(step2.headers["Location"], CLASS)
    assert done.status_code == 302
    school_class = db.session.scalar(select(SchoolClass))
    assert (school_class.school_id, school_class.teacher_id, school_class.edition_id) == (school.id, teacher.id, edition.id)
    assert (school_class.name, school_class.age_group, school_class.pupil_count, school_class.language) == ("6B", "5-10", 24, "pt")
    assert done.headers["Location"].endswith(f"/competition/classes/{school_class.id}")
    assert audit_actions() == ["class_created"]


def test_teacher_adds_a_new_school_to_the_city(as_teacher, post, edition, city, teacher):
    step2 = post(f"/competition/classes/new/school?city={city.id}", {"school": "new", "school_name": "  Escola   Nova "})
    assert query_of(step2) == {"city": str(city.id), "school_name": "Escola Nova"}
    assert count(School) == 2, "nothing is saved before the last step"
    assert post(step2.headers["Location"], CLASS).status_code == 302
    school = db.session.scalar(select(School).where(School.name == "Escola Nova"))
    assert school.city_id == city.id and school.created_by_id == teacher.id
    assert db.session.scalar(select(SchoolClass)).school_id == school.id
    assert audit_actions() == ["school_created", "class_created"]


@pytest.mark.parametrize("typed", ["escola do restelo", "ESCOLA DO RESTELO ", "Escola  do Restelo"])
def test_a_school_typed_again_is_reused_not_duplicated(as_teacher, post, edition, city, typed):
    step2 = post(f"/competition/classes/new/school?city={city.id}", {"school": "new", "school_name": typed})
    assert query_of(step2)["school"] == str(city.schools[1].id)
    # Even typed straight into the last step's address, the existing school is used.
    assert post(details_url(city, school_name=typed), CLASS).status_code == 302
    assert count(School) == 2
    assert db.session.scalar(select(SchoolClass)).school_id == city.schools[1].id


def test_two_teachers_adding_the_same_school_at_once_share_it(as_teacher, post, edition, city, monkeypatch):
    from competition.classes import operations as class_operations

    # The other teacher's school is committed between our look-up and our insert.
    db.session.add(School(city_id=city.id, name="Escola Nova"))
    db.session.commit()
    monkeypatch.setattr(class_operations, "school_named", lambda *args: None)
    assert post(details_url(city, school_name="Escola Nova"), CLASS).status_code == 302
    assert count(School) == 3
    school = db.session.scalar(select(School).where(School.name == "Escola Nova"))
    assert db.session.scalar(select(SchoolClass)).school_id == school.id
    assert "school_created" not in audit_actions()


def test_the_city_list_holds_active_cities_only(as_teacher, edition, city, make_city):
    make_city("Closedtown", "DE", (), active=False)
    page = text_of(as_teacher.get("/competition/classes/new"))
    assert "Lisbon, Portugal" in page and "Closedtown" not in page


@pytest.mark.parametrize("city_value", ["", "999999", "abc", "inactive"])
def test_a_missing_unknown_or_inactive_city_is_refused(as_teacher, post, edition, city, make_city, city_value):
    if city_value == "inactive":
        city_value = str(make_city("Closedtown", "DE", ("Schule",), active=False).id)
    step1 = post("/competition/classes/new", {"city": city_value})
    assert step1.status_code == 400
    assert "Choose the city of your school from the list." in text_of(step1)
    for url in (f"/competition/classes/new/school?city={city_value}", f"{details_url(city, school=1)}".replace(
            f"city={city.id}", f"city={city_value}")):
        response = post(url, CLASS)
        assert response.status_code == 302 and response.headers["Location"].endswith("/competition/classes/new")
    assert count(SchoolClass) == 0


def test_a_school_of_another_city_is_refused(as_teacher, post, edition, city, other_city):
    foreign = other_city.schools[0]
    step2 = post(f"/competition/classes/new/school?city={city.id}", {"school": str(foreign.id)})
    assert step2.status_code == 400 and "Choose your school from the list." in text_of(step2)
    step3 = post(details_url(city, school=foreign.id), CLASS)
    assert step3.status_code == 302 and f"/new/school?city={city.id}" in step3.headers["Location"]
    assert count(SchoolClass) == 0


@pytest.mark.parametrize("data, message", [
    ({}, "Choose your school, or choose “My school is not in the list” and type its name."),
    ({"school": "new"}, "Enter the name of your school."),
    ({"school": "new", "school_name": "S" * 201}, "Enter a school name of at most 200 characters."),
    ({"school": "new", "school_name": "<script>alert(1)</script>"}, "no < or >"),
    ({"school": "new", "school_name": "Escola\x00Nova"}, "no control characters"),
])
def test_bad_school_answers_are_explained(as_teacher, post, edition, city, data, message):
    response = post(f"/competition/classes/new/school?city={city.id}", data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert count(School) == 2


def test_a_bad_school_name_in_the_address_sends_back_to_the_school_step(as_teacher, post, edition, city):
    response = post(details_url(city, school_name="S" * 201), CLASS)
    assert response.status_code == 302 and "/new/school" in response.headers["Location"]
    assert (count(School), count(SchoolClass)) == (2, 0)


@pytest.mark.parametrize("changes, message", [
    ({"pupil_count": "0"}, "Enter the number of pupils in the class, from 1 to 60."),
    ({"pupil_count": "61"}, "Enter the number of pupils in the class, from 1 to 60."),
    ({"pupil_count": "abc"}, "Enter the number of pupils in the class, from 1 to 60."),
    ({"pupil_count": ""}, "Enter the number of pupils in the class, from 1 to 60."),
    ({"name": ""}, "Enter the name of the class, like 6B."),
    ({"name": "6" * 81}, "Enter a class name of at most 80 characters."),
    ({"name": "<script>alert(1)</script>"}, "no < or >"),
    ({"name": "6\x00B"}, "no control characters"),
    ({"age_group": "3-4"}, "Choose the age category of the class."),
    ({"language": "de"}, "Choose the language the pupils will write in."),
])
def test_bad_class_details_are_explained_and_nothing_is_saved(as_teacher, post, edition, city, changes, message):
    response = post(details_url(city, school_name="Escola Nova"), {**CLASS, **changes})
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert (count(School), count(SchoolClass)) == (2, 0), "no school is added when the class is refused"


def test_class_names_with_markup_like_characters_are_escaped_on_every_page(as_teacher, post, edition, city):
    name = "6\"B & 'C'"
    response = post(details_url(city, school=city.schools[0].id), {**CLASS, "name": name})
    school_class = db.session.scalar(select(SchoolClass))
    assert school_class.name == name
    for url in (response.headers["Location"], "/competition/classes/"):
        raw = as_teacher.get(url).get_data(as_text=True)
        assert "6&#34;B &amp; &#39;C&#39;" in raw and name not in raw


def test_registration_after_the_deadline_is_refused_with_a_message(as_teacher, post, edition, city, close_deadline):
    close_deadline(edition)
    for url in ("/competition/classes/new", f"/competition/classes/new/school?city={city.id}", details_url(city, school=city.schools[0].id)):
        assert "Registration is closed" in text_of(as_teacher.get(url))
        response = post(url, {**CLASS, "city": str(city.id), "school": str(city.schools[0].id)})
        assert "Registration is closed" in text_of(response) and "Nothing was saved" in text_of(response)
    assert count(SchoolClass) == 0
    dashboard = text_of(as_teacher.get("/competition/classes/"))
    assert "Registration of new classes closed on" in dashboard and "Register a class" not in dashboard


def test_registration_without_a_current_edition_says_so(as_teacher, city):
    assert "No edition of the competition is open" in text_of(as_teacher.get("/competition/classes/new"))


def test_a_teacher_may_register_several_classes(as_teacher, post, edition, city):
    for name in ("6A", "6B", "7C"):
        assert post(details_url(city, school=city.schools[0].id), {**CLASS, "name": name}).status_code == 302
    assert count(SchoolClass) == 3


def test_a_registration_sent_twice_leads_to_the_first_class(as_teacher, post, edition, city, make_user, make_class):
    first = post(details_url(city, school=city.schools[0].id), CLASS)
    again = post(details_url(city, school=city.schools[0].id), {**CLASS, "name": " 6b "})
    assert again.headers["Location"] == first.headers["Location"]
    assert "You have already registered class 6B at this school." in text_of(as_teacher.get(again.headers["Location"]))
    # Another teacher's 6B at the same school, or ours at another school, is a different class.
    make_class(make_user("t2@example.org"), city.schools[0], edition=edition, name="6B")
    assert post(details_url(city, school=city.schools[1].id), CLASS).headers["Location"] != first.headers["Location"]
    assert count(SchoolClass) == 3 and audit_actions().count("class_created") == 2


def test_the_last_city_and_school_are_suggested_again(as_teacher, edition, city, own_class):
    page = as_teacher.get("/competition/classes/new").get_data(as_text=True)
    assert f'<option selected value="{city.id}">' in page
    page = as_teacher.get(f"/competition/classes/new/school?city={city.id}").get_data(as_text=True)
    assert f'checked id="school-0" name="school" type="radio" value="{own_class.school_id}"' in page


@pytest.mark.parametrize("roles", [(Role.JUROR,), (Role.SECRETARIAT,), (Role.COORDINATOR,)])
def test_only_teachers_can_register_classes(client, sign_in, make_user, edition, city, roles, post):
    sign_in(client, make_user("other@example.org", roles=roles))
    for url in ("/competition/classes/", "/competition/classes/new", f"/competition/classes/new/school?city={city.id}"):
        assert client.get(url).status_code == 404
    assert post(details_url(city, school=city.schools[0].id), CLASS).status_code == 404
    assert count(SchoolClass) == 0


def test_anonymous_visitors_are_sent_to_log_in(client, edition, city):
    for url in ("/competition/classes/", "/competition/classes/new", details_url(city, school=1)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
