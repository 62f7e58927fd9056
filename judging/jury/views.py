"""The jury page for the secretariat, and a juror's own profile (languages, city, country)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role, User
from competition.models import Edition
from core.db import db
from core.i18n import country_name, language_name
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.jury import operations as ops
from judging.jury.forms import JurorForm, ProfileForm, profile_form_data


@bp.get("/jury")
@roles_required(Role.SECRETARIAT)
def jury():
    return render_template("judging/jury/index.html", jurors=ops.jurors(), country_name=country_name,
                           language_name=language_name)


@bp.route("/jury/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def juror_edit(user_id: int):
    user = get_or_404(User, user_id, check=ops.is_juror)
    edition = Edition.current()
    profile = ops.profile_of(user, edition)
    form = JurorForm(data=profile_form_data(user, profile), edition=edition, user=user, profile=profile)
    if form.validate_on_submit():
        was_active = profile.active
        changed = ops.update_profile(user, profile, form.profile_values(), current_user)
        outcomes = []
        if was_active and not profile.active:
            # Dropped out: their unscored entries go to other jurors; scores already given stay.
            from judging.assignment.service import reassign_open_rounds

            outcomes = reassign_open_rounds(user.id)
        if outcomes:
            from judging.rounds.views import tell_jurors

            for judging_round, outcome in outcomes:
                tell_jurors(judging_round, outcome.created)
        db.session.commit()  # the mails go with it
        flash(_("The profile of %(name)s has been saved.", name=user.name) if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("judging.jury"))
    db.session.commit()  # a juror without a profile gets one with the defaults, as shown
    return render_template("judging/jury/edit.html", form=form, juror=user, profile=profile)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def my_profile():
    edition = Edition.current()
    profile = ops.profile_of(current_user, edition)
    form = ProfileForm(data=profile_form_data(current_user, profile), edition=edition, user=current_user,
                       profile=profile)
    if form.validate_on_submit():
        changed = ops.update_profile(current_user, profile, form.profile_values(), current_user)
        db.session.commit()
        flash(_("Your profile has been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("judging.my_profile"))
    db.session.commit()
    return render_template("judging/jury/my_profile.html", form=form)
