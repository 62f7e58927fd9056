"""Teachers' classes: the dashboard, registering a class in three short steps, the class page and its pupils."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import subqueryload

from accounts.models import Role
from competition import bp
from competition.classes import operations as ops
from competition.classes.forms import (
    CityForm,
    ClassForm,
    EditClassForm,
    PupilsForm,
    SchoolForm,
)
from competition.entries.freeze import judged_authors
from competition.models import Edition, Entry, SchoolClass
from core.db import db
from core.permissions import get_or_404, roles_required, signed_in

T = "competition/classes/"
NEW_ROWS, MORE_ROWS = 3, 1


def _render(template: str, status: int = 200, **context):
    return render_template(T + template, **context), status


def _closed(edition: Edition | None):
    """The page shown instead of the registration form when no edition takes classes."""
    return _render("closed.html", edition=edition)


def _open_edition() -> Edition | None:
    edition = Edition.current()
    return edition if edition is not None and edition.is_open() else None


@bp.get("/classes/")
@roles_required(Role.TEACHER)
def classes():
    edition = Edition.current()
    rows = ops.teacher_classes(current_user, edition) if edition else []
    return _render("dashboard.html", edition=edition, rows=rows)


# Registering a class: 1. the city, 2. the school, 3. the class. Nothing is saved before step 3.

@bp.route("/classes/new", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def new_class_city():
    edition = _open_edition()
    if edition is None:
        return _closed(Edition.current())
    last = ops.last_class_of(current_user)
    form = CityForm(cities=ops.active_cities())
    if request.method == "GET":
        form.city.data = request.args.get("city") or (str(last.school.city_id) if last else "")
    if form.validate_on_submit():
        return redirect(url_for(".new_class_school", city=form.city.data))
    return _render("new_city.html", 400 if form.errors else 200, form=form, edition=edition)


def _school_form(city, formdata=None):
    kwargs = {} if formdata is None else {"formdata": formdata, "meta": {"csrf": False}}
    return SchoolForm(schools=city.schools, **kwargs)


def _edition_and_city():
    """Steps 2 and 3 of registration: the open edition and the city chosen in step 1, or a response that stops."""
    edition = _open_edition()
    if edition is None:
        return None, None, _closed(Edition.current())
    city = ops.active_city(request.args.get("city"))
    if city is None:
        flash(_("Choose the city of your school from the list."), "error")
        return edition, None, redirect(url_for(".new_class_city"))
    return edition, city, None


@bp.route("/classes/new/school", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def new_class_school():
    edition, city, stop = _edition_and_city()
    if stop:
        return stop
    form = _school_form(city)
    if request.method == "GET":
        last = ops.last_class_of(current_user)
        form.school.data = request.args.get("school") or (str(last.school_id) if last and last.school.city_id == city.id else None)
        form.school_name.data = request.args.get("school_name", "")[:200]
        if form.school_name.data or not city.schools:
            form.school.data = form.school.data or "new"
    if form.validate_on_submit():
        if form.wants_new_school():
            found = ops.school_named(city, form.school_name.data)
            args = {"school": found.id} if found else {"school_name": form.school_name.data}
        else:
            args = {"school": form.chosen_school().id}
        return redirect(url_for(".new_class_details", city=city.id, **args))
    return _render("new_school.html", 400 if form.errors else 200, form=form, city=city, edition=edition)


@bp.route("/classes/new/details", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def new_class_details():
    edition, city, stop = _edition_and_city()
    if stop:
        return stop
    # The school chosen in step 2 comes back in the address: check it again, as if it were typed.
    choice = _school_form(city, formdata=request.args)
    if not choice.validate():
        flash(_("Choose your school again."), "error")
        return redirect(url_for(".new_class_school", city=city.id))
    school = None if choice.wants_new_school() else choice.chosen_school()
    form = ClassForm(languages=edition.language_list)
    if form.validate_on_submit():
        if school is None:
            school = ops.find_or_create_school(city, choice.school_name.data, current_user)
        twice = ops.same_class(edition, school, current_user, form.name.data)
        if twice is not None:
            db.session.rollback()
            flash(_("You have already registered class %(name)s at this school. Here it is.", name=twice.name), "info")
            return redirect(url_for(".class_page", class_id=twice.id))
        school_class = ops.register_class(
            edition, school, current_user, name=form.name.data, age_group=form.age_group.data,
            pupil_count=form.pupil_count.data, language=form.language.data)
        flash(_("Class %(name)s is registered. Now add its pupils.", name=school_class.name), "success")
        return redirect(url_for(".class_page", class_id=school_class.id))
    return _render("new_class.html", 400 if form.errors else 200, form=form, city=city, school=school,
                   school_name=choice.school_name.data, edition=edition)


# One class ------------------------------------------------------------------

def _viewable(class_id: int) -> SchoolClass:
    return get_or_404(SchoolClass, class_id, lambda c: c.can_view(current_user))


def _editable(class_id: int):
    """The class if the user may change it now; otherwise a response explaining why not (or 403)."""
    school_class = _viewable(class_id)
    if school_class.can_edit(current_user):
        return school_class, None
    if school_class.is_open():
        abort(404)  # they may look (secretariat, coordinator) but not change: not a page for them
    flash(_("The deadline for this class has passed. Nothing was changed. Contact the secretariat if you need more time."), "error")
    return school_class, redirect(url_for(".class_page", class_id=school_class.id))


@bp.get("/classes/<int:class_id>")
@signed_in
def class_page(class_id: int):
    school_class = _viewable(class_id)
    # The entries' files in one query whatever their number (selectinload would chunk by 500), not one per entry.
    loaded = db.session.scalars(select(Entry).where(Entry.class_id == school_class.id)  # noqa: F841 (kept while
                                .options(subqueryload(Entry.files))).all()                  # the page renders)
    return _render("class.html", school_class=school_class, can_edit=school_class.can_edit(current_user))


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_class(class_id: int):
    school_class, refused = _editable(class_id)
    if refused:
        return refused
    form = EditClassForm(obj=school_class, school_class=school_class, languages=school_class.edition.language_list)
    if form.validate_on_submit():
        changed = ops.update_class(school_class, **{key: getattr(form, key).data for key in ops.CLASS_FIELDS})
        flash(_("Your changes are saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for(".class_page", class_id=school_class.id))
    return _render("edit_class.html", 400 if form.errors else 200, form=form, school_class=school_class)


@bp.route("/classes/<int:class_id>/pupils", methods=["GET", "POST"])
@signed_in
def edit_pupils(class_id: int):
    school_class, refused = _editable(class_id)
    if refused:
        return refused
    authors = ops.pupils_with_entries(school_class)
    judged = judged_authors(school_class)
    if request.method == "GET":
        rows = [{"pupil_id": p.id, "first_name": p.first_name, "initial": p.initial, "age": p.age}
                for p in school_class.pupils]
        form = PupilsForm(data={"pupils": rows}, school_class=school_class, author_ids=authors)
        _add_rows(form, NEW_ROWS if not rows else MORE_ROWS)
        return _render("pupils.html", form=form, school_class=school_class, authors=authors, problems=[])
    form = PupilsForm(school_class=school_class, author_ids=authors, judged_ids=judged)
    if request.form.get("action") == "add":  # "Add another pupil": the same rows and one more, nothing saved
        _add_rows(form, MORE_ROWS)
        return _render("pupils.html", form=form, school_class=school_class, authors=authors, problems=[])
    if not form.validate():
        return _render("pupils.html", 400, form=form, school_class=school_class, authors=authors,
                       problems=form.problems())
    counts = ops.save_pupils(school_class, form.changes())
    flash(_("The pupils are saved.") if any(counts.values()) else _("Nothing was changed."), "success")
    return redirect(url_for(".class_page", class_id=school_class.id))


def _add_rows(form: PupilsForm, wanted: int) -> None:
    room = form.school_class.pupil_count - len(form.rows)
    for _row in range(max(0, min(wanted, room))):
        form.pupils.append_entry()
