"""Blind scoring for jurors: the list of their entries, the scoring page, autosave, and the cleaned files."""
from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from competition.models import FilePurpose
from core.db import db, utcnow
from core.files import send_stored
from core.permissions import roles_required

from . import bp
from . import scoring_operations as ops
from .models import ScoreStatus
from .scoring_forms import plain, score_form

TEXT_KINDS = {"docx", "odt", "txt"}


def scorable_assignment(code: str):
    """The juror's own assignment by its code; 404 for anything else (unknown, another juror's, a guess)."""
    assignment = ops.assignment_by_code(code)
    if assignment is None or not assignment.can_score(current_user):
        abort(404)
    return assignment


def _progress(assignments) -> tuple[int, int, str]:
    done = sum(1 for a in assignments if ops.status_of(a) == ScoreStatus.SUBMITTED.value)
    total = len(assignments)
    return done, total, ngettext("%(done)d of %(num)d scored", "%(done)d of %(num)d scored", total,
                                 done=done)


@bp.get("/entries")
@roles_required(Role.JUROR)
def my_entries():
    assignments = ops.juror_assignments(current_user)
    done, total, progress = _progress(assignments)
    return render_template("judging/scoring/list.html", assignments=assignments, done=done, total=total,
                           progress=progress, status_of=ops.status_of, status_titles=ops.STATUS_TITLES)


def _neighbours(assignment, assignments):
    codes = [a.code for a in assignments]
    if assignment.code not in codes:
        return None, None
    i = codes.index(assignment.code)
    return (assignments[i - 1] if i > 0 else None), (assignments[i + 1] if i + 1 < len(assignments) else None)


def _conflict_action() -> str | None:
    if "judging.declare_entry_conflict" not in current_app.view_functions:
        return None
    try:
        return url_for("judging.declare_entry_conflict")
    except Exception:  # noqa: BLE001 - the other helper's route may need arguments we do not know
        return None


def _render(assignment, rubric, form, status=200):
    assignments = ops.juror_assignments(current_user)
    previous, following = _neighbours(assignment, assignments)
    _done, _total, progress = _progress(assignments)
    score_set = assignment.score_set
    submitted = score_set is not None and score_set.status == ScoreStatus.SUBMITTED.value
    others = ops.other_scores(assignment) if submitted and assignment.round.show_other_scores else None
    entry = assignment.entry
    files = [f for f in entry.files if f.purpose in (FilePurpose.WORK.value, FilePurpose.TRANSLATION.value)]
    return render_template(
        "judging/scoring/entry.html", assignment=assignment, entry=entry, rubric=rubric, form=form,
        score_set=score_set, submitted=submitted, is_open=assignment.round.is_open, others=others,
        work_files=[f for f in files if f.purpose == FilePurpose.WORK.value],
        translation_files=[f for f in files if f.purpose == FilePurpose.TRANSLATION.value],
        text_kinds=TEXT_KINDS, previous=previous, following=following, progress=progress, plain=plain,
        status_title=ops.STATUS_TITLES[ops.status_of(assignment)], conflict_action=_conflict_action(),
    ), status


@bp.route("/entries/<code>", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def score_entry(code: str):
    assignment = scorable_assignment(code)
    rubric = ops.rubric_for(assignment)
    if rubric is None:
        abort(404)
    form = score_form(rubric, assignment.score_set)
    if not form.is_submitted():
        return _render(assignment, rubric, form)
    submitting = request.form.get("action") == "submit"
    if not form.validate_for(submitting):
        return _render(assignment, rubric, form, 400)
    try:
        if submitting:
            ops.submit(assignment, rubric, form.cleaned())
        else:
            ops.save_draft(assignment, rubric, form.cleaned())
    except ops.ScoringRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(url_for("judging.score_entry", code=code))
    db.session.commit()
    flash(_("Your scores are submitted. Thank you.") if submitting else _("Your draft is saved."), "success")
    return redirect(url_for("judging.score_entry", code=code))


@bp.post("/entries/<code>/autosave")
@roles_required(Role.JUROR)
def autosave(code: str):
    assignment = scorable_assignment(code)
    rubric = ops.rubric_for(assignment)
    if rubric is None:
        abort(404)
    form = score_form(rubric, assignment.score_set)
    if not form.validate_for(False):
        return jsonify(saved=False, errors=form.field_errors(),
                       message=_("Not saved: correct the highlighted answers.")), 400
    try:
        ops.save_draft(assignment, rubric, form.cleaned())
    except ops.ScoringRefused as refused:
        db.session.rollback()
        return jsonify(saved=False, errors={}, message=str(refused.message)), 409
    db.session.commit()
    now = utcnow()
    return jsonify(saved=True, at=now.isoformat(), message=_("Saved at %(time)s", time=format_time(now, "short")))


VARIANTS = {"cleaned", "web", "translation"}


@bp.get("/entries/<code>/file/<variant>")
@roles_required(Role.JUROR)
def entry_file(code: str, variant: str):
    """The cleaned copies only, named after the code: never an original, never a consent form."""
    assignment = scorable_assignment(code)
    if variant not in VARIANTS:
        abort(404)
    purpose = FilePurpose.TRANSLATION.value if variant == "translation" else FilePurpose.WORK.value
    stored = next((f for f in assignment.entry.files if f.purpose == purpose), None)
    if stored is None:
        abort(404)
    if variant == "web":
        if stored.kind != "image":
            abort(404)
        return send_stored(stored.web_key, "image/jpeg", f"{assignment.code}.jpg", inline=True)
    suffix = "-translation" if variant == "translation" else ""
    # Pictures and PDFs open in the browser (sandboxed by send_stored's CSP); ?download=1 saves a copy.
    inline = stored.kind in ("image", "pdf") and request.args.get("download") != "1"
    return send_stored(stored.cleaned_key, stored.cleaned_mime or "application/octet-stream",
                       f"{assignment.code}{suffix}{stored.cleaned_ext}", inline=inline)
