"""A final round that settles the top: the proposal for one category within a workload, its creation (the first
wave), and once the final round's scores come in, the second wave's proposal and its confirmation."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from accounts.models import Role
from core.forms import ConfirmForm
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.aggregation.final_round import SECOND_WAVE_MAX_PER_ENTRY
from judging.models import Round
from judging.results import service as results_service
from judging.results.forms import ProposalLookupForm, WorkloadForm
from judging.results.views import _category, _context
from judging.rounds import final_round as planner
from judging.rounds import second_wave
from judging.rounds.operations import RoundRefused


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


@bp.post("/rounds/<int:round_id>/final-round/second-wave")
@roles_required(Role.SECRETARIAT)
def final_round_second_wave(round_id: int):
    """Confirm the second wave proposed on the page: the extra jurors are assigned and told at once."""
    round_ = get_or_404(Round, round_id, lambda r: r.number == 1)
    categories, category = _category(round_)
    final = results_service.final_round(round_.edition_id)
    if final is None:
        return redirect(url_for("judging.final_round_plan", round_id=round_.id, category=category.id))
    confirm = ConfirmForm()
    error = None
    if confirm.validate_on_submit():
        wave = second_wave.plan(final, category)
        try:
            outcome = second_wave.add(wave)
        except RoundRefused as refused:
            error = refused.message
        else:
            jurors = len({a.juror_id for a in outcome.created})
            flash(ngettext("%(num)d more assignment made for the second wave",
                           "%(num)d more assignments made for the second wave", len(outcome.created))
                  + " " + ngettext("(%(num)d juror told by email).", "(%(num)d jurors told by email).", jurors),
                  "success")
            short = [i for i in outcome.result.unassigned if i in wave.proposal.extra]
            if short:
                flash(ngettext("%(num)d entry could not get all its extra jurors: see the final round's page.",
                               "%(num)d entries could not get all their extra jurors: see the final round's page.",
                               len(short)), "warning")
            return redirect(url_for("judging.final_round_plan", round_id=round_.id, category=category.id))
    lookup, create = ProposalLookupForm(formdata=None), WorkloadForm(formdata=None)
    return _page(round_, categories, category, lookup, create, None, wave_error=error, confirm=confirm), 400


def _page(round_, categories, category, lookup, create, the_plan, wave_error=None, confirm=None):
    final = results_service.final_round(round_.edition_id)
    wave = second_wave.plan(final, category) if final is not None else None
    if wave is not None and not wave.budget.workload:
        wave = None  # the final round was not made from a proposal in this category: no second wave to speak of
    return render_template("judging/results/final_round.html", **_context(
        round_, categories=categories, category=category, lookup=lookup, create=create, plan=the_plan,
        wave=wave, wave_error=wave_error, confirm=confirm or ConfirmForm(), final=final,
        second_wave_cap=SECOND_WAVE_MAX_PER_ENTRY, endpoint="judging.final_round_plan"))
