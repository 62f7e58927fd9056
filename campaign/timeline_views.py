"""The secretariat sets the campaign's timeline and its quote-card limit on the current edition."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from accounts.models import Role
from campaign import bp
from campaign import operations as ops
from campaign.timeline import timeline
from campaign.views import current_edition
from competition.editions.operations import NonExistentLocalTime, local_to_utc
from core.forms import LocalDateField, LocalTimeField
from core.permissions import roles_required


class TimelineForm(FlaskForm):
    deadline_date = LocalDateField(_l("Deadline for the cities (date)"), validators=[Optional()],
                                   description=_l("Leave empty to use the competition's deadline."))
    deadline_time = LocalTimeField(_l("Deadline for the cities (time)"), format=["%H:%M", "%H:%M:%S"],
                                   validators=[Optional()])
    launch_on = LocalDateField(_l("Launch on social media"), validators=[Optional()])
    statements_on = LocalDateField(_l("Statements published"), validators=[Optional()])
    page_on = LocalDateField(_l("Campaign page opens (International Migrants Day)"), validators=[Optional()])
    max_quotes = IntegerField(_l("Most quote cards per city"), validators=[
        InputRequired(message=_l("Enter the most quote cards per city, from 0 to 100.")),
        NumberRange(0, 100, message=_l("Enter the most quote cards per city, from 0 to 100."))])


@bp.route("/review/timeline", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def timeline_settings():
    edition = current_edition()
    times = timeline(edition)
    local = times.deadline_at.astimezone(edition.deadline_local.tzinfo)
    form = TimelineForm(data={"deadline_date": local.date() if edition.campaign_deadline_at else None,
                              "deadline_time": local.time() if edition.campaign_deadline_at else None,
                              "launch_on": times.launch_on, "statements_on": times.statements_on,
                              "page_on": times.page_on, "max_quotes": edition.campaign_max_quotes})
    if form.validate_on_submit():
        deadline = None
        if form.deadline_date.data is not None:
            try:
                deadline, _ambiguous = local_to_utc(form.deadline_date.data, form.deadline_time.data or local.time(),
                                                    edition.deadline_timezone)
            except NonExistentLocalTime:
                form.deadline_time.errors = [_("This time does not exist that night: choose another, like 23:59.")]
        dates = [d for d in (form.launch_on.data, form.statements_on.data, form.page_on.data) if d]
        if dates and min(dates) <= (deadline or edition.deadline_at).date():
            form.launch_on.errors = [_("Enter campaign dates after the cities' deadline.")]
        if not form.errors:
            ops.set_timeline(edition, deadline=deadline, launch_on=form.launch_on.data,
                             statements_on=form.statements_on.data, page_on=form.page_on.data,
                             max_quotes=form.max_quotes.data)
            flash(_("The campaign's timeline is saved."), "success")
            return redirect(url_for("campaign.timeline_settings"))
    return render_template("campaign/review/timeline.html", form=form, edition=edition,
                           times=timeline(edition)), 400 if form.errors else 200
