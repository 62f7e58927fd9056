"""Mail over real SMTP (a local aiosmtpd server), rendered in the recipient's language."""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from accounts import operations
from accounts.models import Role, User
from core import mail, tasks
from core.db import db, utcnow
from core.queue_model import QueuedTask
from tests.clients import TEST_PASSWORD, form_post, link_in
from tests.network import free_port

FRENCH_CATALOGUE = Path(__file__).resolve().parent.parent / "translations/fr/LC_MESSAGES/messages.mo"
needs_french = pytest.mark.skipif(
    not FRENCH_CATALOGUE.exists(), reason="the French catalogue is not compiled yet (make translations)"
)


class Received:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]


@pytest.fixture()
def smtp(app):
    handler = Received()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield handler
    finally:
        controller.stop()


def sign_up(client, language="en", email_address="tina@example.org", **headers):
    return form_post(
        client, "/account/signup",
        {"name": "Tina Teacher", "email": email_address, "password": TEST_PASSWORD, "confirm": TEST_PASSWORD,
         "language": language, "timezone": "Europe/Paris"},
        headers=headers,
    )


def test_sign_up_sends_the_confirmation_over_smtp(app, client, smtp, outbox):
    response = sign_up(client)

    assert response.status_code == 302
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["tina@example.org"]
    assert envelope.mail_from == app.config["MAIL_DEFAULT_SENDER"]
    [message] = smtp.messages
    assert message["To"] == "tina@example.org"
    assert message["Subject"] == "Confirm your email address"
    assert message["Date"] and message["Message-ID"]
    link = link_in(message, "/account/confirm/")
    assert client.get(link).status_code == 200
    assert outbox() == []  # with a server configured, nothing goes to the folder


def test_when_the_mail_server_is_down_the_account_is_kept_and_the_mail_retried(app, client):
    """Mail goes through the task queue after the commit: a server that is down delays it, nothing is lost."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there

    response = sign_up(client)

    assert response.status_code == 302
    assert db.session.scalar(select(User)) is not None
    [task] = db.session.scalars(select(QueuedTask)).all()
    assert task.name == "mail" and task.attempts == 1 and "ConnectionRefusedError" in task.last_error
    assert task.leased_until is None and task.failed_at is None

    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app.config.update(MAIL_PORT=controller.port)
        task.not_before = utcnow()  # the retry is due
        db.session.commit()
        assert tasks.run_task(task.id) is True
    finally:
        controller.stop()
    [message] = handler.messages
    assert message["Subject"] == "Confirm your email address"
    assert db.session.scalars(select(QueuedTask)).all() == []


def test_a_mail_asked_for_in_a_request_that_fails_is_never_sent(app, make_user, outbox):
    user = make_user(email="rolled@example.org", confirmed=False)
    mail.send_template(user.email, "confirm_email", user.language, user=user, link="http://x/")
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalars(select(QueuedTask)).all() == []


def test_a_mail_queued_after_the_last_commit_of_a_request_still_arrives(app, make_user, outbox):
    """One transaction per request (core/transaction.py): what a view mails after its own commit is committed at
    the end of the request."""
    user = make_user(email="late@example.org", confirmed=False)
    with app.test_request_context("/"):
        user = db.session.merge(user)
        user.name = "Late Mailer"
        db.session.commit()
        mail.send_template(user.email, "confirm_email", user.language, user=user, link="http://x/")
        app.process_response(app.response_class("ok"))  # the end of the request: after_request hooks
    [message] = outbox()
    assert message["To"] == "late@example.org"
    assert db.session.scalars(select(QueuedTask)).all() == []


@pytest.mark.parametrize("status", [400, 404, 500])
def test_a_request_that_fails_saves_nothing_and_mails_nothing(app, make_user, outbox, status):
    """A response with an error rolls the whole request back: its changes and its queued mail."""
    user = make_user(email="unsaved@example.org", confirmed=False)
    with app.test_request_context("/"):
        user = db.session.merge(user)
        user.name = "Never Saved"
        mail.send_template(user.email, "confirm_email", user.language, user=user, link="http://x/")
        app.process_response(app.response_class("no", status=status))
    assert outbox() == []
    assert db.session.scalar(select(User.name).where(User.email == "unsaved@example.org")) != "Never Saved"
    assert db.session.scalars(select(QueuedTask)).all() == []


def test_a_request_that_succeeds_saves_its_changes_without_a_commit_in_the_view(app, make_user, outbox):
    user = make_user(email="saved@example.org", confirmed=False)
    with app.test_request_context("/"):
        user = db.session.merge(user)
        user.name = "Saved Once"
        mail.send_template(user.email, "confirm_email", user.language, user=user, link="http://x/")
        app.process_response(app.response_class("ok"))
    assert [m["To"] for m in outbox()] == ["saved@example.org"]
    assert db.session.scalar(select(User.name).where(User.email == "saved@example.org")) == "Saved Once"


def test_keep_on_error_keeps_a_refusals_record(app, make_user):
    from core.transaction import keep_on_error

    user = make_user(email="kept@example.org", confirmed=False)
    with app.test_request_context("/"):
        user = db.session.merge(user)
        user.name = "Kept"
        keep_on_error()
        app.process_response(app.response_class("no", status=429))
    assert db.session.scalar(select(User.name).where(User.email == "kept@example.org")) == "Kept"


def subjects_for(make_user, language: str) -> str:
    user = make_user(email=f"{language}@example.org", language=language, confirmed=False)
    subject = mail.send_template(user.email, "confirm_email", user.language, user=user, link="http://x/")["Subject"]
    db.session.commit()  # queued mail goes once the transaction commits
    return subject


@needs_french
def test_a_french_user_gets_mail_in_french(app, make_user, smtp):
    english = subjects_for(make_user, "en")
    french = subjects_for(make_user, "fr")
    assert english == "Confirm your email address"
    assert french != english
    assert [m["Subject"] for m in smtp.messages] == [english, french]
    body = smtp.messages[1].get_body(("plain",)).get_content()
    assert "Confirm your email address" not in body


@needs_french
def test_mail_follows_the_recipients_language_not_the_senders_browser(client, smtp):
    english_subject = "Confirm your email address"
    sign_up(client, language="fr", email_address="francoise@example.org", **{"Accept-Language": "en"})
    sign_up(client, language="en", email_address="emma@example.org", **{"Accept-Language": "fr"})
    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects["emma@example.org"] == english_subject
    assert subjects["francoise@example.org"] != english_subject


@needs_french
def test_an_invitation_is_written_in_the_language_the_secretariat_chose(client, make_user, sign_in, smtp):
    secretariat = make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,), language="fr")
    sign_in(client, secretariat)
    for language, address in (("en", "english.juror@example.org"), ("fr", "french.juror@example.org")):
        response = form_post(client, "/account/invitations",
                             {"email": address, "roles": ["juror"], "language": language})
        assert response.status_code == 302
    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects["english.juror@example.org"] == 'You are invited to the "More than migrants" school competition'
    assert subjects["french.juror@example.org"] != subjects["english.juror@example.org"]


@pytest.mark.parametrize(
    "template,context",
    [
        ("confirm_email", {"link": "http://localhost/account/confirm/t"}),
        ("reset_password", {"link": "http://localhost/account/reset/t"}),
        ("already_registered", {"login_link": "http://localhost/a", "reset_link": "http://localhost/b"}),
        ("password_changed", {}),
        ("email_changed", {"new_email": "new@example.org"}),
        ("change_email", {"link": "http://localhost/account/email/t"}),
    ],
)
@pytest.mark.parametrize("language", ["en", pytest.param("fr", marks=needs_french)])
def test_every_email_has_a_subject_line_and_a_body(app, make_user, outbox, template, context, language):
    user = make_user(language=language)
    mail.send_template(user.email, template, user.language, user=user, **context)
    db.session.commit()  # queued mail goes once the transaction commits
    [message] = outbox()
    assert message["Subject"] and "\n" not in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Tina Teacher" in body
    for value in context.values():
        assert value in body


def test_invitation_email_names_the_inviter_and_roles(app, make_user, outbox):
    inviter = make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia Secretariat")
    operations.send_invitation("Nils@Example.org", [Role.JUROR, Role.COORDINATOR], "en", inviter)
    db.session.commit()
    [message] = outbox()
    body = message.get_body(("plain",)).get_content()
    assert "Sofia Secretariat invites you to the competition platform as: Juror, City coordinator." in body
    assert link_in(message, "/account/invitation/")
