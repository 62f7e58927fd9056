"""The public campaign page: approved quotes, stories and statements with consent to publication, EN and FR.

Consent is read on every request, and nothing here is cached: a withdrawal applies on the next one.
"""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import Role
from campaign import bp
from campaign.models import Kind, Status, Submission
from campaign.timeline import page_open, timeline
from campaign.views import current_edition
from core.files import send_stored
from core.permissions import get_or_404, public


def _visible(edition) -> bool:
    """Everyone from the page's day; the secretariat before it, as a preview."""
    return page_open(edition) or (current_user.is_authenticated and current_user.has_role(Role.SECRETARIAT))


@bp.get("/page")
@public
def page():
    edition = current_edition()
    if not _visible(edition):
        return render_template("campaign/page.html", edition=edition, by_kind={}, Kind=Kind,
                               opens_on=timeline(edition).page_on), 200, {"Cache-Control": "no-store"}
    subs = db.session.scalars(select(Submission).where(
        Submission.edition_id == edition.id, Submission.status == Status.APPROVED,
        Submission.consent_publication.is_(True)).options(selectinload(Submission.city))
        .order_by(Submission.city_id, Submission.id)).all()
    by_kind = {kind: [s for s in subs if s.kind == kind] for kind in Kind}
    response = render_template("campaign/page.html", edition=edition, by_kind=by_kind, Kind=Kind,
                               preview_until=None if page_open(edition) else timeline(edition).page_on)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/page/photo/<int:sub_id>.jpg")
@public
def public_photo(sub_id: int):
    sub = get_or_404(Submission, sub_id, lambda s: s.is_public and s.public_photo is not None and _visible(s.edition))
    response = send_stored(sub.public_photo.web_key or sub.public_photo.cleaned_key, "image/jpeg",
                           f"{sub.reference}.jpg", inline=True)
    response.headers["Cache-Control"] = "no-store"
    return response


from core.db import db  # noqa: E402
