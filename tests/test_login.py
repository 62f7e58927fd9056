"""Logging in and out: session renewal, one message for every failure, rate limits, safe redirects."""
from __future__ import annotations

import re

import pytest

import accounts.passwords
import accounts.views
from accounts.models import User
from core.db import db
from core.security import is_safe_next
from tests.clients import TEST_PASSWORD, csrf_token_of, form_post, link_in

LOGIN = "/account/login"
WRONG = "not the password at all"


def log_in(client, email="teacher@example.org", password=TEST_PASSWORD, url=LOGIN, **kwargs):
    return form_post(client, url, {"email": email, "password": password}, **kwargs)


def is_logged_in(client) -> bool:
    response = client.get("/account/settings")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert match, "no error summary on the page"
    return match.group(0)


class CountingHasher:
    """Wraps the real argon2 hasher and counts the verifications it does."""

    def __init__(self, real):
        self.real = real
        self.verifications = 0

    def verify(self, *args, **kwargs):
        self.verifications += 1
        return self.real.verify(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


# Success ------------------------------------------------------------------------------------------

def test_login_renews_the_session(client, make_user):
    user = make_user()
    old_form_token = csrf_token_of(client)
    with client.session_transaction() as sess:
        sess["planted"] = "set before login"
    cookie_before = client.get_cookie("session").value

    response = log_in(client)

    assert response.status_code == 302
    assert response.location == "/"
    assert client.get_cookie("session").value != cookie_before
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == user.alternative_id
    # The CSRF secret was renewed with the session: a form from before the login no longer works.
    stale = client.post("/language", data={"lang": "fr", "csrf_token": old_form_token})
    assert stale.status_code == 400
    assert is_logged_in(client)


def test_login_keeps_the_language_chosen_before(client, make_user):
    make_user(language="fr")
    form_post(client, "/language", {"lang": "fr"})
    log_in(client)
    with client.session_transaction() as sess:
        assert sess["lang"] == "fr"


def test_login_records_the_time_of_login(client, make_user):
    user = make_user()
    assert user.last_login_at is None
    log_in(client)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None


# Failures -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "email,password,setup",
    [
        pytest.param("teacher@example.org", WRONG, None, id="wrong-password"),
        pytest.param("nobody@example.org", TEST_PASSWORD, None, id="unknown-email"),
        pytest.param("teacher@example.org", TEST_PASSWORD, "deactivate", id="deactivated-account"),
    ],
)
def test_every_login_failure_gives_the_same_answer_after_one_argon2_verification(
    client, make_user, monkeypatch, email, password, setup
):
    user = make_user()
    if setup == "deactivate":
        user.is_active_account = False
        db.session.commit()
    hasher = CountingHasher(accounts.passwords._hasher)
    monkeypatch.setattr(accounts.passwords, "_hasher", hasher)
    calls = []

    def counting_verify_password(stored_hash, given):
        calls.append(stored_hash)
        return accounts.passwords.verify_password(stored_hash, given)

    # The login view imported the function by name: wrap it where the view looks it up.
    monkeypatch.setattr(accounts.views, "verify_password", counting_verify_password)

    response = log_in(client, email, password)

    assert response.status_code == 200
    assert len(calls) == 1
    assert hasher.verifications == 1  # argon2 ran once, with the dummy hash for an unknown email
    summary = error_summary(response.get_data(as_text=True))
    assert "The email address or the password is not right. Check both and try again." in summary
    assert not is_logged_in(client)


def test_wrong_password_and_unknown_email_pages_are_identical(client, make_user):
    make_user()
    wrong = log_in(client, "teacher@example.org", WRONG)
    unknown = log_in(client, "nobody@example.org", WRONG)
    assert wrong.status_code == unknown.status_code == 200
    assert error_summary(wrong.get_data(as_text=True)) == error_summary(unknown.get_data(as_text=True))


def test_unconfirmed_account_is_asked_to_confirm_and_gets_a_new_link(client, make_user, outbox):
    make_user(confirmed=False)

    response = log_in(client)

    assert response.status_code == 200
    assert "Please confirm your email address first. We have sent you a new link." in error_summary(
        response.get_data(as_text=True)
    )
    assert not is_logged_in(client)
    [message] = outbox()
    assert message["To"] == "teacher@example.org"
    assert link_in(message, "/account/confirm/")


def test_unconfirmed_account_with_a_wrong_password_gets_no_hint_and_no_mail(client, make_user, outbox):
    make_user(confirmed=False)
    response = log_in(client, password=WRONG)
    assert "The email address or the password is not right." in response.get_data(as_text=True)
    assert outbox() == []


# Rate limits --------------------------------------------------------------------------------------

def test_eleventh_failed_login_for_one_account_within_a_minute_is_refused(app, client, make_user):
    make_user()
    make_user(email="other@example.org")
    for attempt in range(10):
        assert log_in(client, password=WRONG).status_code == 200, attempt

    refused = log_in(client, password=WRONG, headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many attempts" in html
    assert '<html lang="en">' in html
    # Even the right password waits: the limit is on the account, not on the guess.
    assert log_in(client).status_code == 429
    assert not is_logged_in(client)
    # The same email in other letter case is the same account.
    assert log_in(client, "Teacher@Example.ORG", WRONG).status_code == 429
    # The French page (its wording is checked with the translations).
    french = log_in(client, password=WRONG, headers={"Accept-Language": "fr"})
    assert french.status_code == 429
    assert '<html lang="fr">' in french.get_data(as_text=True)
    # Other accounts from the same address are not locked out.
    assert log_in(client, "other@example.org").status_code == 302


@pytest.mark.parametrize("spoofed_forwarding", [False, True], ids=["plain", "x-forwarded-for-rotated"])
def test_failed_logins_from_one_address_are_limited_across_emails(app, client, spoofed_forwarding):
    app.config["LOGIN_LIMIT_PER_IP"] = "2 per minute"  # the real limit is 30; fewer argon2 runs
    for n in range(2):
        headers = {"X-Forwarded-For": f"203.0.113.{n}"} if spoofed_forwarding else {}
        assert log_in(client, f"guess{n}@example.org", WRONG, headers=headers).status_code == 200

    headers = {"X-Forwarded-For": "203.0.113.99"} if spoofed_forwarding else {}
    assert log_in(client, "guess99@example.org", WRONG, headers=headers).status_code == 429
    # Another address is not affected.
    other = log_in(client, "guess99@example.org", WRONG, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200


def test_the_login_limits_by_default(app):
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] == "10 per minute; 20 per hour"
    assert app.config["LOGIN_LIMIT_PER_IP"] == "30 per minute"
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT"] == "100 per hour"


ADDRESS_A, ADDRESS_B = {"REMOTE_ADDR": "203.0.113.10"}, {"REMOTE_ADDR": "198.51.100.20"}


def test_ten_failed_logins_from_one_address_do_not_lock_the_owner_out_from_another(app, client, make_user):
    make_user()
    for attempt in range(10):
        assert log_in(client, password=WRONG, environ_base=ADDRESS_A).status_code == 200, attempt
    assert log_in(client, password=WRONG, environ_base=ADDRESS_A).status_code == 429
    assert log_in(client, environ_base=ADDRESS_A).status_code == 429  # from A, even the right password waits
    assert not is_logged_in(client)

    owner = app.test_client()
    assert log_in(owner, environ_base=ADDRESS_B).status_code == 302
    assert is_logged_in(owner)


def test_the_per_account_ceiling_stops_guessing_spread_over_many_addresses(app, client, make_user):
    make_user()
    make_user(email="other@example.org")
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "5 per hour"  # the real ceiling is 100; fewer argon2 runs
    for n in range(5):
        assert log_in(client, password=WRONG, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code == 200, n

    assert log_in(client, password=WRONG, environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code == 429
    assert log_in(client, environ_base=ADDRESS_B).status_code == 429  # the account waits, wherever from
    assert log_in(client, "other@example.org", environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code == 302


def test_refused_attempts_do_not_fill_the_per_account_ceiling(app, client, make_user):
    """Someone kept out by the per-address limit who keeps trying must not use up the owner's ceiling."""
    make_user()
    app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] = "3 per minute"
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "6 per hour"
    statuses = [log_in(client, password=WRONG, environ_base=ADDRESS_A).status_code for _ in range(12)]
    assert statuses == [200] * 3 + [429] * 9
    assert log_in(app.test_client(), environ_base=ADDRESS_B).status_code == 302


def test_successful_logins_do_not_count_towards_either_limit(app, client, make_user):
    make_user()
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "1 per minute"
    app.config["LOGIN_LIMIT_PER_IP"] = "1 per minute"
    for attempt in range(2):
        assert log_in(client).status_code == 302, attempt
    assert log_in(client, password=WRONG).status_code == 200
    assert log_in(client, password=WRONG).status_code == 429


# Where to go after logging in ---------------------------------------------------------------------

OFF_SITE = ["//elsewhere.example", "https://elsewhere.example", "/\\elsewhere.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_ignores_a_next_address_off_the_site(client, make_user, target):
    make_user()
    response = log_in(client, url=LOGIN, query_string={"next": target})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize(
    "target",
    OFF_SITE + ["///elsewhere.example", "/\telsewhere.example", "/\r\nLocation: //elsewhere.example",
                "http:/elsewhere.example", "HTTPS://elsewhere.example", " //elsewhere.example", "", None],
)
def test_off_site_and_malformed_next_values_are_not_safe(target):
    assert not is_safe_next(target)


@pytest.mark.parametrize("target", ["/", "/account/settings", "/competition/?page=2", "/account/login?next=%2F"])
def test_paths_on_the_site_are_safe_next_values(target):
    assert is_safe_next(target)


def test_login_follows_a_next_path_on_the_site(client, make_user):
    make_user()
    # The address Flask-Login sends anonymous visitors to carries the path they wanted.
    sent_to = client.get("/account/settings")
    assert sent_to.status_code == 302
    assert sent_to.location == "/account/login?next=%2Faccount%2Fsettings"

    response = log_in(client, url=sent_to.location)
    assert response.status_code == 302
    assert response.location == "/account/settings"
    assert client.get(response.location).status_code == 200


# Logging out --------------------------------------------------------------------------------------

def test_logout_ends_every_session_of_the_user(app, make_user, sign_in):
    user = make_user()
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    assert log_in(laptop).status_code == 302
    sign_in(phone, user)
    sign_in(colleague, make_user(email="colleague@example.org"))
    assert is_logged_in(laptop) and is_logged_in(phone)

    response = form_post(laptop, "/account/logout")

    assert response.status_code == 302
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(colleague)


@pytest.mark.parametrize(
    "method,with_token,status",
    [("get", False, 405), ("post", False, 400)],
    ids=["get", "post-without-csrf"],
)
def test_logout_needs_a_post_with_a_csrf_token(client, make_user, sign_in, method, with_token, status):
    sign_in(client, make_user())
    response = getattr(client, method)("/account/logout")
    assert response.status_code == status
    assert is_logged_in(client)


def test_password_change_logs_out_other_sessions_but_keeps_this_one(app, make_user, sign_in, outbox):
    user = make_user()
    here, elsewhere = sign_in(app.test_client(), user), sign_in(app.test_client(), user)
    new_password = "a different long passphrase"

    response = form_post(
        here,
        "/account/settings/password",
        {"password-current_password": TEST_PASSWORD, "password-password": new_password,
         "password-confirm": new_password},
    )

    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert [m["Subject"] for m in outbox()] == ["Your password was changed"]
    db.session.expire_all()
    user = User.by_email("teacher@example.org")
    assert accounts.passwords.verify_password(user.password_hash, new_password)
