"""The juror confirms submitting their scores: submitted scores are final.

"Submit scores" on the scoring page saves the draft and comes here (scoring_views.score_entry); this page
lists the scores about to be submitted, and its button submits the saved draft.
"""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from accounts.models import Role
from core.confirm import Confirmation, render_confirmation
from core.db import db
from core.forms import ConfirmForm
from core.permissions import roles_required
from judging import bp
from judging.models import ScoreStatus
from judging.scoring import boundary
from judging.scoring import operations as ops
from judging.scoring.forms import plain
from judging.scoring.views import _view_or_404


def _saved_data(rubric, score_set) -> dict:
    saved = {v.criterion_id: v for v in score_set.values}
    values = {c.key: (saved[c.id].value if c.id in saved else None, saved[c.id].comment if c.id in saved else "")
              for c in rubric.criteria}
    return {"values": values, "overall_comment": score_set.overall_comment or ""}


def _missing(rubric, data) -> list:
    return [c for c in rubric.criteria if c.required and data["values"][c.key][0] is None]


@bp.route("/entries/<code>/submit", methods=["GET", "POST"])
@roles_required(Role.JUROR)
def confirm_submit_scores(code: str):
    view = _view_or_404(code)  # the juror's boundary: no entry is loaded
    rubric, score_set = view.rubric, view.score_set
    back = url_for("judging.score_entry", code=code)
    if score_set is None or score_set.status != ScoreStatus.DRAFT:
        if score_set is not None:
            flash(str(ops.ALREADY_SUBMITTED), "error")
        return redirect(back)
    data = _saved_data(rubric, score_set)
    missing = _missing(rubric, data)
    if missing:
        flash(_("Enter a score for %(criterion)s before you submit", criterion=_(missing[0].title)), "error")
        return redirect(back)
    if ConfirmForm().validate_on_submit():
        assignment = boundary.own_assignment(current_user.id, code)
        if assignment is None:  # pragma: no cover - found above in this request
            abort(404)
        try:
            ops.submit(assignment, rubric, data)
        except ops.ScoringRefused as refused:
            db.session.rollback()
            flash(str(refused.message), "error")
            return redirect(back)
        flash(_("Your scores are submitted. Thank you."), "success")
        return redirect(back)
    left = view.progress.total - view.progress.done - 1
    facts = [_("%(criterion)s: %(score)s", criterion=_(c.title), score=plain(data["values"][c.key][0]) or "–")
             for c in rubric.criteria]
    facts.append(ngettext("After this, %(num)d entry is left to score.", "After this, %(num)d entries are left to score.",
                          max(left, 0)))
    page = Confirmation(
        title=_("Submit your scores for %(code)s?", code=view.code),
        lead=_("Submitted scores are final: you cannot change them afterwards. Your draft is saved, so you can go "
               "back and change it first."),
        facts=facts, button=_("Submit scores"), action=url_for("judging.confirm_submit_scores", code=code),
        back=back, danger=False)
    return render_confirmation(page)
