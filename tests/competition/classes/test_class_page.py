"""The class page, changing a class, the teacher's dashboard, and who may see or change what."""
from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Role
from competition.models import Entry, SchoolClass
from core.db import db, utcnow
from tests.competition.classes.helpers import text_of
from tests.rows import audit_actions, count

DETAILS = {"name": "6B", "age_group": "5-10", "pupil_count": "24", "language": "en"}


def class_urls(school_class):
    base = f"/competition/classes/{school_class.id}"
    return {"page": base, "edit": base + "/edit", "pupils": base + "/pupils"}


# Who may see and change a class ------------------------------------------------

VIEWERS = {
    "other teacher": ("t2@example.org", (Role.TEACHER,), None),
    "juror": ("juror@example.org", (Role.JUROR,), None),
    "juror and teacher": ("jt@example.org", (Role.JUROR, Role.TEACHER), None),
    "coordinator of another city": ("coord@example.org", (Role.COORDINATOR,), "other"),
}


@pytest.mark.parametrize("who", sorted(VIEWERS))
@pytest.mark.parametrize("route", ["page", "edit", "pupils"])
def test_others_get_not_found(client, sign_in, make_user, own_class, other_city, who, route, post):
    email, roles, city = VIEWERS[who]
    user = make_user(email, roles=roles)
    if city:
        from competition.models import CityCoordinator

        db.session.add(CityCoordinator(user_id=user.id, city_id=other_city.id))
        db.session.commit()
    sign_in(client, user)
    url = class_urls(own_class)[route]
    assert client.get(url).status_code == 404
    if route != "page":
        assert post(url, {**DETAILS, "name": "Hacked"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(SchoolClass, own_class.id).name == "6B"


@pytest.mark.parametrize("route", ["page", "edit", "pupils"])
def test_anonymous_visitors_are_sent_to_log_in(client, own_class, route):
    response = client.get(class_urls(own_class)[route])
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_an_unknown_class_is_not_found(as_teacher):
    assert as_teacher.get("/competition/classes/999999").status_code == 404


@pytest.mark.parametrize("roles", [(Role.SECRETARIAT,), (Role.COORDINATOR,)])
def test_secretariat_and_city_coordinator_see_the_class_read_only(client, sign_in, make_user, own_class, roles, post):
    user = make_user("staff@example.org", roles=roles)
    if Role.COORDINATOR in roles:
        from competition.models import CityCoordinator

        db.session.add(CityCoordinator(user_id=user.id, city_id=own_class.school.city_id))
        db.session.commit()
    sign_in(client, user)
    page = text_of(client.get(class_urls(own_class)["page"]))
    assert "Ana B." in page and "Registered by Tina Teacher" in page
    assert "Change" not in page and "Add or change pupils" not in page
    # The change pages are not theirs: 404, like every page a user may not use (the access matrix allows no 403).
    for route in ("edit", "pupils"):
        assert client.get(class_urls(own_class)[route]).status_code == 404
        assert post(class_urls(own_class)[route], {**DETAILS, "name": "Changed"}).status_code == 404
    assert audit_actions() == []


# The class page ---------------------------------------------------------------

def test_the_class_page_shows_the_class_its_pupils_and_entries(as_teacher, own_class, edition):
    db.session.add(Entry(class_id=own_class.id, category_id=edition.categories[0].id, title="Who I am <b>", language="en"))
    db.session.commit()
    response = as_teacher.get(class_urls(own_class)["page"])
    page = text_of(response)
    for expected in ("Class 6B", "Escola Básica Luís de Camões, Lisbon", "Ages 5–10", "English",
                     "2 of 24 pupils recorded", "Ana B.", "Rui", "Add or change pupils", "Who I am <b>", "Draft"):
        assert expected in page
    assert "Who I am &lt;b&gt;" in response.get_data(as_text=True)


def test_after_the_deadline_the_class_page_is_read_only(as_teacher, own_class, edition, close_deadline):
    close_deadline(edition)
    page = text_of(as_teacher.get(class_urls(own_class)["page"]))
    assert "nothing can be changed any more" in page
    assert "Change" not in page and "Add or change pupils" not in page


# Changing the class -------------------------------------------------------------

def test_teacher_changes_the_class(as_teacher, post, own_class):
    response = post(class_urls(own_class)["edit"], {**DETAILS, "name": "6C", "pupil_count": "20", "language": "fr"})
    assert response.status_code == 302
    db.session.expire_all()
    school_class = db.session.get(SchoolClass, own_class.id)
    assert (school_class.name, school_class.pupil_count, school_class.language) == ("6C", 20, "fr")
    assert audit_actions() == ["class_changed"]


def test_changing_the_age_category_rechecks_the_pupils(as_teacher, post, own_class):
    response = post(class_urls(own_class)["edit"], {**DETAILS, "age_group": "11-18"})
    assert response.status_code == 400
    assert "These pupils are not aged 11 to 18: Ana B. (9), Rui (10)." in text_of(response)
    db.session.expire_all()
    assert db.session.get(SchoolClass, own_class.id).age_group == "5-10"


def test_the_age_category_can_change_when_every_pupil_fits(as_teacher, post, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition, pupils=[("Ana", "", 10)])
    assert post(class_urls(school_class)["edit"], {**DETAILS, "age_group": "11-18"}).status_code == 400
    db.session.get(SchoolClass, school_class.id).pupils[0].age = 11
    db.session.commit()
    db.session.get(SchoolClass, school_class.id).age_group = "11-18"
    db.session.commit()
    assert post(class_urls(school_class)["edit"], {**DETAILS, "age_group": "11-18"}).status_code == 302


def test_the_age_category_cannot_change_under_live_entries(as_teacher, post, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition)
    db.session.add(Entry(class_id=school_class.id, category_id=edition.categories[0].id, title="Poem", language="en"))
    db.session.commit()
    response = post(class_urls(school_class)["edit"], {**DETAILS, "age_group": "11-18"})
    assert response.status_code == 400 and "Withdraw them before changing it." in text_of(response)


@pytest.mark.parametrize("value, message", [
    ("1", "You have recorded 2 pupils. Enter at least 2, or remove pupils first."),
    ("0", "Enter the number of pupils in the class, from 1 to 60."),
    ("61", "Enter the number of pupils in the class, from 1 to 60."),
    ("abc", "Enter the number of pupils in the class, from 1 to 60."),
])
def test_the_number_of_pupils_cannot_drop_below_those_recorded(as_teacher, post, own_class, value, message):
    response = post(class_urls(own_class)["edit"], {**DETAILS, "pupil_count": value, "name": "Renamed"})
    assert response.status_code == 400 and message in text_of(response)
    db.session.expire_all()
    assert db.session.get(SchoolClass, own_class.id).name == "6B", "nothing is half-saved"


def test_the_class_cannot_be_changed_after_the_deadline(as_teacher, post, own_class, edition, close_deadline):
    close_deadline(edition)
    response = post(class_urls(own_class)["edit"], {**DETAILS, "name": "Late"})
    assert response.status_code == 302
    assert "The deadline for this class has passed. Nothing was changed." in text_of(as_teacher.get(response.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(SchoolClass, own_class.id).name == "6B"
    assert audit_actions() == []


# The dashboard ---------------------------------------------------------------------

def test_the_dashboard_lists_the_teachers_classes_with_counts(as_teacher, own_class, make_class, make_user, teacher, city, edition):
    from competition.models import Edition

    db.session.add(Entry(class_id=own_class.id, category_id=edition.categories[0].id, title="Poem", language="en"))
    make_class(teacher, city.schools[1], edition=edition, name="4A", pupil_count=12)
    make_class(make_user("t2@example.org"), city.schools[0], edition=edition, name="Not mine")
    old = Edition(name="Last year", deadline_at=utcnow() - timedelta(days=400), results_on=edition.results_on)
    db.session.add(old)
    db.session.commit()
    make_class(teacher, city.schools[0], edition=old, name="Old class")
    page = text_of(as_teacher.get("/competition/classes/"))
    assert "Register a class" in page
    assert "Class 6B" in page and "2 of 24" in page and "Class 4A" in page and "0 of 12" in page
    assert "Entries 1" in page
    assert "Not mine" not in page and "Old class" not in page
    assert count(SchoolClass) == 4


def test_the_dashboard_invites_a_first_registration(as_teacher, edition):
    page = text_of(as_teacher.get("/competition/classes/"))
    assert "You have not registered a class yet." in page and "Register a class" in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_class_page_renders_in_both_languages(client, sign_in, teacher, own_class, lang):
    teacher.language = lang
    db.session.commit()
    sign_in(client, teacher)
    for url in ("/competition/classes/", "/competition/classes/new", *class_urls(own_class).values()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
