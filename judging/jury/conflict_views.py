"""A juror's conflicts of interest: cities and schools they declare, and "I know this work" on one entry.

These pages show member cities and school names only (explicit column selects: no School or Entry object is
loaded), never entries, pupils or teachers. A declaration changes nothing in the juror's list at once: it goes
to the secretariat, whose next reassignment renews every unstarted entry of the juror (assignment_service.
reassign), so the list cannot be used to probe which entries a city or school matches.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from accounts.models import Role
from competition.models import City, School
from core.db import db
from core.forms import ConfirmForm
from core.permissions import roles_required
from judging import bp
from judging.assignment import service
from judging.jury import operations as ops
from judging.models import Conflict, ConflictKind, JurorProfile
from judging.rounds.forms import CityConflictForm, CodeForm, SchoolConflictForm
from judging.scoring import boundary
from judging.scoring.operations import valid_code


def _profile() -> JurorProfile | None:
    return db.session.get(JurorProfile, current_user.id)


def _places():
    """Active member cities and their schools, as (id, name) columns."""
    cities = db.session.execute(select(City.id, City.name).where(City.active.is_(True)).order_by(City.name)).all()
    schools = db.session.execute(select(School.id, School.name, School.city_id).order_by(School.name)).all()
    return cities, schools


def _forms(cities, schools):
    city_form = CityConflictForm(prefix="city")
    city_form.city.choices = [("", _("Choose a city"))] + [(str(c.id), c.name) for c in cities]
    school_form = SchoolConflictForm(prefix="school")
    by_city: dict[int, list] = {}
    for school in schools:
        by_city.setdefault(school.city_id, []).append(school)
    school_form.school.choices = [("", _("Choose a school"))] + [
        (str(s.id), _("%(school)s (%(city)s)", school=s.name, city=c.name)) for c in cities for s in by_city.get(c.id, [])]
    return city_form, school_form


def _declared(form_field, known: set[int]) -> int | None:
    raw = form_field.data or ""
    return int(raw) if raw.isdigit() and int(raw) in known else None


@bp.route("/conflicts", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def my_conflicts():
    profile = _profile()
    cities, schools = _places()
    city_form, school_form = _forms(cities, schools)
    if profile is not None:
        added = None
        if city_form.city.data and city_form.validate_on_submit():
            city_id = _declared(city_form.city, {c.id for c in cities})
            if city_id is None:
                city_form.city.errors.append(_("Choose a city from the list."))
            else:
                added = ops.declare_conflict(profile, city_id=city_id)
        elif school_form.school.data and school_form.validate_on_submit():
            school_id = _declared(school_form.school, {s.id for s in schools})
            if school_id is None:
                school_form.school.errors.append(_("Choose a school from the list."))
            else:
                added = ops.declare_conflict(profile, school_id=school_id)
        if added is not None:
            flash(_("Your conflict of interest has been recorded. The secretariat applies it at the next "
                    "reassignment: then every entry you have not started yet is given out again."), "success")
            return redirect(url_for("judging.my_conflicts"))
    conflicts = [] if profile is None else db.session.scalars(
        select(Conflict).where(Conflict.juror_id == profile.user_id, Conflict.kind != ConflictKind.ENTRY)
        .order_by(Conflict.created_at)).all()
    works = 0 if profile is None else db.session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.juror_id == profile.user_id, Conflict.kind == ConflictKind.ENTRY))
    all_cities = dict(db.session.execute(select(City.id, City.name)).all())
    names = {"city": all_cities, "school": {s.id: s.name for s in schools}}
    errors = city_form.errors or school_form.errors
    return render_template("judging/conflicts/mine.html", profile=profile, conflicts=conflicts, works=works,
                           names=names, city_form=city_form, school_form=school_form,
                           confirm=ConfirmForm()), (400 if errors else 200)


@bp.post("/conflicts/<int:conflict_id>/delete")
@roles_required(Role.JUROR)
def delete_conflict(conflict_id: int):
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.juror_id != current_user.id or conflict.kind == ConflictKind.ENTRY:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ops.delete_conflict(conflict)
    flash(_("The conflict of interest has been deleted."), "success")
    return redirect(url_for("judging.my_conflicts"))


@bp.post("/conflicts/entry")
@roles_required(Role.JUROR)
def declare_entry_conflict():
    """"I know this work", from the scoring page: by the assignment's code, never by an entry id."""
    form = CodeForm()
    if not form.validate_on_submit():
        abort(400 if form.csrf_token.errors else 404)
    code = form.code.data.strip().upper()
    assignment = boundary.own_assignment(current_user.id, code) if valid_code(code) else None
    profile = _profile()
    if assignment is None or profile is None or not assignment.can_score(current_user):
        abort(404)
    try:
        service.declare_entry_conflict(assignment, profile)
    except service.RoundClosed:  # refused before anything was changed
        flash(_("Scoring for this round is closed, so nothing can be changed. Nothing was recorded."), "error")
        return redirect(url_for("judging.score_entry", code=code))
    flash(_("Thank you. This work has been taken off your list and will be scored by another juror."), "success")
    return redirect(url_for("judging.index"))
