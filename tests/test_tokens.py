"""Links sent by email: confirmation, password reset, invitation and email change.

Each works once, for a limited time, and says plainly why it cannot be used otherwise.
"""
from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from accounts import operations
from accounts.models import Role, Token, User
from accounts.passwords import verify_password
from core.db import db, utcnow
from tests.clients import TEST_PASSWORD, form_post, link_in

NEW_PASSWORD = "a brand new passphrase"
USED = "This link has already been used. Each link works only once."
EXPIRED = "This link has expired."
INVALID = "This link is not valid."


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@dataclass
class Flow:
    """One kind of emailed link: how to get one, what a valid form holds, and what it changes."""

    prefix: str
    issue: Callable  # (make_user) -> snapshot of the state the link would change
    data: dict
    state: Callable  # () -> the state now


def _confirm(make_user):
    user = make_user(confirmed=False)
    operations.send_confirmation(user)
    db.session.commit()


def _reset(make_user):
    user = make_user()
    operations.send_password_reset(user)
    db.session.commit()


def _invitation(make_user):
    inviter = make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia")
    operations.send_invitation("new.juror@example.org", [Role.JUROR], "en", inviter)
    db.session.commit()


def _change_email(make_user):
    user = make_user()
    operations.request_email_change(user, "new.address@example.org")
    db.session.commit()


def _teacher_state():
    db.session.expire_all()
    user = User.by_email("teacher@example.org")
    return (user.email, user.email_confirmed_at, user.password_hash, user.alternative_id) if user else None


FLOWS = {
    "confirm": Flow("/account/confirm/", _confirm, {}, _teacher_state),
    "reset": Flow("/account/reset/", _reset, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, _teacher_state),
    "invitation": Flow(
        "/account/invitation/", _invitation,
        {"name": "Nils Juror", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "timezone": "Europe/Oslo"},
        lambda: (user_count(), User.by_email("new.juror@example.org")),
    ),
    "change_email": Flow("/account/email/", _change_email, {}, _teacher_state),
}


@pytest.fixture(params=list(FLOWS))
def flow(request, make_user, outbox):
    """A flow with one link issued and sent; ``flow.link`` is the path from the email."""
    flow = copy.copy(FLOWS[request.param])
    flow.issue(make_user)
    [message] = outbox()
    flow.link = link_in(message, flow.prefix)
    flow.name = request.param
    return flow


def expire_all_tokens():
    db.session.execute(update(Token).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


# Every kind of link ------------------------------------------------------------------------------

def test_link_shows_a_form_and_changes_nothing_until_posted(client, flow):
    before = flow.state()
    response = client.get(flow.link)
    assert response.status_code == 200
    assert '<form method="post"' in response.get_data(as_text=True)
    assert flow.state() == before


def test_link_works_once(client, flow):
    before = flow.state()
    first = form_post(client, flow.link, flow.data)
    assert first.status_code == 302
    after_first = flow.state()
    assert after_first != before

    for method in ("get", "post"):
        again = form_post(client, flow.link, flow.data) if method == "post" else client.get(flow.link)
        assert again.status_code == 400, method
        assert USED in again.get_data(as_text=True)
    assert flow.state() == after_first


@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_link_says_expired_and_changes_nothing(client, flow, method):
    expire_all_tokens()
    before = flow.state()
    response = form_post(client, flow.link, flow.data) if method == "post" else client.get(flow.link)
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert flow.state() == before


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda link: secrets.token_urlsafe(32), id="random"),
        pytest.param(lambda link: link.rsplit("/", 1)[1][:-1] + ("B" if link.endswith("A") else "A"),
                     id="last-character-changed"),
        pytest.param(lambda link: link.rsplit("/", 1)[1] + "x" * 80, id="too-long"),
        pytest.param(lambda link: link.rsplit("/", 1)[1].upper(), id="upper-case"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_link_says_not_valid_and_changes_nothing(client, flow, forge, method):
    url = flow.prefix + forge(flow.link)
    if url == flow.link:
        pytest.skip("the forgery happened to equal the real token")
    before = flow.state()
    response = form_post(client, url, flow.data) if method == "post" else client.get(url)
    assert response.status_code == 400
    assert INVALID in response.get_data(as_text=True)
    assert flow.state() == before


def test_link_for_one_purpose_is_not_valid_for_another(client, flow):
    token = flow.link.rsplit("/", 1)[1]
    for other in FLOWS.values():
        if other.prefix != flow.prefix:
            response = client.get(other.prefix + token)
            assert response.status_code == 400, other.prefix
            assert INVALID in response.get_data(as_text=True)


def test_only_a_hash_of_the_token_is_stored(flow):
    token = flow.link.rsplit("/", 1)[1]
    stored = db.session.scalars(select(Token)).all()
    assert len(stored) == 1
    assert token not in stored[0].token_hash


# Email confirmation ------------------------------------------------------------------------------

def test_sign_up_then_confirm_by_email(client, outbox):
    response = form_post(
        client, "/account/signup",
        {"name": "Tina Teacher", "email": "Tina@Example.org", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD,
         "language": "en", "timezone": "Europe/Lisbon"},
    )
    assert response.status_code == 302
    assert response.location == "/account/check-email"
    user = User.by_email("tina@example.org")
    assert user is not None and user.email == "tina@example.org"
    assert user.email_confirmed_at is None
    assert user.role_set == {Role.TEACHER}
    assert user.timezone == "Europe/Lisbon"

    [message] = outbox()
    assert message["To"] == "tina@example.org"
    assert message["Subject"] == "Confirm your email address"
    link = link_in(message, "/account/confirm/")

    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Confirm my email address" in html
    assert "tina@example.org" in html
    assert reload(user).email_confirmed_at is None  # a mail scanner opening the link confirms nothing

    confirmed = form_post(client, link)
    assert confirmed.status_code == 302
    assert confirmed.location == "/account/login"
    confirmed_at = reload(user).email_confirmed_at
    assert confirmed_at is not None

    again = form_post(client, link)
    assert again.status_code == 400
    assert USED in again.get_data(as_text=True)
    assert reload(user).email_confirmed_at == confirmed_at


def test_sign_up_with_a_registered_email_looks_the_same_and_sends_a_reminder(client, make_user, outbox):
    existing = make_user()
    before = (existing.name, existing.password_hash)
    data = {"name": "Someone Else", "email": "TEACHER@example.org", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "language": "en", "timezone": "Europe/Paris"}

    response = form_post(client, "/account/signup", data)

    assert response.status_code == 302
    assert response.location == "/account/check-email"
    assert user_count() == 1
    existing = reload(existing)
    assert (existing.name, existing.password_hash) == before
    [message] = outbox()
    assert message["To"] == "teacher@example.org"
    assert message["Subject"] == "You already have an account"
    assert link_in(message, "/account/forgot")
    assert "/account/confirm/" not in message.get_body(("plain",)).get_content()


# Password reset ----------------------------------------------------------------------------------

def forgot(client, email):
    return form_post(client, "/account/forgot", {"email": email})


def test_password_reset_journey(app, client, make_user, outbox, sign_in):
    user = make_user()
    elsewhere = sign_in(app.test_client(), user)

    sent = forgot(client, "teacher@example.org")
    assert sent.status_code == 200
    [message] = outbox()
    assert message["Subject"] == "Reset your password"
    link = link_in(message, "/account/reset/")

    assert client.get(link).status_code == 200
    done = form_post(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.location == "/account/login"
    user = reload(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert elsewhere.get("/account/settings").status_code == 302  # a reset ends every session

    third = "yet another long passphrase"
    reused = form_post(client, link, {"password": third, "confirm": third})
    assert reused.status_code == 400
    assert USED in reused.get_data(as_text=True)
    assert reload(user).password_hash == user.password_hash


@pytest.mark.parametrize("failure", ["expired", "forged"])
def test_old_password_still_works_after_a_failed_reset(client, make_user, outbox, failure):
    make_user()
    forgot(client, "teacher@example.org")
    link = link_in(outbox()[0], "/account/reset/")
    if failure == "expired":
        expire_all_tokens()
    else:
        link = "/account/reset/" + secrets.token_urlsafe(32)

    response = form_post(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 400
    login = form_post(client, "/account/login", {"email": "teacher@example.org", "password": TEST_PASSWORD})
    assert login.status_code == 302


def test_a_new_reset_link_replaces_the_older_one(client, make_user, outbox):
    make_user()
    forgot(client, "teacher@example.org")
    forgot(client, "teacher@example.org")
    first, second = (link_in(m, "/account/reset/") for m in outbox())
    assert first != second
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_forgot_password_for_an_unknown_email_looks_the_same_and_sends_nothing(client, make_user, outbox):
    make_user()
    known = forgot(client, "teacher@example.org")
    assert len(outbox()) == 1
    unknown = forgot(client, "nobody@example.org")
    assert len(outbox()) == 1
    assert known.status_code == unknown.status_code == 200

    def panel(response, email):
        html = response.get_data(as_text=True)
        return html[html.index('<div class="panel">'):html.index("</main>")].replace(email, "EMAIL")

    assert panel(known, "teacher@example.org") == panel(unknown, "nobody@example.org")


# Invitations -------------------------------------------------------------------------------------

@pytest.fixture()
def secretariat_client(app, make_user, sign_in):
    return sign_in(app.test_client(), make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,),
                                                name="Sofia Secretariat"))


def invite(secretariat_client, email, roles=("juror",), language="en"):
    response = form_post(secretariat_client, "/account/invitations",
                         {"email": email, "roles": list(roles), "language": language})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response


def test_invited_juror_accepts_and_is_logged_in(client, secretariat_client, outbox):
    invite(secretariat_client, "Nils.Juror@example.org")
    [message] = outbox()
    assert message["To"].lower() == "nils.juror@example.org"
    link = link_in(message, "/account/invitation/")
    assert "Waiting" in secretariat_client.get("/account/invitations").get_data(as_text=True)

    form = client.get(link)
    assert form.status_code == 200
    assert "nils.juror@example.org" in form.get_data(as_text=True)
    accepted = form_post(client, link, FLOWS["invitation"].data)

    assert accepted.status_code == 302
    assert accepted.location == "/"
    juror = User.by_email("nils.juror@example.org")
    assert juror.name == "Nils Juror"
    assert juror.role_set == {Role.JUROR}
    assert juror.email_confirmed_at is not None
    assert juror.timezone == "Europe/Oslo"
    landing = client.get("/judging/", follow_redirects=True)  # logged in, as a juror: lands on their entries
    assert landing.status_code == 200 and landing.request.path == "/judging/entries"
    assert "Accepted" in secretariat_client.get("/account/invitations").get_data(as_text=True)

    again = client.get(link)
    assert again.status_code == 400
    assert USED in again.get_data(as_text=True)


def test_invitation_for_an_existing_account_adds_the_role(client, make_user, secretariat_client, outbox):
    teacher = make_user()
    invite(secretariat_client, "teacher@example.org", roles=("juror", "coordinator"))
    link = link_in(outbox()[0], "/account/invitation/")

    page = client.get(link)
    assert "You already have an account with teacher@example.org" in page.get_data(as_text=True)
    accepted = form_post(client, link)

    assert accepted.status_code == 302
    assert accepted.location == "/account/login"
    assert user_count() == 2
    teacher = reload(teacher)
    assert teacher.role_set == {Role.TEACHER, Role.JUROR, Role.COORDINATOR}
    assert verify_password(teacher.password_hash, TEST_PASSWORD)
