"""The secretariat's rubric pages: one current rubric per category, edited in place or as a new version."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from accounts.models import Role
from competition.models import Category, Edition
from core.db import db
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.rubrics import operations as ops
from judging.rubrics.forms import RubricForm, rearranged, rubric_form_data


def _current_edition() -> Edition:
    edition = Edition.current()
    if edition is None:
        abort(404)
    return edition


@bp.get("/rubrics")
@roles_required(Role.SECRETARIAT)
def rubrics():
    edition = Edition.current()
    rows = ops.current_rubrics(edition) if edition else []  # the default rubrics, created on first visit
    return render_template("judging/rubrics/index.html", edition=edition, rows=rows, shares=ops.shares)


@bp.route("/rubrics/<int:category_id>", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def rubric_edit(category_id: int):
    edition = _current_edition()
    category = get_or_404(Category, category_id, check=lambda c: c.edition_id == edition.id)
    rubric = next(r for c, r, _used in ops.current_rubrics(edition) if c.id == category.id)
    in_use = ops.in_use(rubric)
    allowed_keys = [c.key for c in rubric.criteria]
    notice = None
    action = request.form.get("action", "save") if request.method == "POST" else None
    if action and action != "save":
        formdata, problem = rearranged(request.form, action)
        form = RubricForm(formdata=formdata or request.form, allowed_keys=allowed_keys)
        if problem:
            form.form_errors.append(problem)
        else:
            notice = _("Not saved yet. Select “Save the rubric” when you have finished.")
        return _render(form, category, rubric, in_use, notice)
    form = RubricForm(data=rubric_form_data(rubric, ops.fingerprint(rubric)), allowed_keys=allowed_keys)
    if form.validate_on_submit():
        if form.fingerprint.data != ops.fingerprint(rubric):
            form.fingerprint.errors.append(_("Someone changed this rubric while you were editing it. Nothing was "
                                             "saved: look at the rubric again and make your changes once more."))
        else:
            try:
                saved, outcome = ops.save_rubric(rubric, form.criterion_values(), current_user)
            except IntegrityError:  # at the flush: a parallel save took the version first
                db.session.rollback()  # the session must start again before the redirect commits
                flash(_("Someone saved this rubric at the same moment. Nothing was saved: look at the rubric "
                        "again and make your changes once more."), "error")
                return redirect(url_for("judging.rubric_edit", category_id=category.id))
            flash({"unchanged": _("Nothing was changed."),
                   "changed": _("The rubric has been saved."),
                   "versioned": _("Version %(n)d of the rubric has been saved. Scores already given keep the "
                                  "version they used.", n=saved.version)}[outcome], "success")
            return redirect(url_for("judging.rubrics"))
    return _render(form, category, rubric, in_use, notice)


def _render(form, category, rubric, in_use, notice):
    # Answered with 200: the default rubrics created on a first visit are kept; nothing from the form was saved.
    form.add_blank_bands()
    return render_template("judging/rubrics/edit.html", form=form, category=category, rubric=rubric, in_use=in_use,
                           notice=notice, shares=ops.shares(rubric))
