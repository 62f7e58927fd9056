"""The public page of the current edition: what a teacher sees first, in English and French."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import Role
from competition.editions.public_views import countdown_script_texts, countdown_text, time_left
from competition.models import Category, Material
from core.db import db, utcnow
from tests.competition.editions.edition_forms import edition_form
from tests.rows import count

UTC = timezone.utc
PAGE = "/competition/about"
NOW = datetime(2026, 11, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("left,parts", [
    (timedelta(days=5, hours=3, minutes=59, seconds=59), (5, 3, 59)),
    (timedelta(hours=1), (0, 1, 0)),
    (timedelta(seconds=59), (0, 0, 0)),
    (timedelta(0), (0, 0, 0)),
    (timedelta(seconds=-1), None),
])
def test_time_left_counts_whole_days_hours_and_minutes(left, parts):
    assert time_left(NOW + left, NOW) == parts


@pytest.mark.parametrize("parts,text", [
    ((5, 3, 10), "5 days, 3 hours left"),
    ((1, 1, 0), "1 day, 1 hour left"),
    ((1, 0, 0), "1 day, 0 hours left"),
    ((0, 2, 1), "2 hours, 1 minute left"),
    ((0, 0, 45), "45 minutes left"),
    (None, "Submissions are closed"),
])
def test_the_countdown_reads_naturally(app, parts, text):
    with app.test_request_context():
        assert countdown_text(parts) == text


def test_the_script_gets_the_same_sentences_with_slots(app):
    with app.test_request_context():
        texts = countdown_script_texts()
    assert texts["days-hours"] == "{days}, {hours} left"
    assert (texts["day-one"], texts["day-other"], texts["minute-other"]) == ("{n} day", "{n} days", "{n} minutes")


def page(client, **headers) -> str:
    response = client.get(PAGE, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_theme_rules_and_only_open_categories(client, make_edition):
    edition = make_edition(theme="What defines you?", rules="First rule.\nSecond rule.\n\nA new paragraph.")
    for category in edition.categories:
        category.enabled = category.discipline != "essay"
        category.max_entries_per_class = 4
    db.session.commit()
    html = page(client)
    assert "What defines you?" in html
    assert "First rule.\nSecond rule.\n\nA new paragraph." in html  # shown with class="pre-line"
    assert html.count("up to 4 entries") == 4
    assert "Ages 5–10 · Poem" in html and "Ages 11–18 · Illustration" in html and "Essay" not in html


@pytest.mark.parametrize("left,text", [
    (timedelta(days=5, hours=3, minutes=30), "5 days, 3 hours left"),
    (timedelta(minutes=30, seconds=30), "30 minutes left"),
    (timedelta(minutes=-1), "Submissions are closed"),
])
def test_the_countdown_works_without_javascript(client, make_edition, left, text):
    make_edition(deadline=utcnow() + left)
    html = page(client)
    assert 'data-now="' in html and f">{text}</p>" in html
    assert "js/countdown.js" in html and "<script>" not in html


@pytest.mark.parametrize("timezone_name,clock", [("Europe/Paris", "23:59"), ("America/New_York", "17:59"),
                                                  ("Asia/Tokyo", "07:59")])
def test_the_deadline_is_shown_in_the_viewers_time_zone(as_role, edition, timezone_name, clock):
    html = page(as_role(Role.TEACHER, timezone=timezone_name))
    assert f", {clock}</time>" in html and timezone_name.replace("_", " ") in html


def test_an_anonymous_visitor_sees_paris_time(client, edition):
    assert "Thursday, November 19, 2026, 23:59</time>" in page(client)


def test_the_page_is_in_french_for_a_french_visitor(client, edition):
    html = page(client, **{"Accept-Language": "fr"})
    assert '<html lang="fr">' in html
    assert "jeudi 19 novembre 2026, 23:59" in html
    assert 'data-lang="fr"' in html


def test_materials_are_listed_in_order_with_escaped_links(client, edition):
    db.session.add_all([
        Material(edition=edition, title="Anti-rumours <methodology>", position=1,
                 url='https://example.org/?q="><script>alert(1)</script>'),
        Material(edition=edition, title="Instructions", position=0, url="https://example.org/instructions",
                 description="Read <b>first</b>.", language="fr"),
    ])
    db.session.commit()
    html = page(client)
    assert html.index("Instructions") < html.index("Anti-rumours")
    assert "&lt;methodology&gt;" in html and "Read &lt;b&gt;first&lt;/b&gt;." in html
    assert "<script>alert(1)" not in html and "&#34;&gt;&lt;script&gt;" in html
    assert "French" in html


def test_the_theme_is_escaped(client, make_edition):
    make_edition(theme="<script>alert(1)</script> & more")
    html = page(client)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html and "<script>alert(1)" not in html


def test_without_a_current_edition_the_page_says_so(client, make_edition):
    make_edition(current=False)
    assert "No edition of the competition is open at the moment." in page(client)


def test_the_home_page_links_to_the_edition(client):
    assert f'href="{PAGE}"' in client.get("/").get_data(as_text=True)


def test_how_to_take_part_offers_an_account_to_visitors_only(client, as_role, edition):
    assert 'href="/account/signup"' in page(client)
    assert "Go to your classes and entries" in page(as_role(Role.TEACHER))


def test_a_change_by_the_secretariat_shows_on_the_public_page(admin, post, as_role, edition):
    form = edition_form(theme="A brand new theme", older_poem_limit="7")
    del form["younger_poem_enabled"]
    assert post(f"/competition/admin/editions/{edition.id}", form).status_code == 302
    html = page(as_role(None))
    assert "A brand new theme" in html and "up to 7 entries" in html and "Ages 5–10 · Poem" not in html
    assert count(Category) == 6


@pytest.mark.parametrize("language,size,text", [
    ("en", 77, "1 kB"), ("en", 350_400, "350 kB"), ("en", 1_234_567, "1.2 MB"), ("fr", 1_234_567, "1,2"),
])
def test_file_sizes_read_in_the_viewers_language(app, language, size, text):
    from core.i18n import file_size

    with app.test_request_context(headers={"Accept-Language": language}):
        assert file_size(size).startswith(text)
