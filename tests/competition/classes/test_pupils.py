"""Recording pupils: first name, optional initial, age; checked against the class's age category and size."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from competition.models import Pupil
from core.db import db
from tests.competition.classes.helpers import text_of
from tests.rows import audit_actions, count


def rows(*pupils, start=0):
    """Form data for pupil rows: (first name, initial, age[, pupil id[, remove]])."""
    data = {}
    for index, pupil in enumerate(pupils, start=start):
        first, initial, age, *rest = pupil
        data.update({f"pupils-{index}-first_name": first, f"pupils-{index}-initial": initial,
                     f"pupils-{index}-age": str(age)})
        if rest:
            data[f"pupils-{index}-pupil_id"] = str(rest[0])
        if len(rest) > 1 and rest[1]:
            data[f"pupils-{index}-remove"] = "y"
    return data


def names_and_ages(school_class):
    db.session.expire_all()
    return [(p.first_name, p.initial, p.age) for p in db.session.scalars(
        select(Pupil).where(Pupil.class_id == school_class.id).order_by(Pupil.id))]


def as_sent(school_class, *new):
    """What a browser sends: a row for each recorded pupil, unchanged, then the new rows."""
    return rows(*[(p.first_name, p.initial, p.age, p.id) for p in school_class.pupils], *new)


@pytest.fixture()
def url(own_class):
    return f"/competition/classes/{own_class.id}/pupils"


def test_the_form_shows_existing_pupils_and_empty_rows(as_teacher, url, own_class):
    page = as_teacher.get(url).get_data(as_text=True)
    assert 'value="Ana"' in page and 'value="Rui"' in page
    assert 'name="pupils-2-first_name"' in page and 'name="pupils-3-first_name"' not in page
    # Nothing more is asked than a first name, an initial and an age: no surname, birth date or address.
    assert set(re.findall(r'name="pupils-0-(\w+)"', page)) == {"pupil_id", "first_name", "initial", "age", "remove"}


def test_a_new_class_gets_three_empty_rows(as_teacher, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition)
    page = as_teacher.get(f"/competition/classes/{school_class.id}/pupils").get_data(as_text=True)
    assert 'name="pupils-2-first_name"' in page and 'name="pupils-3-first_name"' not in page


def test_teacher_adds_changes_and_removes_pupils_in_one_go(as_teacher, post, url, own_class):
    ana, rui = own_class.pupils
    data = {**rows(("Ana", "C.", 10, ana.id), ("Rui", "", 10, rui.id, True), ("Léa", "m", 7), ("", "", ""))}
    response = post(url, data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/classes/{own_class.id}")
    assert names_and_ages(own_class) == [("Ana", "C", 10), ("Léa", "M", 7)]
    assert sorted(audit_actions()) == ["pupil_added", "pupil_changed", "pupil_removed"]


def test_rows_not_sent_are_left_alone(as_teacher, post, url, own_class):
    ana = own_class.pupils[0]
    assert post(url, rows(("Ana", "B", 8, ana.id))).status_code == 302
    assert names_and_ages(own_class) == [("Ana", "B", 8), ("Rui", "", 10)]
    assert audit_actions() == ["pupil_changed"]


def test_saving_without_changes_records_nothing(as_teacher, post, url, own_class):
    ana, rui = own_class.pupils
    assert post(url, rows(("Ana", "B", 9, ana.id), ("Rui", "", 10, rui.id), ("", "", ""))).status_code == 302
    assert audit_actions() == []


@pytest.mark.parametrize("age", ["4", "19", "0", "-5", "abc", "9.5", "", "１２"])
def test_an_age_outside_5_to_18_asks_for_a_valid_age(as_teacher, post, url, own_class, age):
    response = post(url, as_sent(own_class, ("Léa", "", age)))
    assert response.status_code == 400
    page = text_of(response)
    assert "Pupil 3: Enter the pupil's age, from 5 to 18." in page
    assert 'href="#pupils-2-age"' in response.get_data(as_text=True)
    assert count(Pupil) == 2


@pytest.mark.parametrize("age_group, age, low, high", [("5-10", 12, 5, 10), ("11-18", 9, 11, 18), ("5-10", 11, 5, 10), ("11-18", 10, 11, 18)])
def test_a_pupil_outside_the_class_age_category_is_named(as_teacher, post, make_class, teacher, city, edition, age_group, age, low, high):
    school_class = make_class(teacher, city.schools[0], edition=edition, age_group=age_group)
    response = post(f"/competition/classes/{school_class.id}/pupils", rows(("Léa", "m", 11 if age_group == "11-18" else 5), ("Zoé", "", age)))
    assert response.status_code == 400
    assert f"Zoé is {age}, but this class is for ages {low} to {high}." in text_of(response)
    assert count(Pupil) == 0, "no row is saved when one is wrong"


@pytest.mark.parametrize("field, value, message", [
    ("first_name", "", "Enter the pupil's first name."),
    ("first_name", "A" * 61, "Enter a first name of at most 60 characters."),
    ("first_name", "<script>alert(1)</script>", "no < or >"),
    ("first_name", "Lé\x00a", "no control characters"),
    ("initial", "BC", "Enter one letter for the initial"),
    ("initial", "7", "Enter one letter for the initial"),
    ("initial", "<", "Enter one letter for the initial"),
    ("initial", "\x00", "Enter one letter for the initial"),
])
def test_bad_pupil_details_are_explained(as_teacher, post, url, own_class, field, value, message):
    data = as_sent(own_class, ("Léa", "M", 7))
    data[f"pupils-2-{field}"] = value
    response = post(url, data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert count(Pupil) == 2


def test_more_pupils_than_the_class_has_are_refused(as_teacher, post, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition, pupil_count=2, pupils=[("Ana", "", 7)])
    response = post(f"/competition/classes/{school_class.id}/pupils",
                    rows(("Léa", "", 7), ("Zoé", "", 8), start=1))
    assert response.status_code == 400
    assert "The class has 2 pupils, but 3 are filled in." in text_of(response)
    assert count(Pupil) == 1


def test_removing_makes_room_for_a_new_pupil(as_teacher, post, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition, pupil_count=1, pupils=[("Ana", "", 7)])
    ana = school_class.pupils[0]
    assert post(f"/competition/classes/{school_class.id}/pupils", rows(("Ana", "", 7, ana.id, True), ("Zoé", "", 8))).status_code == 302
    assert names_and_ages(school_class) == [("Zoé", "", 8)]


def test_two_pupils_with_the_same_name_need_initials(as_teacher, post, url, own_class):
    response = post(url, rows(("ana", "b", 8), start=2))
    assert response.status_code == 400
    assert "There is already a pupil called ana B. in this class." in text_of(response)
    assert post(url, rows(("Ana", "D", 8), start=2)).status_code == 302


def test_a_pupil_named_in_an_entry_cannot_be_removed(as_teacher, post, url, own_class, edition):
    from competition.models import Entry, EntryAuthor

    ana = own_class.pupils[0]
    entry = Entry(class_id=own_class.id, category_id=edition.categories[0].id, title="Poem", language="en")
    entry.authors = [EntryAuthor(pupil_id=ana.id)]
    db.session.add(entry)
    db.session.commit()
    assert "Author of an entry" in text_of(as_teacher.get(url))
    response = post(url, rows(("Ana", "B", 9, ana.id, True)))
    assert response.status_code == 400 and "Ana B. is an author of an entry." in text_of(response)
    assert count(Pupil) == 2


@pytest.mark.parametrize("tampered", ["other-class", "duplicate", "unknown"])
def test_rows_naming_pupils_of_another_class_are_refused(as_teacher, post, url, own_class, make_class, make_user, city, edition, tampered):
    stranger = make_class(make_user("t2@example.org"), city.schools[0], edition=edition, pupils=[("Bo", "", 7)])
    ident = {"other-class": stranger.pupils[0].id, "duplicate": own_class.pupils[0].id, "unknown": 999999}[tampered]
    data = rows(("Eve", "", 7, ident, True), ("Ana", "B", 9, own_class.pupils[0].id), start=0)
    response = post(url, data)
    assert response.status_code == 400 and "Reload the page" in text_of(response)
    assert count(Pupil) == 3 and names_and_ages(stranger) == [("Bo", "", 7)]


def test_add_another_pupil_keeps_what_was_typed_and_saves_nothing(as_teacher, post, url, own_class):
    response = post(url, {**as_sent(own_class, ("Léa", "", 4)), "action": "add"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Léa"' in page and 'name="pupils-3-first_name"' in page
    assert "There is a problem" not in page
    assert count(Pupil) == 2


def test_add_another_pupil_is_offered_only_while_there_is_room(as_teacher, make_class, teacher, city, edition):
    school_class = make_class(teacher, city.schools[0], edition=edition, pupil_count=2, pupils=[("Ana", "", 7)])
    page = text_of(as_teacher.get(f"/competition/classes/{school_class.id}/pupils"))
    assert "Add another pupil" not in page and "All 2 rows are shown" in page


def test_pupils_cannot_be_changed_after_the_deadline(as_teacher, post, url, own_class, edition, close_deadline):
    close_deadline(edition)
    for response in (as_teacher.get(url), post(url, rows(("Léa", "", 7), start=2))):
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/classes/{own_class.id}")
    page = text_of(as_teacher.get(f"/competition/classes/{own_class.id}"))
    assert "The deadline for this class has passed. Nothing was changed." in page
    assert "Add or change pupils" not in page
    assert count(Pupil) == 2


def test_an_extension_reopens_one_class(as_teacher, post, url, own_class, edition, close_deadline):
    from datetime import timedelta

    from core.db import utcnow

    close_deadline(edition)
    own_class.deadline_extended_to = utcnow() + timedelta(days=1)
    db.session.commit()
    assert post(url, rows(("Léa", "", 7), start=2)).status_code == 302
    assert count(Pupil) == 3
