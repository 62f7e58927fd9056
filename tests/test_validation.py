"""Form validation: messages that say how to fix the problem, linked from the error summary; nothing saved."""
from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from accounts import operations
from accounts.models import Role, Token, User
from core.db import db
from tests.clients import TEST_PASSWORD, form_post, link_in

GOOD_PASSWORD = "a brand new passphrase"

TOO_LONG_NAME = "Enter a name of at most 120 characters."
PLAIN_TEXT = "Use letters, numbers and ordinary punctuation only (no &lt; or &gt; and no control characters)."
TOO_LONG_EMAIL = "Enter an email address of at most 254 characters."
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org."
CONTROL = "The text contains invisible control characters. Retype it or paste it as plain text."
TOO_SHORT = "Use at least 12 characters."
TOO_COMMON = "This password is too common or too easy to guess. Try a short sentence you will remember."
MISMATCH = "The two passwords are not the same. Type them again."

EMAIL_255 = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".org"
EMAIL_254 = EMAIL_255[1:]
assert len(EMAIL_255) == 255 and len(EMAIL_254) == 254


def counts():
    """Everything a form in this file could create."""
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Token)),
    )


def summary_links(html: str) -> dict[str, list[str]]:
    """The error summary's messages by the field id they link to."""
    box = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert box, "no error summary on the page"
    links: dict[str, list[str]] = {}
    for field_id, message in re.findall(r'<a href="#([^"]+)">(.*?)</a>', box.group(0), re.DOTALL):
        links.setdefault(field_id, []).append(message)
    return links


def assert_refused(response, field_id: str, message: str):
    assert response.status_code in (200, 400)
    html = response.get_data(as_text=True)
    assert message in summary_links(html).get(field_id, []), summary_links(html)
    # The same message beside the field, and the field is there to be linked to.
    inline = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.DOTALL)
    assert inline and message in inline.group(1)
    assert f'id="{field_id}"' in html


@dataclass
class Form:
    """A form under test: where it is, a valid submission, and the state it would change."""

    setup: Callable  # (ctx) -> url
    valid: dict
    state: Callable = counts
    prefix: str = ""

    def field(self, name):
        return f"{self.prefix}-{name}" if self.prefix else name


@pytest.fixture()
def ctx(app, client, make_user, sign_in, outbox):
    class Ctx:
        pass

    c = Ctx()
    c.app, c.client, c.make_user, c.sign_in, c.outbox = app, client, make_user, sign_in, outbox
    return c


def _signup(ctx):
    return "/account/signup"


def _signed_in(url):
    def setup(ctx):
        ctx.sign_in(ctx.client, ctx.make_user())
        return url

    return setup


def _secretariat(ctx):
    ctx.sign_in(ctx.client, ctx.make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,)))
    return "/account/invitations"


def _invitation(ctx):
    inviter = ctx.make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,))
    operations.send_invitation("new.juror@example.org", [Role.JUROR], "en", inviter)
    db.session.commit()
    return link_in(ctx.outbox()[-1], "/account/invitation/")


def _reset(ctx):
    user = ctx.make_user()
    operations.send_password_reset(user)
    db.session.commit()
    return link_in(ctx.outbox()[-1], "/account/reset/")


def _teacher():
    db.session.expire_all()
    user = User.by_email("teacher@example.org")
    return (user.name, user.email, user.password_hash, user.language, user.timezone)


def _mail_count(ctx):
    return len(ctx.outbox())


FORMS = {
    "signup": Form(_signup, {"name": "Tina Teacher", "email": "tina@example.org", "password": GOOD_PASSWORD,
                             "confirm": GOOD_PASSWORD, "language": "en", "timezone": "Europe/Paris"}),
    "profile": Form(_signed_in("/account/settings/profile"),
                    {"name": "Tina T.", "language": "en", "timezone": "Europe/Paris"}, _teacher, "profile"),
    "change-email": Form(_signed_in("/account/settings/email"),
                         {"email": "new@example.org", "current_password": TEST_PASSWORD}, _teacher, "email"),
    "change-password": Form(_signed_in("/account/settings/password"),
                            {"current_password": TEST_PASSWORD, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
                            _teacher, "password"),
    "accept-invitation": Form(_invitation, {"name": "Nils Nordmann Juror", "password": GOOD_PASSWORD,
                                            "confirm": GOOD_PASSWORD, "timezone": "Europe/Oslo"}),
    "reset": Form(_reset, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}, _teacher),
    "invite": Form(_secretariat, {"email": "new.juror@example.org", "roles": ["juror"], "language": "en"}),
    "forgot": Form(lambda ctx: (ctx.make_user(), "/account/forgot")[1], {"email": "teacher@example.org"}),
    "login": Form(lambda ctx: "/account/login", {"email": "teacher@example.org", "password": TEST_PASSWORD}),
}


def submit(ctx, form: Form, url: str, **changes):
    data = {form.field(k): v for k, v in {**form.valid, **changes}.items()}
    return form_post(ctx.client, url, data)


def refused_without_saving(ctx, form_name, field, value, message):
    form = FORMS[form_name]
    url = form.setup(ctx)
    before, mails = form.state(), len(ctx.outbox())
    response = submit(ctx, form, url, **{field: value})
    assert_refused(response, form.field(field), message)
    assert form.state() == before
    assert len(ctx.outbox()) == mails
    return response


# Names and email addresses -----------------------------------------------------------------------

BAD_NAMES = [
    pytest.param("x" * 121, TOO_LONG_NAME, id="121-characters"),
    pytest.param("Ann\x00Smith", PLAIN_TEXT, id="nul-byte"),
    pytest.param("<script>alert(1)</script>", PLAIN_TEXT, id="html"),
    pytest.param("Ann\u202eSmith", PLAIN_TEXT, id="direction-override"),
    pytest.param("Ann\nSmith", PLAIN_TEXT, id="newline"),
    pytest.param("   ", "Enter your name.", id="blank"),
]


@pytest.mark.parametrize("value,message", BAD_NAMES)
@pytest.mark.parametrize("form_name", ["signup", "profile", "accept-invitation"])
def test_bad_name_is_refused_with_a_linked_message_and_nothing_saved(ctx, form_name, value, message):
    response = refused_without_saving(ctx, form_name, "name", value, message)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


BAD_EMAILS = [
    pytest.param(EMAIL_255, TOO_LONG_EMAIL, id="255-characters"),
    pytest.param("tina.example.org", EMAIL_FORMAT, id="no-at-sign"),
    pytest.param("tina@", EMAIL_FORMAT, id="no-domain"),
    pytest.param("tina@example.org\x00", CONTROL, id="nul-byte"),
    pytest.param("<b>@example.org", EMAIL_FORMAT, id="html"),
    pytest.param("tina@example.org\nBcc: all@example.org", EMAIL_FORMAT, id="header-injection"),
]


@pytest.mark.parametrize("value,message", BAD_EMAILS)
@pytest.mark.parametrize("form_name", ["signup", "change-email", "invite", "forgot", "login"])
def test_bad_email_is_refused_with_a_linked_message_and_nothing_saved(ctx, form_name, value, message):
    response = refused_without_saving(ctx, form_name, "email", value, message)
    assert "<b>@example.org" not in response.get_data(as_text=True)


def test_longest_allowed_name_and_email_are_accepted(ctx, outbox):
    name = "Zoë Ødegård-Łukasiewicz " + "x" * 96
    assert len(name) == 120
    response = submit(ctx, FORMS["signup"], "/account/signup", name=name, email=EMAIL_254.upper())
    assert response.status_code == 302
    user = User.by_email(EMAIL_254)
    assert user.name == name
    assert user.email == EMAIL_254
    assert outbox()[0]["To"] == EMAIL_254


# Passwords ---------------------------------------------------------------------------------------

PASSWORD_FORMS = ["signup", "reset", "accept-invitation", "change-password"]
ACCOUNT_EMAIL = {"signup": "tina@example.org", "reset": "teacher@example.org",
                 "accept-invitation": "new.juror@example.org", "change-password": "teacher@example.org"}
ACCOUNT_NAME = {"signup": "Tina Teacher", "reset": "Tina Teacher", "accept-invitation": "Nils Nordmann Juror",
                "change-password": "Tina Teacher"}


@pytest.mark.parametrize(
    "weak,message",
    [
        pytest.param("elevenchars", TOO_SHORT, id="11-characters"),
        pytest.param("password1234", TOO_COMMON, id="common"),
        pytest.param("PASSWORD1234", TOO_COMMON, id="common-in-capitals"),
        pytest.param("aaaaaaaaaaaaaaaa", TOO_COMMON, id="one-letter"),
        pytest.param("{email}", TOO_COMMON, id="the-email"),
        pytest.param("{name}", TOO_COMMON, id="the-name"),
    ],
)
@pytest.mark.parametrize("form_name", PASSWORD_FORMS)
def test_weak_password_is_refused(ctx, form_name, weak, message):
    weak = weak.format(email=ACCOUNT_EMAIL[form_name], name=ACCOUNT_NAME[form_name])
    form = FORMS[form_name]
    url = form.setup(ctx)
    before = form.state()
    response = submit(ctx, form, url, password=weak, confirm=weak)
    assert_refused(response, form.field("password"), message)
    assert form.state() == before


@pytest.mark.parametrize("form_name", PASSWORD_FORMS)
def test_password_confirmation_must_match(ctx, form_name):
    form = FORMS[form_name]
    url = form.setup(ctx)
    before = form.state()
    response = submit(ctx, form, url, confirm=GOOD_PASSWORD + "!")
    assert_refused(response, form.field("confirm"), MISMATCH)
    assert form.state() == before


def test_change_password_refuses_a_wrong_current_password(ctx):
    form = FORMS["change-password"]
    url = form.setup(ctx)
    before = form.state()
    response = submit(ctx, form, url, current_password="not my password at all")
    assert_refused(response, "password-current_password", "The current password is not right.")
    assert form.state() == before


# Output ------------------------------------------------------------------------------------------

def test_stored_text_is_escaped_on_pages(client, make_user, sign_in):
    sign_in(client, make_user(name="""Ann <b>&"'"""))
    page = client.get("/account/settings").get_data(as_text=True)
    assert "&lt;b&gt;" in page
    assert "<b>" not in page
    assert "Ann &lt;b&gt;&amp;&#34;&#39;" in page  # the name field's value


def test_stored_text_is_not_html_escaped_in_plain_text_emails(app, make_user, outbox):
    user = make_user(name="Seán O'Brien & <Co>", confirmed=False)
    operations.send_confirmation(user)
    db.session.commit()  # queued mail goes once the transaction commits
    body = outbox()[0].get_body(("plain",)).get_content()
    assert "Hello Seán O'Brien & <Co>," in body
    assert html_lib.escape("O'Brien") not in body
