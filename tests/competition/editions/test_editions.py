"""The secretariat creates and edits editions: deadline in a named zone, dates, languages and the categories grid."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from competition.models import Category, Edition
from core.audit import AuditEvent
from core.db import db
from tests.competition.editions.edition_forms import edition_form
from tests.rows import audit_actions, count

UTC = timezone.utc
EDIT = "/competition/admin/editions/{id}"


def reload(edition) -> Edition:
    db.session.expire_all()
    return db.session.get(Edition, edition.id)


def test_the_new_edition_form_offers_the_campaign_defaults(admin):
    html = admin.get("/competition/admin/editions/new").get_data(as_text=True)
    assert 'value="23:59"' in html
    assert '<option selected value="Europe/Paris">' in html
    assert '-11-19"' in html and '-12-06"' in html
    assert html.count('type="checkbox"') >= 6 + 25  # the grid and the languages


def test_creating_an_edition_builds_its_categories_grid_and_audits_it(admin, post, edition):
    response = post("/competition/admin/editions/new", edition_form(name="Second edition"))
    assert response.status_code == 302
    created = db.session.scalar(select(Edition).where(Edition.name == "Second edition"))
    assert len(created.categories) == 6
    assert not created.is_current  # the existing edition stays current
    assert created.languages == ["en", "fr"]
    assert audit_actions() == ["edition.created"]


def test_the_first_edition_ever_becomes_current(admin, post):
    post("/competition/admin/editions/new", edition_form())
    assert db.session.scalar(select(Edition)).is_current


def test_the_deadline_is_stored_in_utc_with_its_zone(admin, post, edition):
    response = post(EDIT.format(id=edition.id), edition_form(
        deadline_date="2026-11-20", deadline_time="18:00", deadline_timezone="America/New_York"))
    assert response.status_code == 302
    edition = reload(edition)
    assert edition.deadline_at == datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    assert edition.deadline_timezone == "America/New_York"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.updated"))
    assert "deadline_at" in event.details["changes"] and event.object_id == edition.id


def test_the_edit_form_shows_the_local_deadline(admin, edition):
    html = admin.get(EDIT.format(id=edition.id)).get_data(as_text=True)
    assert 'value="2026-11-19"' in html and 'value="23:59"' in html


def test_an_ambiguous_local_time_takes_the_first_and_says_so(admin, post, edition):
    response = post(EDIT.format(id=edition.id), edition_form(deadline_date="2026-10-25", deadline_time="02:30"),
                    follow_redirects=True)
    assert "happens twice" in response.get_data(as_text=True)
    assert reload(edition).deadline_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_switching_a_category_off_and_changing_its_limits(admin, post, edition):
    form = edition_form(younger_poem_limit="5", older_essay_pages="10")
    del form["younger_poem_enabled"]
    assert post(EDIT.format(id=edition.id), form).status_code == 302
    cells = {(c.age_group, c.discipline): c for c in reload(edition).categories}
    assert not cells[("5-10", "poem")].enabled and cells[("5-10", "poem")].max_entries_per_class == 5
    assert cells[("11-18", "essay")].max_pdf_pages == 10 and cells[("11-18", "essay")].enabled
    changes = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.updated")).details["changes"]
    assert changes["5-10 poem enabled"] == [True, False]


def test_saving_without_changes_records_nothing(admin, post, make_edition):
    edition = make_edition(rules="", languages=["en", "fr"])
    for category in edition.categories:
        category.max_entries_per_class, category.max_pdf_pages = 3, 4
    db.session.commit()
    form = edition_form(name=edition.name, theme=edition.theme, rules="")
    assert post(EDIT.format(id=edition.id), form).status_code == 302
    assert audit_actions() == []


@pytest.mark.parametrize("overrides,message", [
    ({"name": ""}, "Enter the name of the edition."),
    ({"name": "x" * 300}, "Enter a name of at most 200 characters."),
    ({"name": "<script>alert(1)</script>"}, "no &lt; or &gt;"),
    ({"theme": ""}, "Enter the theme of the edition."),
    ({"theme": "a\x00b"}, "invisible control characters"),
    ({"deadline_timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list"),
    ({"deadline_timezone": ""}, "Choose a time zone from the list"),
    ({"deadline_date": "2026-03-29", "deadline_time": "02:30"}, "does not exist in Europe/Paris"),
    ({"deadline_date": "19/11/2026"}, "Enter the date of the deadline."),
    ({"deadline_time": "25:00"}, "Enter the time of the deadline"),
    ({"results_on": "2026-11-01"}, "Enter a results date after the submission deadline."),
    ({"results_on": "2026-11-19"}, "Enter a results date after the submission deadline."),
    ({"results_on": ""}, "Enter the date of the results."),
    ({"older_poem_limit": "-1"}, "enter the number of entries per class, from 1 to 100."),
    ({"older_poem_limit": "1000"}, "enter the number of entries per class, from 1 to 100."),
    ({"older_poem_limit": "abc"}, "enter the number of entries per class, from 1 to 100."),
    ({"younger_essay_pages": "0"}, "enter the number of PDF pages, from 1 to 200."),
    ({"younger_essay_pages": "201"}, "enter the number of PDF pages, from 1 to 200."),
    ({"languages": None}, "Choose at least one language."),
    ({"languages": ["en", "xx"]}, "Choose languages from the list only."),
])
def test_bad_input_is_explained_and_saves_nothing(admin, post, edition, overrides, message):
    before = (reload(edition).name, reload(edition).deadline_at, count(Category))
    response = post(EDIT.format(id=edition.id), edition_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert html.count(message) >= 2  # in the summary and beside the field
    assert "<script>alert(1)" not in html
    edition = reload(edition)
    assert (edition.name, edition.deadline_at, count(Category)) == before
    assert audit_actions() == []


def test_a_bad_new_edition_is_not_created(admin, post):
    response = post("/competition/admin/editions/new", edition_form(name=""))
    assert response.status_code == 200
    assert count(Edition) == 0


def test_the_category_error_names_the_category(admin, post, edition):
    html = post(EDIT.format(id=edition.id), edition_form(older_illustration_limit="0")).get_data(as_text=True)
    assert "Ages 11–18 · Illustration: enter the number of entries per class" in html


def test_make_current_leaves_exactly_one_current_edition(admin, post, make_edition):
    first = make_edition("First", current=True)
    second = make_edition("Second", current=False, deadline=datetime(2027, 11, 19, 22, 59, tzinfo=UTC),
                          results_on=date(2027, 12, 6))
    response = post(f"/competition/admin/editions/{second.id}/make-current")
    assert response.status_code == 302
    db.session.expire_all()
    assert [e.name for e in db.session.scalars(select(Edition).where(Edition.is_current))] == ["Second"]
    assert Edition.current().id == second.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.made_current"))
    assert event.object_id == second.id and event.details["previous"] == [first.id]


def test_the_editions_list_shows_which_is_current(admin, make_edition):
    make_edition("First", current=True)
    make_edition("Second", current=False)
    html = admin.get("/competition/admin/editions").get_data(as_text=True)
    assert html.count("Make current") == 1 and "First" in html and "Second" in html
