"""The secretariat decides the order of a tie that the rubric's criteria leave, with a recorded reason."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from core.converters import id_from
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.models import Round
from judging.results import operations, service
from judging.results import ties as tie_service
from judging.results.forms import TieOrderForm
from judging.results.views import _category, _context


@bp.route("/rounds/<int:round_id>/ties/<int:rank>", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def decide_tie(round_id: int, rank: int):
    round_ = get_or_404(Round, round_id)
    categories, category = _category(round_)
    res = service.load_category(round_, category)
    tie = tie_service.open_tie(res, rank)
    if tie is None:
        abort(404)  # no open tie at this place (or it was decided meanwhile)
    form = TieOrderForm()
    order = [id_from(request.form.get(f"place-{n}", "")) for n in range(1, len(tie) + 1)]
    place_error = None
    if form.validate_on_submit():
        problem = tie_service.order_problem(tie, order, form.reason.data or "")
        if problem is None:
            operations.decide_tie(round_, res, tie, order, form.reason.data, current_user)  # ranked again at once
            flash(_("The order of the tie at place %(rank)d is recorded.", rank=rank), "success")
            return redirect(url_for("judging.results", round_id=round_.id, category=category.id))
        field, message = problem
        if field == "reason":
            form.reason.errors.append(message)
        else:
            place_error = message
    status = 400 if request.method == "POST" else 200
    return render_template("judging/results/tie.html", **_context(
        round_, categories=categories, category=category, res=res, tie=tie, rank=rank, form=form,
        order=order if request.method == "POST" else [r.entry_id for r in tie], place_error=place_error)), status
