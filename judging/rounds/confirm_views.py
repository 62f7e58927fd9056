"""The pages that confirm closing and reopening a round, with the counts of what is left unfinished.

The buttons post to judging.round_status (views.py), which calls operations.set_status.
"""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from accounts.models import Role
from core.confirm import Confirmation, render_confirmation
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.models import Round, RoundStatus
from judging.rounds.operations import state_refusal
from judging.rounds.progress import round_progress


def score_set_counts(judging_round: Round) -> dict[str, int]:
    """How many of the round's assignments are submitted, drafts, or not started."""
    total = round_progress(judging_round).total
    assigned, drafts, submitted = total["assigned"], total["draft"], total["submitted"]
    return {"submitted": submitted, "drafts": drafts, "not_started": max(0, assigned - drafts - submitted)}


def count_facts(counts: dict[str, int]) -> list[str]:
    return [
        ngettext("%(num)d score set not started", "%(num)d score sets not started", counts["not_started"]),
        ngettext("%(num)d draft", "%(num)d drafts", counts["drafts"]),
        ngettext("%(num)d score set submitted", "%(num)d score sets submitted", counts["submitted"]),
    ]


@bp.get("/rounds/<int:round_id>/<any(close, reopen):action>/confirm")
@roles_required(Role.SECRETARIAT)
def round_confirm(round_id: int, action: str):
    judging_round = get_or_404(Round, round_id)
    back = url_for("judging.round_detail", round_id=round_id)
    refusal = state_refusal(judging_round, (RoundStatus.OPEN if action == "close" else RoundStatus.CLOSED,),
                            scoring=action == "reopen")
    if refusal is not None:
        flash(str(refusal), "error")
        return redirect(back)
    counts = score_set_counts(judging_round)
    unfinished = counts["not_started"] + counts["drafts"]
    post_to = url_for("judging.round_status", round_id=round_id, action=action)
    if action == "close":
        page = Confirmation(
            title=_("Close %(name)s?", name=judging_round.title),
            lead=_("Jurors will no longer be able to save or submit scores in this round. Drafts are kept, but only "
                   "submitted score sets count in the results. You can reopen the round as long as the results are "
                   "not published."),
            facts=count_facts(counts), button=_("Close the round"), action=post_to, back=back,
            warning=ngettext("%(num)d score set is unfinished: those entries will be ranked on fewer scores.",
                             "%(num)d score sets are unfinished: those entries will be ranked on fewer scores.",
                             unfinished) if unfinished else "")
    else:
        page = Confirmation(
            title=_("Reopen %(name)s?", name=judging_round.title),
            lead=_("Jurors will be able to save and submit scores in this round again. Reopening is recorded in the "
                   "audit log; the results cannot be published while the round is open."),
            facts=count_facts(counts), button=_("Reopen the round"), action=post_to, back=back, danger=False)
    return render_confirmation(page)
