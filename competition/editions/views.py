"""The secretariat's pages: editions and their categories, cities and schools, materials for teachers."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import Role
from competition import bp
from competition.editions import operations as ops
from competition.editions.forms import (
    CityForm,
    EditionForm,
    MaterialForm,
    MergeSchoolForm,
    SchoolForm,
    edition_form_data,
    new_edition_form_data,
)
from competition.models import City, Edition, Material, School
from core.db import db, utcnow
from core.forms import ConfirmForm
from core.i18n import country_name
from core.permissions import get_or_404, roles_required

secretariat_only = roles_required(Role.SECRETARIAT)
# CSRF: CSRFProtect checks every POST; ConfirmForm only renders the token for the button-only forms.


# Editions -----------------------------------------------------------------------
@bp.get("/admin/editions")
@secretariat_only
def admin_editions():
    editions = db.session.scalars(select(Edition).order_by(Edition.deadline_at.desc(), Edition.id.desc())).all()
    return render_template("competition/editions/editions.html", editions=editions, action=ConfirmForm())


@bp.route("/admin/editions/new", methods=["GET", "POST"])
@secretariat_only
def admin_edition_new():
    form = EditionForm(data=new_edition_form_data(utcnow().date()))
    if form.validate_on_submit():
        edition = ops.create_edition(form.edition_values(), form.category_values())
        _flash_saved(form, _("The edition %(name)s has been created.", name=edition.name))
        return redirect(url_for("competition.admin_edition_edit", edition_id=edition.id))
    return render_template("competition/editions/edition_form.html", form=form, edition=None)


@bp.route("/admin/editions/<int:edition_id>", methods=["GET", "POST"])
@secretariat_only
def admin_edition_edit(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    form = EditionForm(data=edition_form_data(edition))
    if form.validate_on_submit():
        changes = ops.update_edition(edition, form.edition_values(), form.category_values())
        _flash_saved(form, _("Your changes have been saved.") if changes else _("Nothing was changed."))
        return redirect(url_for("competition.admin_edition_edit", edition_id=edition.id))
    return render_template("competition/editions/edition_form.html", form=form, edition=edition, action=ConfirmForm())


def _flash_saved(form: EditionForm, message: str) -> None:
    flash(message, "success")
    if form.deadline_ambiguous:
        flash(_("%(time)s happens twice on %(date)s in %(zone)s, when the clocks go back. The first one, in summer "
                "time, is the deadline.", time=form.deadline_time.data.strftime("%H:%M"),
                date=form.deadline_date.data.isoformat(), zone=form.deadline_timezone.data), "info")


@bp.post("/admin/editions/<int:edition_id>/make-current")
@secretariat_only
def admin_edition_make_current(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    ops.make_current(edition)
    flash(_("%(name)s is now the current edition. Teachers see it on the competition page.", name=edition.name),
          "success")
    return redirect(url_for("competition.admin_editions"))


# Cities and schools -------------------------------------------------------------
@bp.get("/admin/cities")
@secretariat_only
def admin_cities():
    cities = db.session.scalars(select(City).options(selectinload(City.schools))).all()
    cities.sort(key=lambda c: (not c.active, country_name(c.country_code).casefold(), c.name.casefold()))
    return render_template("competition/editions/cities.html", cities=cities)


@bp.route("/admin/cities/new", methods=["GET", "POST"])
@secretariat_only
def admin_city_new():
    form = CityForm()
    if form.validate_on_submit():
        city = ops.add_city(form.name.data, form.country_code.data)
        flash(_("%(name)s has been added.", name=city.name), "success")
        return redirect(url_for("competition.admin_cities"))
    return render_template("competition/editions/city_form.html", form=form, city=None)


@bp.route("/admin/cities/<int:city_id>", methods=["GET", "POST"])
@secretariat_only
def admin_city_edit(city_id: int):
    city = get_or_404(City, city_id)
    form = CityForm(obj=city, city=city)
    if form.validate_on_submit():
        ops.update_city(city, form.name.data, form.country_code.data)
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("competition.admin_city_edit", city_id=city.id))
    return render_template("competition/editions/city_form.html", form=form, city=city, action=ConfirmForm(),
                           class_counts=ops.class_counts(city.schools))


@bp.post("/admin/cities/<int:city_id>/active")
@secretariat_only
def admin_city_set_active(city_id: int):
    city = get_or_404(City, city_id)
    if request.form.get("active") not in ("0", "1"):
        abort(400)
    active = request.form["active"] == "1"
    ops.set_city_active(city, active)
    flash(_("%(name)s is active again: teachers can choose it.", name=city.name) if active else
          _("%(name)s is deactivated: teachers can no longer choose it.", name=city.name), "success")
    return redirect(url_for("competition.admin_city_edit", city_id=city.id))


@bp.route("/admin/schools/<int:school_id>", methods=["GET", "POST"])
@secretariat_only
def admin_school_edit(school_id: int):
    school = get_or_404(School, school_id)
    form = SchoolForm(obj=school, school=school, prefix="rename")
    merge = MergeSchoolForm(school=school, prefix="merge")
    if form.validate_on_submit():
        ops.rename_school(school, form.name.data)
        flash(_("The school is now called %(name)s.", name=school.name), "success")
        return redirect(url_for("competition.admin_city_edit", city_id=school.city_id))
    return render_template("competition/editions/school_form.html", school=school, form=form, merge=merge,
                           classes=ops.class_counts([school]).get(school.id, 0))


@bp.post("/admin/schools/<int:school_id>/merge")
@secretariat_only
def admin_school_merge(school_id: int):
    school = get_or_404(School, school_id)
    form = SchoolForm(obj=school, school=school, prefix="rename", formdata=None)
    merge = MergeSchoolForm(school=school, prefix="merge")
    if merge.validate_on_submit():
        keep = merge.target_school
        moved = ops.merge_schools(school, keep)
        flash(_("%(duplicate)s has been merged into %(keep)s (classes moved: %(n)d).", duplicate=school.name,
                keep=keep.name, n=moved), "success")
        return redirect(url_for("competition.admin_city_edit", city_id=keep.city_id))
    return render_template("competition/editions/school_form.html", school=school, form=form, merge=merge,
                           classes=ops.class_counts([school]).get(school.id, 0))


# Materials for teachers ---------------------------------------------------------
@bp.get("/admin/editions/<int:edition_id>/materials")
@secretariat_only
def admin_materials(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    return render_template("competition/editions/materials.html", edition=edition, action=ConfirmForm(),
                           materials=Material.for_edition(edition.id))


@bp.route("/admin/editions/<int:edition_id>/materials/new", methods=["GET", "POST"])
@secretariat_only
def admin_material_new(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    return _material_form(edition, None)


@bp.route("/admin/materials/<int:material_id>", methods=["GET", "POST"])
@secretariat_only
def admin_material_edit(material_id: int):
    material = get_or_404(Material, material_id)
    return _material_form(material.edition, material)


def _material_form(edition: Edition, material: Material | None):
    form = MaterialForm(obj=material, material=material)
    if form.validate_on_submit():
        values = {"title": form.title.data, "title_fr": form.title_fr.data or "", "description": form.description.data or "",
                  "url": form.url.data or None, "language": form.language.data or None}
        material = ops.save_material(edition, material, values, form.pdf_bytes,
                                     form.file.data.filename if form.pdf_bytes else None, form.remove_file.data)
        flash(_("The material %(title)s has been saved.", title=material.title), "success")
        return redirect(url_for("competition.admin_materials", edition_id=edition.id))
    return render_template("competition/editions/material_form.html", form=form, edition=edition, material=material)


@bp.post("/admin/materials/<int:material_id>/delete")
@secretariat_only
def admin_material_delete(material_id: int):
    material = get_or_404(Material, material_id)
    edition_id, title = material.edition_id, material.title
    ops.delete_material(material)
    flash(_("The material %(title)s has been removed.", title=title), "success")
    return redirect(url_for("competition.admin_materials", edition_id=edition_id))


@bp.post("/admin/materials/<int:material_id>/move/<any(up, down):direction>")
@secretariat_only
def admin_material_move(material_id: int, direction: str):
    material = get_or_404(Material, material_id)
    ops.move_material(material, direction)
    anchor = f"m{material.id}"
    return redirect(url_for("competition.admin_materials", edition_id=material.edition_id, _anchor=anchor))
