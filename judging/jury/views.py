"""The jury page for the secretariat, and a juror's own profile (languages, city, country)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role, User
from competition.models import Edition
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.jury import operations as ops
from judging.jury.forms import JurorForm, ProfileForm, profile_form_data


@bp.get("/jury")
@roles_required(Role.SECRETARIAT)
def jury():
    return render_template("judging/jury/index.html", jurors=ops.jurors())


@bp.route("/jury/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def juror_edit(user_id: int):
    user = get_or_404(User, user_id, check=ops.is_juror)
    edition = Edition.current()
    profile = ops.profile_of(user, edition)
    form = JurorForm(data=profile_form_data(user, profile), edition=edition, user=user, profile=profile)
    if form.validate_on_submit():
        changed = ops.update_juror(user, profile, form.profile_values(), current_user)  # a drop-out is reassigned
        flash(_("The profile of %(name)s has been saved.", name=user.name) if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("judging.jury"))
    # A juror without a profile gets one with the defaults, as shown: the page's answer (200) commits it.
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
        flash(_("Your profile has been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("judging.my_profile"))
    return render_template("judging/jury/my_profile.html", form=form)
