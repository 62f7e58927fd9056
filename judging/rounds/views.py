"""The secretariat's judging pages: the dashboard, rounds, the assignment and its preview, reminders."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from accounts.models import Role
from competition.models import Category, Edition, Entry
from core.converters import id_from
from core.db import db
from core.forms import ConfirmForm
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.assignment import service
from judging.models import Assignment, Round, RoundStatus
from judging.rounds import operations as ops
from judging.rounds.forms import AddJurorForm, ReminderForm, RoundForm
from judging.rounds.progress import explain_problem, explain_remedy, explain_warning, overlap, round_progress

SECRETARIAT = Role.SECRETARIAT


@bp.context_processor
def _round_helpers():
    return {"round_status_titles": {s.value: s.title for s in RoundStatus}}


def _rounds(edition):
    if edition is None:
        return []
    return list(db.session.scalars(select(Round).where(Round.edition_id == edition.id).order_by(Round.number)))


@bp.get("/dashboard")
@roles_required(SECRETARIAT)
def dashboard():
    edition = Edition.current()
    rounds = _rounds(edition)
    return render_template("judging/rounds/dashboard.html", edition=edition, rounds=rounds,
                           progress={r.id: round_progress(r) for r in rounds}, confirm=ConfirmForm())


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(SECRETARIAT)
def round_new():
    edition = Edition.current()
    if edition is None:
        abort(404)
    number = ops.next_number(edition)
    form = RoundForm()
    if form.validate_on_submit():
        judging_round = ops.create_round(edition, form.jurors_per_entry.data, form.seed.data, _closes_at(form))
        flash(_("Round %(n)d has been created. Check the assignment before you open it.", n=number), "success")
        return redirect(url_for("judging.round_detail", round_id=judging_round.id))
    return render_template("judging/rounds/new.html", form=form, number=number), (400 if form.errors else 200)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required(SECRETARIAT)
def round_edit(round_id: int):
    judging_round = get_or_404(Round, round_id)
    if judging_round.status == RoundStatus.CLOSED:
        abort(404)
    form = RoundForm(obj=judging_round)
    if request.method == "GET" and judging_round.closes_at:
        local = judging_round.closes_at.astimezone(ZoneInfo(current_user.timezone or "UTC"))
        form.closes_on.data, form.closes_time.data = local.date(), local.time().replace(second=0, microsecond=0)
    if form.validate_on_submit():
        ops.change_round(judging_round, form.jurors_per_entry.data, form.seed.data, _closes_at(form))
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("judging.round_detail", round_id=round_id))
    return render_template("judging/rounds/new.html", form=form, number=judging_round.number,
                           round=judging_round), (400 if form.errors else 200)


def _closes_at(form):
    if not form.closes_on.data:
        return None
    at = form.closes_time.data or time(23, 59)
    local = datetime.combine(form.closes_on.data, at).replace(tzinfo=ZoneInfo(current_user.timezone or "UTC"))
    return local.astimezone(ZoneInfo("UTC"))


@bp.get("/rounds/<int:round_id>")
@roles_required(SECRETARIAT)
def round_detail(round_id: int):
    judging_round = get_or_404(Round, round_id)
    return render_template("judging/rounds/detail.html", round=judging_round,
                           progress=round_progress(judging_round), confirm=ConfirmForm(),
                           eligible=len(service.eligible_entries(judging_round)),
                           jurors=len(service.round_jurors(judging_round)),
                           pending=len([a for a in service.invalid_assignments(judging_round)
                                        if not service.has_submitted_score(a)])
                           if judging_round.status != "closed" else 0)


@bp.post("/rounds/<int:round_id>/<any(open, close, reopen):action>")
@roles_required(SECRETARIAT)
def round_status(round_id: int, action: str):
    """Open scoring, close the round (after judging/rounds/confirm_views.py's page) or reopen a closed round."""
    judging_round = get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.set_status(judging_round, action)  # opening tells the jurors: the mails go with the request's commit
    except ops.RoundRefused as refused:
        flash(str(refused.message), "error")
    else:
        flash({"open": _("Scoring is open."), "close": _("The round is closed."),
               "reopen": _("The round is open again: jurors can finish their scores.")}[action], "success")
    return redirect(url_for("judging.round_detail", round_id=judging_round.id))


def _render_preview(judging_round, outcome, status=200):
    categories = {c.id: c for c in db.session.scalars(select(Category).where(
        Category.edition_id == judging_round.edition_id))}
    problems = [(outcome.entries.get(r.params.get("entry_id")), explain_problem(r, outcome))
                for r in outcome.result.problems]
    warnings = [explain_warning(w, categories, outcome) for w in outcome.result.warnings]
    remedies = {code: [explain_remedy(r, categories) for r in outcome.result.remedies if r.code == code]
                for code in ("raise_cap", "add_jurors")}
    loads = []
    for juror_id, total in sorted(outcome.result.loads.items(), key=lambda x: outcome.jurors[x[0]].name.lower()
                                  if x[0] in outcome.jurors else ""):
        per_cat = {int(c): n.get(juror_id, 0) for c, n in outcome.result.category_loads.items()}
        loads.append((outcome.jurors.get(juror_id), total, per_cat))
    used = sorted((categories[int(c)] for c in outcome.result.category_loads if int(c) in categories),
                  key=lambda c: (c.age_group, c.discipline))
    return render_template("judging/rounds/preview.html", round=judging_round, outcome=outcome, problems=problems,
                           remedies=remedies, warnings=warnings, loads=loads, categories=used, overlap=overlap(outcome),
                           confirm=ConfirmForm()), status


@bp.get("/rounds/<int:round_id>/preview")
@roles_required(SECRETARIAT)
def round_preview(round_id: int):
    judging_round = get_or_404(Round, round_id)
    return _render_preview(judging_round, service.preview(judging_round))


@bp.post("/rounds/<int:round_id>/assign")
@roles_required(SECRETARIAT)
def round_assign(round_id: int):
    judging_round = get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit() or judging_round.status == RoundStatus.CLOSED:
        abort(400)
    outcome = ops.assign(judging_round)
    if not outcome.complete:  # nothing was changed
        return _render_preview(judging_round, outcome, 409)
    flash(_saved_message(len(outcome.created)), "success")
    return redirect(url_for("judging.round_detail", round_id=judging_round.id))


@bp.post("/rounds/<int:round_id>/reassign")
@roles_required(SECRETARIAT)
def round_reassign(round_id: int):
    judging_round = get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = ops.reassign(judging_round)
    flash(_("%(removed)d assignments removed and %(created)d made. %(short)d entries still need jurors.",
            removed=outcome.removed, created=len(outcome.created), short=len(outcome.result.unassigned)),
          "success" if not outcome.result.unassigned else "error")
    return redirect(url_for("judging.round_detail", round_id=judging_round.id))


def _saved_message(n: int) -> str:
    return ngettext("The assignment is saved: %(num)d new assignment.",
                    "The assignment is saved: %(num)d new assignments.", n)


@bp.route("/rounds/<int:round_id>/entries/<int:entry_id>", methods=["GET", "POST"])
@roles_required(SECRETARIAT)
def round_entry(round_id: int, entry_id: int):
    judging_round = get_or_404(Round, round_id)
    entry = get_or_404(Entry, entry_id)
    assignments = db.session.scalars(select(Assignment).where(
        Assignment.round_id == round_id, Assignment.entry_id == entry_id).order_by(Assignment.id)).all()
    taken = {a.juror_id for a in assignments}
    profiles = service.round_jurors(judging_round)
    conflicted = service.conflicted_jurors(entry, profiles)
    languages = service.entry_languages(entry)
    free = [p for p in profiles if p.user_id not in taken and p.user_id not in conflicted]
    form = AddJurorForm()
    form.juror.choices = [("", _("Choose a juror"))] + [
        (str(p.user_id), p.user.name + ("" if not languages or set(p.language_list) & languages
                                        else " " + _("(does not read its language)"))) for p in free]
    if form.validate_on_submit():
        juror = next((p.user for p in free if str(p.user_id) == form.juror.data), None)
        if juror is None:
            form.juror.errors.append(_("Choose a juror from the list."))
        else:
            service.add_manual(judging_round, entry, juror)
            flash(_("%(name)s has been added.", name=juror.name), "success")
            return redirect(url_for("judging.round_entry", round_id=round_id, entry_id=entry_id))
    return render_template("judging/rounds/entry.html", round=judging_round, entry=entry, assignments=assignments,
                           form=form), (400 if form.errors else 200)


@bp.route("/assignments/<int:assignment_id>/remove", methods=["GET", "POST"])
@roles_required(SECRETARIAT)
def assignment_remove(assignment_id: int):
    assignment = get_or_404(Assignment, assignment_id)
    back = url_for("judging.round_entry", round_id=assignment.round_id, entry_id=assignment.entry_id)
    if service.has_submitted_score(assignment):
        flash(_("%(name)s has already submitted a score for this entry, so the assignment cannot be removed.",
                name=assignment.juror.name), "error")
        return redirect(back)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.remove(assignment)
        flash(_("The assignment has been removed."), "success")
        return redirect(back)
    return render_template("judging/rounds/remove.html", assignment=assignment, form=form, back=back)


@bp.post("/rounds/<int:round_id>/remind")
@roles_required(SECRETARIAT)
def send_reminders(round_id: int):
    judging_round = get_or_404(Round, round_id)
    form = ReminderForm()
    if not form.validate_on_submit():
        abort(400)
    only = None if not form.juror.data else {id_from(form.juror.data)} - {None}  # None: every juror
    targets = ops.send_reminders(judging_round, only)
    if targets:
        flash(ngettext("A reminder has been sent to %(num)d juror.", "A reminder has been sent to %(num)d jurors.",
                       len(targets)), "success")
    else:
        flash(_("No reminder was sent: nobody has unfinished work."), "success")
    return redirect(request.referrer if _safe_referrer() else url_for("judging.round_detail", round_id=round_id))


def _safe_referrer() -> bool:
    ref = request.referrer or ""
    return ref.startswith(request.host_url) and "/judging/" in ref
