"""Sign-up, login, logout, password reset and email confirmation."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from accounts import bp, operations, tokens
from accounts.forms import ConfirmForm, ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm
from accounts.models import TokenPurpose, User
from accounts.passwords import hash_password, verify_password
from core.db import db
from core.extensions import limiter
from core.permissions import public, signed_in
from core.security import is_safe_next


def _login_failed(response) -> bool:
    """A password was checked and did not log anyone in. A refused attempt (429) tried nothing, so it does not
    count: otherwise an attacker kept out by one limit would go on filling the per-account ceiling."""
    return response.status_code == 200


def _account() -> str:
    from accounts.models import normalise_email

    return normalise_email(request.form.get("email", ""))[:254]


def _account_key() -> str:
    return "login-account:" + _account()


def _account_and_address_key() -> str:
    return f"login-account-address:{_account()}|{get_remote_address()}"


def start_session(user: User) -> None:
    """Renew the session at login: nothing from before survives but the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True


# Failed logins are limited per account *and* address, so that someone who knows a teacher's email cannot lock
# them out from elsewhere; per address, across accounts; and per account alone, with a much higher ceiling that
# stops guessing spread over many addresses (README, "Fixed policies"). Successful logins do not count.
@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"], key_func=_account_and_address_key,
               methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"],
               deduct_when=_login_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        password_ok = verify_password(user.password_hash if user else None, form.password.data)
        if not password_ok or user is None or not user.is_active_account:
            form.form_errors.append(_("The email address or the password is not right. Check both and try again."))
        elif user.email_confirmed_at is None:
            operations.send_confirmation(user)
            form.form_errors.append(_("Please confirm your email address first. We have sent you a new link."))
        else:
            operations.logged_in(user, form.password.data)
            start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.index"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        current_user.end_all_sessions()
        lang = session.get("lang") or current_user.language
        logout_user()
        session.clear()
        session["lang"] = lang
        flash(_("You have logged out."), "success")
    return redirect(url_for("core.index"))


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        password_hash = hash_password(form.password.data)  # also when the address exists: same timing
        existing = User.by_email(form.email.data)
        if existing is None:
            try:
                operations.create_teacher(form.name.data, form.email.data, password_hash, form.language.data, form.timezone.data)
            except IntegrityError:  # the same address signed up in parallel
                db.session.rollback()
                existing = User.by_email(form.email.data)
        if existing is not None:
            operations.send_already_registered(existing)
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/check-email")
@public
def check_email():
    return render_template("accounts/check_email.html")


def token_problem(error: tokens.TokenError, purpose: TokenPurpose):
    return render_template("accounts/token_problem.html", problem=error.problem.value, purpose=purpose.value), 400


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    form = ConfirmForm()
    try:
        found = tokens.peek(token, TokenPurpose.CONFIRM_EMAIL)
        if form.validate_on_submit():
            found = tokens.consume(token, TokenPurpose.CONFIRM_EMAIL)
            operations.confirm_email(found.user)
            flash(_("Your email address is confirmed. You can log in now."), "success")
            return redirect(url_for("accounts.login"))
    except tokens.TokenError as error:
        db.session.rollback()
        return token_problem(error, TokenPurpose.CONFIRM_EMAIL)
    return render_template("accounts/confirm_email.html", form=form, email=found.user.email)


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is not None and user.is_active_account:
            operations.send_password_reset(user)
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        account = tokens.peek(token, TokenPurpose.RESET_PASSWORD).user
        form = ResetPasswordForm(account_email=account.email, account_name=account.name)
        if form.validate_on_submit():
            found = tokens.consume(token, TokenPurpose.RESET_PASSWORD)
            operations.reset_password(found.user, form.password.data)
            flash(_("Your password has been changed. Log in with the new password."), "success")
            return redirect(url_for("accounts.login"))
    except tokens.TokenError as error:
        db.session.rollback()
        return token_problem(error, TokenPurpose.RESET_PASSWORD)
    return render_template("accounts/reset.html", form=form)

