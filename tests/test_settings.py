"""A user's own settings: profile, language, email address, and dates shown in their time zone."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_login import login_user

from accounts.models import User
from core.db import db
from core.templating import localdate, localdatetime
from tests.clients import TEST_PASSWORD, form_post, link_in


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True))
    assert match, "no <html lang> on the page"
    return match.group(1)


def flashes(html: str) -> list[str]:
    return re.findall(r'<div class="notice notice-\w+" role="\w+">(.*?)</div>', html, re.DOTALL)


@pytest.fixture()
def teacher(client, make_user, sign_in):
    user = make_user()
    sign_in(client, user)
    return user


# Profile -----------------------------------------------------------------------------------------

def save_profile(client, **values):
    data = {"name": "Tina Teacher", "language": "en", "timezone": "Europe/Paris", **values}
    return form_post(client, "/account/settings/profile", {f"profile-{k}": v for k, v in data.items()})


def test_profile_changes_name_language_and_timezone(client, teacher):
    response = save_profile(client, name="Tina Tavares", language="fr", timezone="America/Sao_Paulo")
    assert response.status_code == 302
    assert response.location == "/account/settings"
    user = reload(teacher)
    assert (user.name, user.language, user.timezone) == ("Tina Tavares", "fr", "America/Sao_Paulo")
    page = client.get("/account/settings", headers={"Accept-Language": "en"})
    assert page_language(page) == "fr"
    assert 'value="Tina Tavares"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "field,value",
    [("language", "de"), ("language", ""), ("timezone", "Mars/Olympus_Mons"), ("timezone", ""),
     ("timezone", "../../etc/passwd")],
)
def test_profile_refuses_an_unknown_language_or_timezone(client, teacher, field, value):
    response = save_profile(client, name="Changed Name", **{field: value})
    assert response.status_code == 400
    assert f'href="#profile-{field}"' in response.get_data(as_text=True)
    user = reload(teacher)
    assert (user.name, user.language, user.timezone) == ("Tina Teacher", "en", "Europe/Paris")


@pytest.mark.parametrize("user_language,browser", [("fr", "en"), ("en", "fr"), ("fr", "fr"), ("en", "en")])
def test_a_signed_in_users_language_wins_over_the_browsers(client, make_user, sign_in, user_language, browser):
    sign_in(client, make_user(language=user_language))
    for path in ("/", "/account/settings", "/no/such/page"):
        assert page_language(client.get(path, headers={"Accept-Language": browser})) == user_language, path


@pytest.mark.parametrize("browser,expected", [("fr", "fr"), ("en", "en"), ("fr-FR,fr;q=0.9", "fr"),
                                              ("de", "en"), (None, "en")])
def test_anonymous_visitors_get_the_browsers_language(client, browser, expected):
    headers = {"Accept-Language": browser} if browser else {}
    assert page_language(client.get("/", headers=headers)) == expected


# The language switcher ---------------------------------------------------------------------------

def test_switcher_sets_the_language_of_an_anonymous_visitor(client):
    response = form_post(client, "/language", {"lang": "fr", "next": "/account/login"},
                         headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.location == "/account/login"
    assert page_language(client.get("/", headers={"Accept-Language": "en"})) == "fr"
    form_post(client, "/language", {"lang": "en"}, headers={"Accept-Language": "fr"})
    assert page_language(client.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_switcher_saves_the_language_of_a_signed_in_user(app, client, teacher, sign_in):
    form_post(client, "/language", {"lang": "fr"})
    assert reload(teacher).language == "fr"
    # ... so it follows them to another device.
    other_device = sign_in(app.test_client(), reload(teacher))
    assert page_language(other_device.get("/", headers={"Accept-Language": "en"})) == "fr"


@pytest.mark.parametrize("lang", ["de", "", "FR", "fr-FR", "en'"])
def test_switcher_refuses_an_unknown_language(client, teacher, lang):
    response = form_post(client, "/language", {"lang": lang})
    assert response.status_code == 400
    assert reload(teacher).language == "en"


@pytest.mark.parametrize(
    "target,expected",
    [("/account/settings", "/account/settings"), ("//elsewhere.example", "/"),
     ("https://elsewhere.example/", "/"), ("/\\elsewhere.example", "/"), (None, "/")],
)
def test_switcher_returns_only_to_pages_on_the_site(client, target, expected):
    data = {"lang": "fr"} if target is None else {"lang": "fr", "next": target}
    response = form_post(client, "/language", data)
    assert response.location == expected


# Email address -----------------------------------------------------------------------------------

def change_email(client, new, password=TEST_PASSWORD):
    return form_post(client, "/account/settings/email",
                     {"email-email": new, "email-current_password": password}, follow_redirects=True)


def test_changing_the_email_address(app, client, teacher, outbox, sign_in):
    elsewhere = sign_in(app.test_client(), teacher)

    page = change_email(client, "Tina.New@Example.org")

    assert "We have sent a link to tina.new@example.org." in " ".join(flashes(page.get_data(as_text=True)))
    assert reload(teacher).email == "teacher@example.org"  # not before the new address is confirmed
    [message] = outbox()
    assert message["To"] == "tina.new@example.org"
    link = link_in(message, "/account/email/")

    assert client.get(link).status_code == 200
    assert reload(teacher).email == "teacher@example.org"  # opening the link is not enough
    done = form_post(client, link)

    assert done.status_code == 302
    assert done.location == "/account/login"
    assert reload(teacher).email == "tina.new@example.org"
    assert client.get("/account/settings").status_code == 302
    assert elsewhere.get("/account/settings").status_code == 302
    notice = outbox()[-1]
    assert notice["To"] == "teacher@example.org"
    assert notice["Subject"] == "Your email address was changed"
    assert "tina.new@example.org" in notice.get_body(("plain",)).get_content()


def test_changing_to_a_taken_address_looks_the_same_and_sends_nothing(client, make_user, teacher, outbox):
    make_user(email="taken@example.org", name="Someone Else")
    free = flashes(change_email(client, "free@example.org").get_data(as_text=True))
    assert len(outbox()) == 1

    taken = flashes(change_email(client, "taken@example.org").get_data(as_text=True))

    assert len(outbox()) == 1
    assert [f.replace("taken@", "free@") for f in taken] == free
    assert reload(teacher).email == "teacher@example.org"


def test_changing_the_email_needs_the_current_password(client, teacher, outbox):
    response = change_email(client, "new@example.org", password="not my password at all")
    assert response.status_code == 400
    assert 'href="#email-current_password"' in response.get_data(as_text=True)
    assert outbox() == []


def test_an_address_taken_before_the_link_is_opened_is_not_used(client, make_user, teacher, outbox):
    change_email(client, "new@example.org")
    link = link_in(outbox()[0], "/account/email/")
    make_user(email="new@example.org", name="Quicker Person")

    response = form_post(client, link)

    assert response.status_code == 400
    assert reload(teacher).email == "teacher@example.org"


# Dates in the viewer's time zone -----------------------------------------------------------------

@pytest.mark.parametrize(
    "tz,stored,shown",
    [
        ("Europe/Paris", datetime(2026, 11, 19, 22, 59, tzinfo=UTC), "2026-11-19 23:59"),
        ("America/New_York", datetime(2026, 11, 19, 22, 59, tzinfo=UTC), "2026-11-19 17:59"),
        ("Europe/Paris", datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "2026-07-02 00:30"),
        ("America/New_York", datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "2026-07-01 18:30"),
        ("Asia/Tokyo", datetime(2026, 12, 31, 15, 0, tzinfo=UTC), "2027-01-01 00:00"),
    ],
)
def test_a_utc_datetime_is_shown_in_the_users_timezone(app, make_user, tz, stored, shown):
    user = make_user(timezone=tz)
    with app.app_context(), app.test_request_context("/"):
        login_user(user)
        assert localdatetime(stored, "yyyy-MM-dd HH:mm") == shown


def test_the_same_moment_differs_between_new_york_and_paris(app, make_user):
    deadline = datetime(2026, 11, 19, 22, 59, tzinfo=UTC)
    shown = {}
    for tz in ("America/New_York", "Europe/Paris"):
        user = make_user(email=f"{tz.split('/')[1].lower()}@example.org", timezone=tz)
        with app.app_context(), app.test_request_context("/"):  # a request of that user
            login_user(user)
            shown[tz] = (localdatetime(deadline), localdatetime(deadline, "HH:mm"), localdate(deadline))
    assert shown["America/New_York"][1] == "17:59"
    assert shown["Europe/Paris"][1] == "23:59"
    assert shown["America/New_York"][0] != shown["Europe/Paris"][0]


def test_anonymous_visitors_see_dates_in_the_competitions_timezone(app):
    with app.app_context(), app.test_request_context("/"):
        assert localdatetime(datetime(2026, 11, 19, 22, 59, tzinfo=UTC), "HH:mm") == "23:59"


def test_dates_follow_the_users_language(app, make_user):
    user = make_user(language="fr")
    with app.app_context(), app.test_request_context("/"):
        login_user(user)
        assert localdatetime(datetime(2026, 11, 19, 22, 59, tzinfo=UTC), "d MMMM yyyy") == "19 novembre 2026"


def test_empty_dates_show_nothing(app):
    with app.app_context(), app.test_request_context("/"):
        assert localdatetime(None) == ""
        assert localdate(None) == ""


def test_the_generated_secret_key_is_created_once_even_when_processes_race(tmp_path):
    """Eight processes start at once on an empty instance folder: all get the same, whole key."""
    import multiprocessing

    from core.config import secret_key_from_instance

    with multiprocessing.get_context("fork").Pool(8) as pool:
        keys = pool.map(secret_key_from_instance, [str(tmp_path)] * 8)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"], "no temporary file left"
