"""The secretariat's campaign outputs: cards in three sizes and two languages, the plan and its calendar."""
from __future__ import annotations

import io
from urllib.parse import urlparse

from flask import Response, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.models import Role
from campaign import bp
from campaign.cards import SIZES, card_png
from campaign.models import Kind, Status, Submission
from campaign.schedule import Planned, plan, write_ics
from campaign.timeline import timeline
from campaign.views import current_edition
from core.db import db
from core.hosts import public_url
from core.permissions import get_or_404, roles_required


@bp.get("/review/<int:sub_id>/card/<size>-<language>.png")
@roles_required(Role.SECRETARIAT)
def card(sub_id: int, size: str, language: str):
    """A card only while the submission may go on social media: a withdrawal ends it at once."""
    sub = get_or_404(Submission, sub_id, lambda s: s.on_social_media)
    if size not in SIZES or language not in ("en", "fr"):
        abort(404)
    response = Response(card_png(sub, size, language), mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


def _plan(edition):
    subs = db.session.scalars(select(Submission).where(
        Submission.edition_id == edition.id, Submission.status == Status.APPROVED).order_by(Submission.id)).all()
    items = [Planned(s.reference, s.kind, f"{Kind(s.kind).title} · {s.city.name}") for s in subs if s.on_social_media]
    times = timeline(edition)
    labels = {"launch": _("Campaign launch"), "results": _("School competition results"), "page": _("Campaign page opens")}
    return plan(items, times.launch_on, times.statements_on, times.results_on, times.page_on, edition.deadline_timezone,
                labels)


@bp.get("/review/schedule")
@roles_required(Role.SECRETARIAT)
def schedule():
    edition = current_edition()
    return render_template("campaign/review/schedule.html", edition=edition, posts=_plan(edition),
                           times=timeline(edition))


@bp.get("/review/schedule.ics")
@roles_required(Role.SECRETARIAT)
def schedule_ics():
    edition = current_edition()
    out = io.BytesIO()
    write_ics(_plan(edition), out, _("More than migrants: campaign posts"),
              urlparse(public_url("campaign.page")).hostname or "morethanmigrants.invalid")
    response = Response(out.getvalue(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="campaign-posts.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
