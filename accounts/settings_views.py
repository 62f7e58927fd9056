"""A user's own settings: profile, password and email address."""
from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from accounts import bp, operations, tokens
from accounts.forms import ChangeEmailForm, ChangePasswordForm, ConfirmForm, ProfileForm
from accounts.models import TokenPurpose, User
from accounts.passwords import verify_password
from core.db import db
from core.permissions import public, signed_in


def _render(profile=None, password=None, email=None, status=200):
    return render_template(
        "accounts/settings.html",
        profile=profile or ProfileForm(obj=current_user, prefix="profile"),
        password_form=password or ChangePasswordForm(prefix="password"),
        email_form=email or ChangeEmailForm(prefix="email"),
    ), status


@bp.get("/settings")
@signed_in
def settings():
    return _render()


@bp.post("/settings/profile")
@signed_in
def update_profile():
    form = ProfileForm(prefix="profile")
    if not form.validate_on_submit():
        return _render(profile=form, status=400)
    operations.update_profile(current_user, form.name.data, form.language.data, form.timezone.data)
    session["lang"] = current_user.language
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/password")
@signed_in
def change_password():
    user = current_user._get_current_object()  # the User itself: login_user must not be given the proxy
    form = ChangePasswordForm(prefix="password", account_email=user.email, account_name=user.name)
    if form.validate_on_submit():
        if verify_password(user.password_hash, form.current_password.data):
            operations.change_password(user, form.password.data)
            login_user(user)  # this session continues under the new id; all others end
            flash(_("Your password has been changed. You have been logged out everywhere else."), "success")
            return redirect(url_for("accounts.settings"))
        form.current_password.errors.append(_("The current password is not right."))
    return _render(password=form, status=400)


@bp.post("/settings/email")
@signed_in
def change_email():
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is not right."))
        else:
            if form.email.data != current_user.email and User.by_email(form.email.data) is None:
                operations.request_email_change(current_user, form.email.data)
            # The same answer whether or not the address is taken: nothing is revealed.
            flash(_("We have sent a link to %(email)s. Open it to confirm the new address.", email=form.email.data), "success")
            return redirect(url_for("accounts.settings"))
    return _render(email=form, status=400)


@bp.route("/email/<token>", methods=["GET", "POST"])
@public
def confirm_email_change(token: str):
    from accounts.views import token_problem

    form = ConfirmForm()
    try:
        found = tokens.peek(token, TokenPurpose.CHANGE_EMAIL)
        if form.validate_on_submit():
            found = tokens.consume(token, TokenPurpose.CHANGE_EMAIL)
            if User.by_email(found.email) is not None:
                db.session.rollback()
                return token_problem(tokens.TokenError(tokens.TokenProblem.USED), TokenPurpose.CHANGE_EMAIL)
            operations.change_email(found.user, found.email)
            flash(_("Your email address is changed. Log in with the new address."), "success")
            return redirect(url_for("accounts.login"))
    except tokens.TokenError as error:
        db.session.rollback()
        return token_problem(error, TokenPurpose.CHANGE_EMAIL)
    return render_template("accounts/confirm_email.html", form=form, email=found.email)
