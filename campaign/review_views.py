"""The secretariat's review: every city's submissions with filters, approve, or send back with a message."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import Role
from campaign import bp
from campaign import operations as ops
from campaign.captions import captions
from campaign.cards import SIZES
from campaign.checks import length
from campaign.forms import CropForm, FilterForm, ReturnForm
from campaign.models import STATUS_TITLES, Kind, Status, Submission
from campaign.views import current_edition
from competition.models import City
from core.db import db
from core.files import send_stored
from core.forms import ConfirmForm
from core.hosts import public_url
from core.permissions import get_or_404, roles_required


def reviewable(sub_id: int) -> Submission:
    return get_or_404(Submission, sub_id)


@bp.get("/review")
@roles_required(Role.SECRETARIAT)
def review_list():
    edition = current_edition()
    form = FilterForm(request.args)
    cities = db.session.scalars(select(City).order_by(City.name)).all()
    form.city.choices = [("", _("All cities"))] + [(str(c.id), c.name) for c in cities]
    form.kind.choices = [("", _("All kinds"))] + [(k.value, k.title) for k in Kind]
    form.status.choices = [("", _("All statuses"))] + [(s.value, str(STATUS_TITLES[s])) for s in Status]
    query = select(Submission).where(Submission.edition_id == edition.id).order_by(Submission.city_id, Submission.id)
    if form.city.data and form.city.data.isdigit():
        query = query.where(Submission.city_id == int(form.city.data))
    if form.kind.data in {k.value for k in Kind}:
        query = query.where(Submission.kind == form.kind.data)
    if form.status.data in {s.value for s in Status}:
        query = query.where(Submission.status == form.status.data)
    else:  # drafts stay the city's own business unless asked for
        query = query.where(Submission.status != Status.DRAFT) if not form.status.data else query
    subs = db.session.scalars(query.options(selectinload(Submission.city))).all()
    return render_template("campaign/review/list.html", form=form, subs=subs, edition=edition)


@bp.get("/review/<int:sub_id>")
@roles_required(Role.SECRETARIAT)
def review(sub_id: int):
    sub = reviewable(sub_id)
    crop = CropForm(data={"crop_x": round(sub.crop_x * 100), "crop_y": round(sub.crop_y * 100), "crop_zoom": sub.crop_zoom})
    return _review_page(sub, crop_form=crop)


def _review_page(sub, return_form=None, crop_form=None, status=200):
    crop_form = crop_form or CropForm(data={"crop_x": round(sub.crop_x * 100), "crop_y": round(sub.crop_y * 100),
                                            "crop_zoom": sub.crop_zoom})
    return render_template("campaign/review/review.html", sub=sub, return_form=return_form or ReturnForm(),
                           crop_form=crop_form, approve_form=ConfirmForm(), sizes=SIZES, Status=Status,
                           size_titles={"portrait": _("Portrait"), "square": _("Square"), "landscape": _("Landscape")},
                           size=length(sub.text) if sub.kind == Kind.STORY else None,
                           captions=captions(sub, public_url("campaign.page"))), status


@bp.post("/review/<int:sub_id>/approve")
@roles_required(Role.SECRETARIAT)
def approve(sub_id: int):
    sub = reviewable(sub_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.approve(sub)
    except ops.CampaignError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Approved."), "success")
    return redirect(url_for("campaign.review", sub_id=sub.id))


@bp.post("/review/<int:sub_id>/return")
@roles_required(Role.SECRETARIAT)
def send_back(sub_id: int):
    sub = reviewable(sub_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            ops.send_back(sub, form.message.data)
        except ops.CampaignError as error:
            db.session.rollback()
            form.message.errors = [str(error.message)]
        else:
            flash(_("Sent back to the city with your message."), "success")
            return redirect(url_for("campaign.review", sub_id=sub.id))
    return _review_page(sub, return_form=form, status=400)


@bp.post("/review/<int:sub_id>/crop")
@roles_required(Role.SECRETARIAT)
def crop(sub_id: int):
    sub = reviewable(sub_id)
    form = CropForm()
    if form.validate_on_submit():
        try:
            x = float(form.crop_x.data if form.crop_x.data is not None else 50) / 100
            y = float(form.crop_y.data if form.crop_y.data is not None else 40) / 100
            ops.set_crop(sub, x, y, float(form.crop_zoom.data or 1))
        except ops.CampaignError as error:
            db.session.rollback()
            form.crop_zoom.errors = [str(error.message)]
        else:
            flash(_("Crop saved: the cards use it now."), "success")
            return redirect(url_for("campaign.review", sub_id=sub.id))
    return _review_page(sub, crop_form=form, status=400)


@bp.get("/review/<int:sub_id>/consent-form")
@roles_required(Role.SECRETARIAT)
def consent_form(sub_id: int):
    """The signed consent form, cleaned (no metadata), for the secretariat only."""
    sub = get_or_404(Submission, sub_id, lambda s: s.file("consent_form") is not None)
    signed = sub.file("consent_form")
    extension = ".pdf" if signed.kind == "pdf" else ".jpg"
    return send_stored(signed.cleaned_key, signed.cleaned_mime, f"{sub.reference}-consent{extension}")
