"""The secretariat edits the rubric of each category: in place until the first score, then as a new version."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from judging.models import Rubric, ScoreSet
from judging.rubrics.defaults import current_rubric
from tests.fixtures import category_of
from tests.judging.rubrics_jury.form_fields import with_changes
from tests.rows import audit_actions


@pytest.fixture()
def poem(edition):
    return category_of(edition, "11-18", "poem")


@pytest.fixture()
def edit_url(poem):
    return f"/judging/rubrics/{poem.id}"


def rubric_state(category):
    db.session.expire_all()
    rubrics = db.session.scalars(select(Rubric).where(Rubric.category_id == category.id).order_by(Rubric.version))
    return [(r.version, r.is_current, [(c.key, c.title, c.description, str(c.weight), str(c.scale_min),
                                        str(c.scale_max), str(c.step), c.required, c.descriptors_json)
                                       for c in r.criteria]) for r in rubrics]


def test_rubrics_page_lists_every_category_with_its_default_rubric_and_shares(client, secretariat, edition):
    html = client.get("/judging/rubrics").get_data(as_text=True)
    for category in edition.categories:
        assert category.title in html
        assert f"/judging/rubrics/{category.id}" in html
    assert db.session.scalar(select(func.count()).select_from(Rubric)) == len(edition.categories)
    for share in ("30 %", "25 %", "20 %"):
        assert share in html
    assert "Relevance to the theme" in html


def test_a_french_viewer_sees_the_default_criteria_translated_but_they_are_stored_in_english(
        client, make_user, sign_in, edition, poem):
    from accounts.models import Role

    sign_in(client, make_user("sec@example.org", roles=(Role.SECRETARIAT,), language="fr"))
    html = client.get("/judging/rubrics").get_data(as_text=True)
    assert "Pertinence par rapport au thème" in html and "Relevance to the theme" not in html
    assert current_rubric(poem).criteria[0].title == "Relevance to the theme"


def test_saving_an_unused_rubric_changes_it_in_place_and_audits_old_and_new(
        secretariat, page_form, send, edit_url, poem):
    fields = page_form(edit_url)
    response = send(edit_url, with_changes(fields, {"criteria-1-title": "Fresh ideas", "criteria-1-weight": "0.5",
                                                    "criteria-1-step": "0.5"}), action="save")
    assert response.status_code == 302
    [(version, current, criteria)] = rubric_state(poem)
    assert (version, current) == (1, True)
    assert criteria[1][:2] == ("originality", "Fresh ideas")
    assert Decimal(criteria[1][3]) == Decimal("0.5") and Decimal(criteria[1][6]) == Decimal("0.5")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "rubric.changed"))
    assert event.details["old"][1]["title"] == "Originality"
    assert event.details["new"][1]["title"] == "Fresh ideas"


def test_saving_without_a_change_saves_and_audits_nothing(secretariat, page_form, send, edit_url, poem):
    fields = page_form(edit_url)
    before = rubric_state(poem)
    response = send(edit_url, fields, action="save")
    assert response.status_code == 302
    assert rubric_state(poem) == before
    assert audit_actions() == []


def test_a_rubric_in_use_warns_then_saves_a_new_version_and_keeps_the_old_one(
        client, secretariat, page_form, send, edit_url, poem, make_entries, make_juror, round1, assign):
    rubric = current_rubric(poem)
    entry = make_entries(1)[0]
    assignment = assign(round1, entry, make_juror())
    db.session.add(ScoreSet(assignment=assignment, rubric_id=rubric.id))
    db.session.commit()
    old_state = rubric_state(poem)

    html = client.get(edit_url).get_data(as_text=True)
    assert "Saving will make version 2" in html
    response = send(edit_url, with_changes(page_form(edit_url), {"criteria-0-weight": "2"}), action="save")
    assert response.status_code == 302
    state = rubric_state(poem)
    assert [(v, cur) for v, cur, _c in state] == [(1, False), (2, True)]
    assert state[0][2] == old_state[0][2]  # the version the score used is unchanged
    assert Decimal(state[1][2][0][3]) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "rubric.versioned"))
    assert event.details["old_version"] == 1 and event.details["version"] == 2
    assert event.details["old"][0]["weight"] == "0.3" and event.details["new"][0]["weight"] == "2"


TOO_LONG = "x" * 300


@pytest.mark.parametrize(("changes", "message"), [
    ({"criteria-0-weight": "0"}, "Enter a weight above 0 and at most 100."),
    ({"criteria-0-weight": "-1"}, "Enter a weight above 0 and at most 100."),
    ({"criteria-0-weight": "0.0001"}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-weight": "1e2"}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-weight": "NaN"}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-weight": "Infinity"}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-weight": "abc"}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-weight": ""}, "Enter a weight above 0, like 1 or 0.25"),
    ({"criteria-0-scale_max": "0"}, "Enter a highest score from 1 to 100."),
    ({"criteria-0-scale_min": "10"}, "Enter a highest score above the lowest score."),
    ({"criteria-0-scale_min": "5", "criteria-0-scale_max": "4"}, "Enter a highest score above the lowest score."),
    ({"criteria-0-scale_max": "9.5"}, "Enter the highest score as a whole number"),
    ({"criteria-0-step": "0.3"}, "Choose whole points or half points."),
    ({"criteria-0-title": ""}, "Enter a title for the criterion."),
    ({"criteria-0-title": "   "}, "Enter a title for the criterion."),
    ({"criteria-0-title": TOO_LONG}, "Enter a title of at most 120 characters."),
    ({"criteria-0-title": "<b>Bold</b>"}, "no &lt; or &gt;"),
    ({"criteria-1-title": "relevance TO the theme"}, "Another criterion already has this title."),
    ({"criteria-1-key": "relevance"}, "Criterion 2 is listed twice."),
    ({"criteria-1-key": "made_up"}, "Criterion 2 is listed twice."),
    ({"criteria-0-bands-1-low": "2"}, "Level 2 overlaps another level."),
    ({"criteria-0-bands-3-high": "11"}, "Level 4: use scores within the scale, from 0 to 10."),
    ({"criteria-0-bands-0-low": "3", "criteria-0-bands-0-high": "1"}, "Level 1: the second score must not be"),
    ({"criteria-0-bands-0-low": ""}, "Level 1: enter the lowest and highest score"),
    ({"criteria-0-bands-0-text": ""}, "Level 1: describe what this level means."),
])
def test_bad_input_is_explained_and_nothing_is_saved(secretariat, page_form, send, edit_url, poem, changes, message):
    fields = page_form(edit_url)
    before = rubric_state(poem)
    response = send(edit_url, with_changes(fields, changes), action="save")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert rubric_state(poem) == before
    assert audit_actions() == []


def test_markup_in_descriptions_is_kept_as_text_and_escaped_on_output(client, secretariat, page_form, send, edit_url,
                                                                      poem):
    fields = with_changes(page_form(edit_url), {"criteria-0-description": "<script>alert(1)</script>",
                                                "criteria-0-bands-0-text": "<img src=x onerror=alert(2)>"})
    assert send(edit_url, fields, action="save").status_code == 302
    criterion = current_rubric(poem).criteria[0]
    assert criterion.description == "<script>alert(1)</script>"
    for url in (edit_url, "/judging/rubrics"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(edit_url).get_data(as_text=True)


def test_a_criterion_can_be_added_moved_and_removed_without_script_and_only_saving_saves(
        secretariat, page_form, send, edit_url, poem):
    fields = page_form(edit_url)
    before = rubric_state(poem)
    html = send(edit_url, fields, action="add").get_data(as_text=True)
    assert "Not saved yet" in html and 'name="criteria-4-title"' in html
    assert rubric_state(poem) == before

    from tests.judging.rubrics_jury.form_fields import form_fields

    fields = with_changes(form_fields(html), {"criteria-4-title": "Use of sources", "criteria-4-weight": "0.25"})
    fields = form_fields(send(edit_url, fields, action="up-4").get_data(as_text=True))
    assert dict(fields)["criteria-3-title"] == "Use of sources"
    fields = form_fields(send(edit_url, fields, action="remove-0").get_data(as_text=True))
    fields = form_fields(send(edit_url, fields, action="down-0").get_data(as_text=True))
    assert rubric_state(poem) == before
    assert send(edit_url, fields, action="save").status_code == 302
    [(_v, _cur, criteria)] = rubric_state(poem)
    assert [c[0] for c in criteria] == ["expression", "originality", "use_of_sources", "impression"]
    levels = json.loads(criteria[2][8])
    assert levels == []


def test_a_level_can_be_added_in_the_empty_row(secretariat, page_form, send, edit_url, poem):
    fields = page_form(edit_url)
    assert "criteria-0-bands-4-text" in dict(fields)  # one empty level under the four of the default rubric
    fields = with_changes(fields, {"criteria-0-bands-3-high": "9", "criteria-0-bands-4-low": "10",
                                   "criteria-0-bands-4-high": "10", "criteria-0-bands-4-text": "Perfect."})
    assert send(edit_url, fields, action="save").status_code == 302
    levels = current_rubric(poem).criteria[0].descriptors
    assert levels[-2:] == [{"min": 9, "max": 9, "text": "A strong, personal take on the theme."},
                           {"min": 10, "max": 10, "text": "Perfect."}]


def test_removing_the_last_criterion_is_refused(secretariat, page_form, send, edit_url, poem):
    fields = page_form(edit_url)
    for _n in range(3):
        from tests.judging.rubrics_jury.form_fields import form_fields

        fields = form_fields(send(edit_url, fields, action="remove-0").get_data(as_text=True))
    before = rubric_state(poem)
    html = send(edit_url, fields, action="remove-0").get_data(as_text=True)
    assert "A rubric needs at least one criterion." in html
    assert 'name="criteria-0-title"' in html
    without_rows = [(k, v) for k, v in fields if not k.startswith("criteria-")]
    html = send(edit_url, without_rows, action="save").get_data(as_text=True)
    assert "There is a problem" in html
    assert rubric_state(poem) == before


def test_a_criterion_removed_and_added_again_under_its_old_title_gets_a_fresh_key(
        secretariat, page_form, send, edit_url, poem):
    from tests.judging.rubrics_jury.form_fields import form_fields

    fields = form_fields(send(edit_url, page_form(edit_url), action="remove-1").get_data(as_text=True))
    fields = form_fields(send(edit_url, fields, action="add").get_data(as_text=True))
    fields = with_changes(fields, {"criteria-3-title": "Originality"})
    assert send(edit_url, fields, action="save").status_code == 302
    keys = [c.key for c in current_rubric(poem).criteria]
    assert keys == ["relevance", "expression", "impression", "originality_2"]


def test_a_form_posted_after_someone_else_saved_is_refused(secretariat, page_form, send, edit_url, poem):
    stale = page_form(edit_url)
    assert send(edit_url, with_changes(stale, {"criteria-0-title": "First"}), action="save").status_code == 302
    html = send(edit_url, with_changes(stale, {"criteria-0-title": "Second"}), action="save").get_data(as_text=True)
    assert "Someone changed this rubric while you were editing it." in html
    assert current_rubric(poem).criteria[0].title == "First"


def test_a_category_of_another_edition_is_not_found(client, secretariat, edition):
    from datetime import date

    from competition.models import Category, Edition
    from core.db import utcnow

    old = Edition(name="Old", deadline_at=utcnow(), results_on=date(2025, 12, 6), is_current=False)
    old.categories.append(Category(age_group="5-10", discipline="poem"))
    db.session.add(old)
    db.session.commit()
    assert client.get(f"/judging/rubrics/{old.categories[0].id}").status_code == 404
    assert client.get("/judging/rubrics/999999").status_code == 404


def test_after_a_new_version_the_unused_new_version_is_edited_in_place(
        client, secretariat, page_form, send, edit_url, poem, make_entries, make_juror, round1, assign):
    assignment = assign(round1, make_entries(1)[0], make_juror())
    db.session.add(ScoreSet(assignment=assignment, rubric_id=current_rubric(poem).id))
    db.session.commit()
    assert send(edit_url, with_changes(page_form(edit_url), {"criteria-0-weight": "1"}), action="save").status_code == 302
    html = client.get(edit_url).get_data(as_text=True)
    assert "Version 2" in html and "No score uses this rubric yet" in html
    assert "Now 59 % of the total." in html  # 1 of 1 + 0.25 + 0.25 + 0.2
    assert send(edit_url, with_changes(page_form(edit_url), {"criteria-0-weight": "2"}), action="save").status_code == 302
    assert [(v, cur) for v, cur, _c in rubric_state(poem)] == [(1, False), (2, True)]
    assert audit_actions()[-2:] == ["rubric.versioned", "rubric.changed"]
