"""A juror's conflicts of interest: cities and schools they declare, and "I know this work" on one entry.

These pages show member cities and school names only, never entries, pupils or teachers.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounts.forms import ConfirmForm
from accounts.models import Role
from competition.models import City, School
from core.audit import record
from core.db import db
from core.permissions import roles_required

from . import assignment_service as service
from . import bp
from .models import Assignment, Conflict, ConflictKind, JurorProfile
from .round_forms import CityConflictForm, CodeForm, SchoolConflictForm
from .round_views import tell_jurors


def _profile() -> JurorProfile | None:
    return db.session.get(JurorProfile, current_user.id)


def _forms():
    cities = db.session.scalars(select(City).where(City.active.is_(True)).order_by(City.name)).all()
    city_form = CityConflictForm(prefix="city")
    city_form.city.choices = [("", _("Choose a city"))] + [(str(c.id), c.name) for c in cities]
    school_form = SchoolConflictForm(prefix="school")
    school_form.school.choices = [("", _("Choose a school"))] + [
        (str(s.id), _("%(school)s (%(city)s)", school=s.name, city=c.name)) for c in cities for s in c.schools]
    return city_form, school_form


@bp.route("/conflicts", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def my_conflicts():
    profile = _profile()
    city_form, school_form = _forms()
    if profile is not None:
        added = None
        if city_form.city.data and city_form.validate_on_submit():
            city = db.session.get(City, int(city_form.city.data)) if city_form.city.data.isdigit() else None
            if city is None:
                city_form.city.errors.append(_("Choose a city from the list."))
            else:
                added = Conflict(juror_id=profile.user_id, kind=ConflictKind.CITY.value, city_id=city.id)
        elif school_form.school.data and school_form.validate_on_submit():
            school = db.session.get(School, int(school_form.school.data)) if school_form.school.data.isdigit() else None
            if school is None:
                school_form.school.errors.append(_("Choose a school from the list."))
            else:
                added = Conflict(juror_id=profile.user_id, kind=ConflictKind.SCHOOL.value, school_id=school.id)
        if added is not None:
            db.session.add(added)
            db.session.flush()
            record("conflict_declared", added, kind=added.kind)
            db.session.expire(profile, ["conflicts"])
            outcomes = service.reassign_open_rounds(profile.user_id)
            for judging_round, outcome in outcomes:
                tell_jurors(judging_round, outcome.created)
            db.session.commit()  # the mails go with it
            flash(_("Your conflict of interest has been recorded. Any entries it concerns will go to other jurors."),
                  "success")
            return redirect(url_for("judging.my_conflicts"))
    conflicts = [] if profile is None else db.session.scalars(
        select(Conflict).where(Conflict.juror_id == profile.user_id, Conflict.kind != ConflictKind.ENTRY.value)
        .order_by(Conflict.created_at)).all()
    works = 0 if profile is None else len([c for c in profile.conflicts if c.kind == ConflictKind.ENTRY.value])
    names = {"city": {c.id: c.name for c in db.session.scalars(select(City))},
             "school": {s.id: s.name for s in db.session.scalars(select(School))}}
    errors = city_form.errors or school_form.errors
    return render_template("judging/conflicts/mine.html", profile=profile, conflicts=conflicts, works=works,
                           names=names, city_form=city_form, school_form=school_form,
                           confirm=ConfirmForm()), (400 if errors else 200)


@bp.post("/conflicts/<int:conflict_id>/delete")
@roles_required(Role.JUROR)
def delete_conflict(conflict_id: int):
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.juror_id != current_user.id or conflict.kind == ConflictKind.ENTRY.value:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    record("conflict_deleted", conflict, kind=conflict.kind)
    db.session.delete(conflict)
    db.session.commit()
    flash(_("The conflict of interest has been deleted."), "success")
    return redirect(url_for("judging.my_conflicts"))


@bp.post("/conflicts/entry")
@roles_required(Role.JUROR)
def declare_entry_conflict():
    """"I know this work", from the scoring page: by the assignment's code, never by an entry id."""
    form = CodeForm()
    if not form.validate_on_submit():
        abort(400 if form.csrf_token.errors else 404)
    assignment = db.session.scalar(select(Assignment).where(Assignment.code == form.code.data.strip().upper()))
    profile = _profile()
    if assignment is None or profile is None or not assignment.can_score(current_user):
        abort(404)
    judging_round = assignment.round
    outcome = service.declare_entry_conflict(assignment, profile)
    tell_jurors(judging_round, outcome.created)
    db.session.commit()  # the mails go with it
    flash(_("Thank you. This work has been taken off your list and will be scored by another juror."), "success")
    return redirect(url_for("judging.index"))
