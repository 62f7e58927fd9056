"""City coordinators' side: their city's quote cards, stories and statements, from draft to receipt."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounts.models import Role
from campaign import bp
from campaign import operations as ops
from campaign.checks import length, quote_suggestions
from campaign.cities import coordinator_city
from campaign.forms import ConsentForm, ConsentWithdrawalForm, details_form
from campaign.messages import SUGGESTIONS, TEXT_MISSING
from campaign.models import CONSENTS, FilePurpose, Kind, Status, Submission
from campaign.timeline import is_open, timeline
from competition.models import Edition
from competition.uploads import UploadRejected
from core import mail
from core.db import db
from core.files import send_stored
from core.forms import ConfirmForm
from core.hosts import public_url
from core.i18n import language_name as _language_name
from core.permissions import get_or_404, roles_required

COORDINATOR = (Role.COORDINATOR,)


def current_edition() -> Edition:
    edition = Edition.current()
    if edition is None:
        abort(404)
    return edition


def my_city():
    city = coordinator_city(current_user)
    if city is None:
        abort(404)
    return city


def my_submission(sub_id: int) -> Submission:
    """A submission of the coordinator's own city; any other is a 404."""
    return get_or_404(Submission, sub_id, lambda s: s.is_coordinated_by(current_user))


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SECRETARIAT)
def index():
    if not current_user.has_role(Role.COORDINATOR):
        return redirect(url_for("campaign.review_list"))
    edition = current_edition()
    city = coordinator_city(current_user)
    subs = [] if city is None else db.session.scalars(select(Submission).where(
        Submission.edition_id == edition.id, Submission.city_id == city.id).order_by(Submission.id)).all()
    by_kind = {kind: [s for s in subs if s.kind == kind] for kind in Kind}
    return render_template("campaign/index.html", edition=edition, city=city, by_kind=by_kind, Kind=Kind,
                           times=timeline(edition), open=is_open(edition))


@bp.route("/new/<kind>", methods=["GET", "POST"])
@roles_required(*COORDINATOR)
def new(kind: str):
    if kind not in {k.value for k in Kind}:
        abort(404)
    edition, city = current_edition(), my_city()
    try:
        sub = ops.create(edition, city, Kind(kind), current_user)
    except ops.CampaignError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("campaign.index"))
    if request.method == "GET":
        db.session.rollback()  # nothing is created by looking at the form
        return _details_page(None, Kind(kind))
    return _save_details(sub, Kind(kind), new=True)


@bp.route("/<int:sub_id>/details", methods=["GET", "POST"])
@roles_required(*COORDINATOR)
def details(sub_id: int):
    sub = my_submission(sub_id)
    if not ops.can_change(sub):
        flash(_("The deadline has passed: this submission can no longer be changed."), "error")
        return redirect(url_for("campaign.check", sub_id=sub.id))
    if request.method == "GET":
        return _details_page(sub, Kind(sub.kind))
    return _save_details(sub, Kind(sub.kind))


def _details_page(sub, kind: Kind, form=None, status=200, suggestions=()):
    form = form or details_form(kind, _language_name, obj=sub)
    size = length(sub.text) if sub is not None and kind is Kind.STORY else None
    return render_template("campaign/details.html", sub=sub, kind=kind, form=form, size=size,
                           suggestions=[SUGGESTIONS[code] for code in suggestions]), status


def _upload(field):
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.read(), upload.filename


def _save_details(sub: Submission, kind: Kind, new: bool = False):
    form = details_form(kind, _language_name)
    if not form.validate_on_submit():
        db.session.rollback()
        return _details_page(None if new else sub, kind, form, 400)
    document, photo = _upload(form.document), _upload(form.photo)
    current = None  # the upload being checked, so that its refusal is shown beside it
    try:
        suggestions = ops.set_details(sub, person_name=form.person_name.data or "", person_title=form.person_title.data or "",
                                      text=form.text.data or "", language=form.language.data or "",
                                      translation_language=form.translation_language.data or "",
                                      translation_text=form.translation_text.data or "")
        if document and kind is Kind.STORY:
            current = "document"
            ops.store_file(sub, FilePurpose.DOCUMENT, *document)
        if photo:
            current = "photo"
            ops.store_file(sub, FilePurpose.PHOTO, *photo)
        elif form.remove_photo.data:
            ops.remove_file(sub, FilePurpose.PHOTO)
        current = None
        if not sub.text.strip() and kind is not Kind.STORY:
            raise ops.CampaignError(TEXT_MISSING[kind], "text")
    except (ops.CampaignError, UploadRejected) as error:
        db.session.rollback()  # nothing half-saved: neither the words nor another file
        field = getattr(error, "field", None) or current
        target = getattr(form, field) if field and hasattr(form, field) else None
        if target is not None:
            target.errors = [*target.errors, str(error.message)]
        else:
            form.form_errors.append(str(error.message))
        return _details_page(None if new else db.session.get(Submission, sub.id), kind, form, 400)
    if suggestions:
        for code in suggestions:
            flash(str(SUGGESTIONS[code]), "warning")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("campaign.consent", sub_id=sub.id) if new else url_for("campaign.check", sub_id=sub.id))


@bp.route("/<int:sub_id>/consent", methods=["GET", "POST"])
@roles_required(*COORDINATOR)
def consent(sub_id: int):
    sub = my_submission(sub_id)
    if not ops.can_change(sub):
        return redirect(url_for("campaign.withdraw_consent", sub_id=sub.id))
    form = ConsentForm(obj=sub)
    if form.validate_on_submit():
        signed = _upload(form.consent_form)
        try:
            ops.set_consent(sub, {kind for kind in CONSENTS if getattr(form, f"consent_{kind}").data})
            if signed:
                ops.store_file(sub, FilePurpose.CONSENT_FORM, *signed)
        except (ops.CampaignError, UploadRejected) as error:
            db.session.rollback()
            form.consent_form.errors = [str(error.message)]
        else:
            flash(_("Consent saved."), "success")
            return redirect(url_for("campaign.check", sub_id=sub.id))
    status = 400 if form.errors else 200
    return render_template("campaign/consent.html", sub=sub, form=form), status


@bp.get("/<int:sub_id>")
@roles_required(*COORDINATOR)
def check(sub_id: int):
    sub = my_submission(sub_id)
    suggestions = quote_suggestions(sub.text, sub.language) if sub.kind == Kind.QUOTE else []
    return render_template("campaign/check.html", sub=sub, can_change=ops.can_change(sub), missing=ops.missing_items(sub),
                           suggestions=[SUGGESTIONS[code] for code in suggestions],
                           size=length(sub.text) if sub.kind == Kind.STORY else None, submit_form=ConfirmForm(),
                           Status=Status)


@bp.post("/<int:sub_id>/submit")
@roles_required(*COORDINATOR)
def submit(sub_id: int):
    sub = my_submission(sub_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.submit(sub)
    except ops.CampaignError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("campaign.check", sub_id=sub.id))
    mail.send_template(current_user.email, "campaign_receipt", current_user.language, user=current_user, sub=sub,
                       link=public_url("campaign.check", sub_id=sub.id), deadline=timeline(sub.edition).deadline_at)
    flash(_("Submitted. A receipt is on its way to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("campaign.check", sub_id=sub.id))


@bp.post("/<int:sub_id>/delete")
@roles_required(*COORDINATOR)
def delete(sub_id: int):
    sub = my_submission(sub_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.delete(sub)
    except ops.CampaignError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("campaign.check", sub_id=sub.id))
    flash(_("Deleted."), "success")
    return redirect(url_for("campaign.index"))


@bp.route("/<int:sub_id>/withdraw-consent", methods=["GET", "POST"])
@roles_required(*COORDINATOR)
def withdraw_consent(sub_id: int):
    """At any time, after the deadline and publication too."""
    sub = my_submission(sub_id)
    form = ConsentWithdrawalForm()
    if form.validate_on_submit():
        try:
            changed = ops.withdraw_consent(sub, set(form.withdraw.data or []))
        except ops.CampaignError as error:
            db.session.rollback()
            form.withdraw.errors = [str(error.message)]
        else:
            flash(_("Consent withdrawn. It applies at once to the campaign page and the cards.") if changed
                  else _("Nothing changed: that consent was not given."), "success")
            return redirect(url_for("campaign.check", sub_id=sub.id))
    return render_template("campaign/withdraw.html", sub=sub, form=form), 400 if form.errors else 200


@bp.get("/<int:sub_id>/photo.jpg")
@roles_required(Role.COORDINATOR, Role.SECRETARIAT)
def photo(sub_id: int):
    """The cleaned photo (no location or camera data) for the city's coordinators and the secretariat."""
    sub = get_or_404(Submission, sub_id, lambda s: s.can_view(current_user) and s.photo is not None)
    return send_stored(sub.photo.web_key or sub.photo.cleaned_key, "image/jpeg", f"{sub.reference}.jpg", inline=True)


from campaign import outputs_views, public_views, review_views, timeline_views  # noqa: E402,F401
