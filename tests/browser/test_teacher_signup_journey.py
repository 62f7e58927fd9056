"""A teacher signs up, confirms by the emailed link, logs in, switches to French and logs out."""
from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

PASSWORD = "a long teacher password 42"


def latest_link(app, path_prefix: str) -> str:
    outbox = Path(app.config["MAIL_OUTBOX"])
    files = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    assert files, "no email in the outbox"
    message = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+(" + re.escape(path_prefix) + r"\S*)", body)
    assert match, body
    return match.group(1)


def test_teacher_signup_confirm_login_french_logout(server, page, check_a11y, shoot):
    page.goto(server.url + "/")
    check_a11y(page)
    shoot(page, "home-en")

    page.get_by_role("link", name="Create a teacher account").first.click()
    check_a11y(page)
    # A first try with a mismatched confirmation shows the error summary, linked to the field.
    page.get_by_label("Full name").fill("Amélie Dupont")
    page.get_by_label("Email address").fill("amelie@example.org")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "not the same" in summary.inner_text()
    check_a11y(page)
    shoot(page, "signup-error-en")

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD)
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    check_a11y(page)

    page.goto(server.url + latest_link(server.app, "/account/confirm/"))
    check_a11y(page)
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_text("Your email address is confirmed").wait_for()

    page.get_by_label("Email address").fill("amelie@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    check_a11y(page)
    shoot(page, "login-en")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Amélie Dupont").wait_for()
    check_a11y(page)

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name=re.compile("Bienvenue")).wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    check_a11y(page)
    shoot(page, "home-signed-in-fr")

    page.get_by_role("navigation").get_by_role("link", name="Votre compte").click()
    assert page.get_by_label("Langue").input_value() == "fr"
    check_a11y(page)
    shoot(page, "settings-fr")

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_text("Votre session a été fermée").wait_for()
    assert page.get_by_role("link", name="Se connecter").first.is_visible()
