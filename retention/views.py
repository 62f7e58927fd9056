"""Retention: the secretariat purges an edition's personal data; a teacher downloads what is held on their classes."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from accounts.passwords import verify_password
from competition.models import Edition
from core import file_lifecycle
from core.db import db, utcnow
from core.extensions import limiter
from core.permissions import get_or_404, roles_required
from retention import bp
from retention import export as retention_export
from retention import purge as ops
from retention.forms import PurgeForm


@bp.route("/admin/editions/<int:edition_id>/purge", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
@limiter.limit("20 per hour", methods=["POST"])
def admin_edition_purge(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    refusal = ops.purge_refusal(edition)
    form = PurgeForm()
    status = 200
    if request.method == "POST":
        if refusal:
            flash(_("Nothing was removed.") + " " + refusal, "error")
            return redirect(url_for(".admin_edition_purge", edition_id=edition.id))
        if form.validate_on_submit():
            if verify_password(current_user.password_hash, form.password.data):
                ops.purge_edition(edition)
                deleted = file_lifecycle.unreferenced_candidates(db.session())  # deleted by the request's commit
                flash(_("The personal data of %(name)s has been removed. Stored files deleted: %(n)d.",
                        name=edition.name, n=deleted), "success")
                return redirect(url_for(".admin_edition_purge", edition_id=edition.id))
            form.password.errors.append(_("The password is not right. Nothing was removed."))
        status = 400
    return render_template("retention/purge.html", edition=edition, form=form, refusal=refusal,
                           counts=ops.scope(edition).counts(), purges=ops.purges(edition)), status


@bp.get("/classes/export.zip")
@roles_required(Role.TEACHER)
def classes_export():
    export = retention_export.teacher_export(current_user._get_current_object())
    response = send_file(export.archive, mimetype="application/zip", as_attachment=True,
                         download_name=f"my-classes-data-{utcnow():%Y-%m-%d}.zip", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
