"""The juror's list and scoring page: order, codes only, rendering of the work, rubric and progress."""
from __future__ import annotations

from core.db import db


def test_list_shows_codes_in_shuffled_order_with_status(juror_client, assignments):
    page = juror_client.get("/judging/entries").get_data(as_text=True)
    ordered = sorted(assignments, key=lambda a: a.position)
    positions = [page.index(a.code) for a in ordered]
    assert positions == sorted(positions)
    assert "0 of 3 scored" in page
    assert "Not started" in page
    assert "Poem number" not in page  # not even the title
    assert "Ages 11" in page  # the category title


def test_judging_index_sends_jurors_to_their_entries(juror_client, assignments):
    response = juror_client.get("/judging/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/judging/entries")


def test_scoring_page_shows_poem_with_line_breaks_rubric_and_inputs(juror_client, assignments):
    code = assignments[0].code
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert 'class="work-text"' in page and "I am many things.\nLine two" in page
    assert "Relevance to the theme" in page and "A strong, personal take on the theme." in page
    assert 'type="number"' in page and 'min="0"' in page and 'max="10"' in page and 'step="1"' in page
    assert 'name="comment_relevance"' in page and 'name="overall_comment"' in page
    assert "Save draft" in page and "Submit scores" in page
    assert 'rel="next"' in page or 'rel="prev"' in page
    assert "Alt + Right arrow" in page
    assert "<script>" not in page  # CSP: no inline scripts


def test_next_and_previous_follow_the_shuffled_order(juror_client, assignments):
    first, middle, last = sorted(assignments, key=lambda a: a.position)
    page = juror_client.get(f"/judging/entries/{middle.code}").get_data(as_text=True)
    assert f'rel="prev" href="/judging/entries/{first.code}"' in page
    assert f'rel="next" href="/judging/entries/{last.code}"' in page
    page = juror_client.get(f"/judging/entries/{first.code}").get_data(as_text=True)
    assert 'rel="prev"' not in page


def test_french_juror_sees_translated_rubric(app, client, sign_in, make_user, assignments, juror):
    juror.language = "fr"
    db.session.commit()
    sign_in(client, juror)
    page = client.get(f"/judging/entries/{assignments[0].code}").get_data(as_text=True)
    assert 'lang="fr"' in page
    from flask_babel import force_locale, gettext

    with force_locale("fr"):
        translated = gettext("Relevance to the theme")
    assert translated in page


def test_other_roles_cannot_reach_scoring_pages(client, sign_in, make_user, assignments):
    from accounts.models import Role

    teacher = make_user("other-teacher@example.org", roles=(Role.TEACHER,), name="Other Teacher")
    sign_in(client, teacher)
    assert client.get("/judging/entries").status_code == 404
    assert client.get(f"/judging/entries/{assignments[0].code}").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, assignments):
    response = client.get(f"/judging/entries/{assignments[0].code}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_stored_rubric_texts_are_escaped_even_through_the_catalogue(app, make_entries, make_juror, round1, assign):
    """A rubric description with markup must never be rendered as HTML on the juror's page."""
    from core.db import db
    from judging.rubrics.defaults import current_rubric
    from tests.clients import TEST_PASSWORD

    (entry,) = make_entries(1)
    criterion = current_rubric(entry.category).criteria[0]
    criterion.description = '<img src=x onerror="alert(1)">'
    db.session.commit()
    assignment = assign(round1, entry, make_juror())
    client = app.test_client()
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/account/login", data={"email": "juror@example.org", "password": TEST_PASSWORD, "csrf_token": token})
    page = client.get(f"/judging/entries/{assignment.code}").get_data(as_text=True)
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=" in page


def test_the_default_rubric_is_stored_in_english_whoever_creates_it(app, edition):
    from flask_babel import force_locale

    from judging.rubrics.defaults import default_rubric

    with app.test_request_context(), force_locale("fr"):
        rubric = default_rubric(edition.categories[0])
    assert rubric.criteria[0].title == "Relevance to the theme"
