"""The secretariat invites jurors, coordinators and colleagues; invitees accept."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounts import bp, operations, tokens
from accounts.forms import AcceptInvitationForm, ConfirmForm, InviteForm
from accounts.models import Role, Token, TokenPurpose, User
from accounts.views import start_session, token_problem
from core.db import db, utcnow
from core.i18n import current_language
from core.permissions import public, roles_required


@bp.route("/invitations", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        roles = [Role(r) for r in form.roles.data]
        operations.send_invitation(form.email.data, roles, form.language.data, current_user)
        flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("accounts.invite"))
    invitations = db.session.scalars(
        select(Token).where(Token.purpose == TokenPurpose.INVITATION).order_by(Token.created_at.desc()).limit(200)
    ).all()
    return render_template("accounts/invite.html", form=form, invitations=invitations, now=utcnow())


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        found = tokens.peek(token, TokenPurpose.INVITATION)
        existing = User.by_email(found.email)
        form = ConfirmForm() if existing else AcceptInvitationForm(account_email=found.email)
        if form.validate_on_submit():
            found = tokens.consume(token, TokenPurpose.INVITATION)
            if existing:
                operations.add_roles(existing, found.role_list)
                flash(_("The new role has been added to your account. Log in to use it."), "success")
                return redirect(url_for("accounts.login"))
            user = operations.create_user(
                form.name.data, found.email, form.password.data, found.role_list,
                language=current_language(), timezone=form.timezone.data,
            )
            operations.logged_in(user)
            start_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("core.index"))
    except tokens.TokenError as error:
        db.session.rollback()
        return token_problem(error, TokenPurpose.INVITATION)
    return render_template("accounts/accept_invitation.html", form=form, invitation=found, existing=existing)
