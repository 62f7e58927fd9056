"""Account state changes. They flush, never commit: the request commits once (core/transaction.py)."""
from __future__ import annotations

from flask import current_app

from accounts import tokens
from accounts.models import Role, TokenPurpose, User, normalise_email
from accounts.passwords import hash_password, needs_rehash
from core import mail
from core.db import db, utcnow
from core.hosts import public_url


def create_teacher(name: str, email: str, password_hash: str, language: str, timezone: str) -> User:
    user = User(name=name, email=normalise_email(email), password_hash=password_hash, language=language, timezone=timezone)
    user.add_role(Role.TEACHER)
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def create_user(name: str, email: str, password: str, roles: list[Role], *, language: str = "en",
                timezone: str = "Europe/Paris", confirmed: bool = True, password_hash: str | None = None) -> User:
    """``password_hash``: the hash of ``password`` when the caller has it already (the demo's accounts share one)."""
    user = User(
        name=name,
        email=normalise_email(email),
        password_hash=password_hash or hash_password(password),
        language=language,
        timezone=timezone,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    for role in roles:
        user.add_role(role)
    db.session.add(user)
    db.session.flush()
    return user


def send_confirmation(user: User) -> None:
    raw = tokens.issue(TokenPurpose.CONFIRM_EMAIL, current_app.config["TOKEN_MAX_AGE"], user=user)
    mail.send_template(user.email, "confirm_email", user.language, user=user, link=public_url("accounts.confirm_email", token=raw))


def send_already_registered(user: User) -> None:
    mail.send_template(
        user.email, "already_registered", user.language, user=user,
        login_link=public_url("accounts.login"), reset_link=public_url("accounts.forgot_password"),
    )


def send_password_reset(user: User) -> None:
    tokens.revoke_unused(user, TokenPurpose.RESET_PASSWORD)
    raw = tokens.issue(TokenPurpose.RESET_PASSWORD, current_app.config["RESET_TOKEN_MAX_AGE"], user=user)
    mail.send_template(user.email, "reset_password", user.language, user=user, link=public_url("accounts.reset_password", token=raw))


def set_password(user: User, password: str) -> None:
    """A new password ends every session and voids older reset links."""
    user.password_hash = hash_password(password)
    user.end_all_sessions()
    tokens.revoke_unused(user, TokenPurpose.RESET_PASSWORD)


def send_invitation(email: str, roles: list[Role], language: str, invited_by: User) -> None:
    raw = tokens.issue(
        TokenPurpose.INVITATION, current_app.config["TOKEN_MAX_AGE"], email=normalise_email(email),
        roles=[r.value for r in roles], created_by=invited_by,
    )
    mail.send_template(
        email, "invitation", language, inviter=invited_by, roles=roles,
        link=public_url("accounts.accept_invitation", token=raw),
    )


def request_email_change(user: User, new_email: str) -> None:
    raw = tokens.issue(TokenPurpose.CHANGE_EMAIL, current_app.config["TOKEN_MAX_AGE"], user=user, email=normalise_email(new_email))
    mail.send_template(new_email, "change_email", user.language, user=user, link=public_url("accounts.confirm_email_change", token=raw))


def logged_in(user: User, password: str | None = None) -> None:
    """A login that succeeded: its time, and the ``password`` just checked hashed again if the stored hash's
    parameters are out of date."""
    if password is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()


def confirm_email(user: User) -> None:
    """The user proved they read mail at their address (a confirmation, a reset or an invitation link)."""
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.flush()


def reset_password(user: User, password: str) -> None:
    """A reset link was used: the new password, and the address is confirmed by the same token."""
    set_password(user, password)
    confirm_email(user)


def add_roles(user: User, roles: list[Role]) -> None:
    """An invitation accepted by an existing account: its roles are added to the account's."""
    for role in roles:
        user.add_role(role)
    confirm_email(user)


def update_profile(user: User, name: str, language: str, timezone: str) -> None:
    user.name, user.language, user.timezone = name, language, timezone
    db.session.flush()


def change_password(user: User, password: str) -> None:
    """The user changed their own password: every other session ends, and they are told by email."""
    set_password(user, password)
    db.session.flush()
    mail.send_template(user.email, "password_changed", user.language, user=user)


def change_email(user: User, new_email: str) -> None:
    """A change of address confirmed from the new mailbox: sessions end, and the old address is told."""
    old = user.email
    user.email = normalise_email(new_email)
    user.end_all_sessions()
    db.session.flush()
    mail.send_template(old, "email_changed", user.language, user=user, new_email=user.email)
