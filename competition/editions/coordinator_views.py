"""The secretariat names a city's coordinators: users with the coordinator role who then see that city's entries.

The appointment (city_coordinators) is the only source of a coordinator's scope; no profile field grants it."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from accounts.models import Role, User
from competition import bp
from competition.editions import operations as ops
from competition.models import City, coordinators_of
from core.forms import ConfirmForm, email_field
from core.permissions import get_or_404, roles_required


class CoordinatorForm(FlaskForm):
    email = email_field(_l("Email address of the coordinator"))


@bp.post("/admin/cities/<int:city_id>/coordinators")
@roles_required(Role.SECRETARIAT)
def add_coordinator(city_id: int):
    city = get_or_404(City, city_id)
    form = CoordinatorForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is None or not user.has_role(Role.COORDINATOR):
            flash(_("No account with the city coordinator role uses %(email)s. Invite them first, as a city coordinator.",
                    email=form.email.data), "error")
        else:
            ops.appoint_coordinator(city, user.id)
            flash(_("%(name)s now coordinates %(city)s.", name=user.name, city=city.name), "success")
    else:
        flash(" ".join(str(e) for e in form.email.errors) or _("Your form expired. Please send it again."), "error")
    return redirect(url_for("competition.admin_city_edit", city_id=city.id))


@bp.post("/admin/cities/<int:city_id>/coordinators/<int:user_id>/remove")
@roles_required(Role.SECRETARIAT)
def remove_coordinator(city_id: int, user_id: int):
    city = get_or_404(City, city_id)
    user = get_or_404(User, user_id)
    appointment = ops.appointment(city, user.id)
    if appointment is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        ops.remove_coordinator(city, appointment)
        flash(_("%(name)s no longer coordinates %(city)s.", name=user.name, city=city.name), "success")
    return redirect(url_for("competition.admin_city_edit", city_id=city.id))


@bp.app_context_processor
def _coordinator_helpers():
    return {"coordinators_of": coordinators_of, "CoordinatorForm": CoordinatorForm}
