"""Blind scoring for jurors: the list of their entries, the scoring page, autosave, and the cleaned files.

Everything here is built from judging.scoring.boundary's projections; no identity model is loaded."""
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
from judging import bp
from judging.scoring import boundary
from judging.scoring import operations as ops
from judging.scoring.forms import plain, score_form

TEXT_KINDS = {"docx", "odt", "txt"}


def _progress_text(progress: boundary.Progress) -> str:
    return ngettext("%(done)d of %(num)d scored", "%(done)d of %(num)d scored", progress.total, done=progress.done)


def _view_or_404(code: str) -> boundary.JurorEntry:
    """The juror's own assignment by its code; 404 for anything else (unknown, another juror's, a guess)."""
    if not ops.valid_code(code):
        abort(404)
    view = boundary.juror_entry(current_user.id, code)
    if view is None or view.rubric is None:
        abort(404)
    return view


@bp.get("/entries")
@roles_required(Role.JUROR)
def my_entries():
    items = boundary.juror_list(current_user.id)
    progress = boundary.progress_of(items)
    return render_template("judging/scoring/list.html", items=items, done=progress.done, total=progress.total,
                           progress=_progress_text(progress), status_titles=ops.STATUS_TITLES)


def _conflict_action() -> str | None:
    if "judging.declare_entry_conflict" not in current_app.view_functions:
        return None
    return url_for("judging.declare_entry_conflict")


def _render(view: boundary.JurorEntry, form, status=200):
    others = (boundary.other_scores(view.assignment_id)
              if view.submitted and view.round.show_other_scores else None)
    return render_template(
        "judging/scoring/entry.html", view=view, rubric=view.rubric, form=form, score_set=view.score_set,
        submitted=view.submitted, is_open=view.round.is_open, others=others, text_kinds=TEXT_KINDS,
        progress=_progress_text(view.progress), plain=plain, status_title=ops.STATUS_TITLES[view.status],
        conflict_action=_conflict_action() if view.round.is_open else None,
    ), status


def _save(code: str, view: boundary.JurorEntry, form, submitting: bool):
    """Write through the Assignment row (no entry loaded); raises ScoringRefused."""
    assignment = boundary.own_assignment(current_user.id, code)
    if assignment is None:  # pragma: no cover - the view above found it in this request
        abort(404)
    if submitting:
        ops.submit(assignment, view.rubric, form.cleaned())
    else:
        ops.save_draft(assignment, view.rubric, form.cleaned())


@bp.route("/entries/<code>", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def score_entry(code: str):
    view = _view_or_404(code)
    if request.method == "GET" and (view.submitted or not view.round.is_open):
        return _render(view, None)  # the scores read only (_readonly.html): no form to build
    form = score_form(view.rubric, view.score_set)
    if not form.is_submitted():
        return _render(view, form)
    submitting = request.form.get("action") == "submit"
    if not form.validate_for(submitting):
        return _render(view, form, 400)
    try:
        if submitting and request.form.get("confirmed") != "1":
            # Submitting is final: keep what was typed as a draft, then ask (judging/scoring/confirm_views.py).
            _save(code, view, form, False)
            return redirect(url_for("judging.confirm_submit_scores", code=code))
        _save(code, view, form, submitting)
    except ops.ScoringRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(url_for("judging.score_entry", code=code))
    flash(_("Your scores are submitted. Thank you.") if submitting else _("Your draft is saved."), "success")
    return redirect(url_for("judging.score_entry", code=code))


@bp.post("/entries/<code>/autosave")
@roles_required(Role.JUROR)
def autosave(code: str):
    view = _view_or_404(code)
    form = score_form(view.rubric, view.score_set)
    if not form.validate_for(False):
        return jsonify(saved=False, errors=form.field_errors(),
                       message=_("Not saved: correct the highlighted answers.")), 400
    try:
        _save(code, view, form, False)
    except ops.ScoringRefused as refused:
        return jsonify(saved=False, errors={}, message=str(refused.message)), 409
    now = utcnow()
    return jsonify(saved=True, at=now.isoformat(), message=_("Saved at %(time)s", time=format_time(now, "short")))


VARIANTS = {"cleaned", "web", "translation"}


@bp.get("/entries/<code>/file/<variant>")
@roles_required(Role.JUROR)
def entry_file(code: str, variant: str):
    """The cleaned copies only, named after the code: never an original, never a consent form."""
    if variant not in VARIANTS or not ops.valid_code(code):
        abort(404)
    purpose = FilePurpose.TRANSLATION if variant == "translation" else FilePurpose.WORK
    stored = boundary.cleaned_file(current_user.id, code, purpose, web=variant == "web")
    if stored is None or (variant == "web" and stored.kind != "image"):
        abort(404)
    if variant == "web":
        return send_stored(stored.key, stored.mime, f"{code}{stored.ext}", inline=True)  # the cleaned copy until the web one is made
    suffix = "-translation" if variant == "translation" else ""
    # Pictures and PDFs open in the browser (sandboxed by send_stored's CSP); ?download=1 saves a copy.
    inline = stored.kind in ("image", "pdf") and request.args.get("download") != "1"
    return send_stored(stored.key, stored.mime, f"{code}{suffix}{stored.ext}", inline=inline)
