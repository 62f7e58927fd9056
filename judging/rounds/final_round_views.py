"""A final round that settles the top: the proposal for one category within a workload, and its creation."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from accounts.models import Role
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.models import Round
from judging.results.forms import ProposalLookupForm, WorkloadForm
from judging.results.views import _category, _context
from judging.rounds import final_round as planner


@bp.route("/rounds/<int:round_id>/final-round", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def final_round_plan(round_id: int):
    """GET: the proposal for ``?workload=``; POST: create the final round from it."""
    round_ = get_or_404(Round, round_id, lambda r: r.number == 1)
    categories, category = _category(round_)
    if request.method == "POST":
        return _create(round_, categories, category)
    lookup = ProposalLookupForm(request.args)
    the_plan, status = None, 200
    if "workload" in request.args:
        if lookup.validate():
            the_plan = planner.plan(round_, category, lookup.workload.data)
        else:
            status = 400
    create = WorkloadForm(workload=str(lookup.workload.data) if the_plan else "")
    return _page(round_, categories, category, lookup, create, the_plan), status


def _create(round_, categories, category):
    form = WorkloadForm()
    if form.validate_on_submit():
        the_plan = planner.plan(round_, category, form.workload.data)
        if the_plan.proposal is not None and the_plan.proposal.extra:
            final, added = planner.create(the_plan)
            flash(ngettext("%(num)d entry added to the final round with its extra jurors.",
                           "%(num)d entries added to the final round with their extra jurors.", added)
                  if added else _("The final round already holds these entries; their extra jurors are updated."),
                  "success")
            return redirect(url_for("judging.round_detail", round_id=final.id))  # where the jurors are assigned
        form.workload.errors.append(_("No entry needs more scores in this category: its places are already settled, "
                                      "or no juror of the final jury can score them."))
    lookup = ProposalLookupForm(data={"workload": request.form.get("workload", "")})
    return _page(round_, categories, category, lookup, form, None), 400


def _page(round_, categories, category, lookup, create, the_plan):
    return render_template("judging/results/final_round.html", **_context(
        round_, categories=categories, category=category, lookup=lookup, create=create, plan=the_plan,
        endpoint="judging.final_round_plan"))
