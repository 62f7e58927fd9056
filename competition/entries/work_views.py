"""Teachers' entries: the work itself (typed or uploaded), the translation, consent, and file downloads."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from competition import bp
from competition.entries import operations as ops
from competition.entries.forms import ConsentForm, TranslationForm, WorkTextForm, WorkUploadForm
from competition.entries.views import editable_entry, viewable_entry
from competition.models import Discipline, EntryFile, FilePurpose
from competition.uploads import UploadRejected
from core.db import db
from core.files import send_stored
from core.forms import ConfirmForm
from core.permissions import roles_required, signed_in


def _render_work(entry, text_form=None, upload_form=None, status=200):
    return render_template(
        "competition/entries/work.html", entry=entry,
        text_form=text_form or WorkTextForm(obj=entry), upload_form=upload_form or WorkUploadForm(),
        remove_form=ConfirmForm(), is_illustration=entry.category.discipline == Discipline.ILLUSTRATION,
        max_mb=_max_mb(),
    ), status


def _max_mb() -> int:
    from flask import current_app

    return current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)


def _read_upload(field) -> tuple[bytes, str] | None:
    """The uploaded file's bytes and name, or None when no file was chosen."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.read(), upload.filename


@bp.get("/entries/<int:entry_id>/work")
@roles_required(Role.TEACHER)
def entry_work(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    return blocked or _render_work(entry)


@bp.post("/entries/<int:entry_id>/work/text")
@roles_required(Role.TEACHER)
def entry_work_text(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    form = WorkTextForm()
    if entry.category.discipline == Discipline.ILLUSTRATION:
        abort(404)
    if not form.validate_on_submit():
        return _render_work(entry, text_form=form, status=400)
    for stored in entry.work_files():
        ops.remove_file(entry, stored)  # typed text replaces an uploaded file
    ops.set_text(entry, form.text.data)
    flash(_("The text is saved."), "success")
    return redirect(url_for("competition.entry", entry_id=entry.id))


@bp.post("/entries/<int:entry_id>/work/upload")
@roles_required(Role.TEACHER)
def entry_work_upload(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    form = WorkUploadForm()
    if not form.validate_on_submit():
        return _render_work(entry, upload_form=form, status=400)
    upload = _read_upload(form.file)
    if upload is None or not upload[0]:
        form.file.errors.append(_("Choose a file to upload. The file you chose is empty.") if upload else _("Choose a file to upload."))
        return _render_work(entry, upload_form=form, status=400)
    try:
        ops.store_upload(entry, FilePurpose.WORK, *upload)
    except UploadRejected as rejected:
        db.session.rollback()
        form.file.errors.append(str(rejected.message))
        return _render_work(entry, upload_form=form, status=400)
    flash(_("The file is uploaded and checked."), "success")
    return redirect(url_for("competition.entry", entry_id=entry.id))


@bp.post("/entries/<int:entry_id>/files/<int:file_id>/remove")
@roles_required(Role.TEACHER)
def entry_file_remove(entry_id: int, file_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    stored = next((f for f in entry.files if f.id == file_id), None)
    if stored is None or not ConfirmForm().validate_on_submit():
        abort(404)
    ops.remove_file(entry, stored)
    flash(_("The file is removed."), "success")
    return redirect(url_for("competition.entry", entry_id=entry.id))


@bp.route("/entries/<int:entry_id>/translation", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def entry_translation(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    form = TranslationForm(obj=entry)
    if form.validate_on_submit():
        ops.set_translation(entry, form.translation_language.data, form.translation_text.data or "")
        flash(_("The translation is saved."), "success")
        return redirect(url_for("competition.entry", entry_id=entry.id))
    return render_template("competition/entries/translation.html", entry=entry, form=form), (400 if form.errors else 200)


@bp.route("/entries/<int:entry_id>/consent", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def entry_consent(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    form = ConsentForm(obj=entry)
    if form.validate_on_submit():
        upload = _read_upload(form.consent_form)
        try:
            if upload and upload[0]:
                ops.store_upload(entry, FilePurpose.CONSENT_FORM, *upload)
            ops.set_consent(entry, form.consent_judging.data, form.consent_publication.data, form.consent_social.data, form.consent_name.data)
        except UploadRejected as rejected:
            db.session.rollback()
            form.consent_form.errors.append(str(rejected.message))
        else:
            flash(_("Consent is saved."), "success")
            return redirect(url_for("competition.entry", entry_id=entry.id))
    return render_template("competition/entries/consent.html", entry=entry, form=form), (400 if form.errors else 200)


VARIANTS = {"cleaned", "web", "thumb", "original"}


@bp.get("/entries/<int:entry_id>/files/<int:file_id>/<variant>")
@signed_in
def entry_file(entry_id: int, file_id: int, variant: str):
    entry = viewable_entry(entry_id)
    stored: EntryFile | None = next((f for f in entry.files if f.id == file_id), None)
    if stored is None or variant not in VARIANTS:
        abort(404)
    if (variant == "original" or stored.purpose == FilePurpose.CONSENT_FORM) and not stored.can_view_original(current_user):
        abort(404)
    base = stored.original_name.rsplit(".", 1)[0] or "file"
    if variant == "original":
        return send_stored(stored.original_key, "application/octet-stream", stored.original_name)
    if variant in ("web", "thumb"):
        return send_stored(stored.web_key if variant == "web" else stored.thumb_key, "image/jpeg", f"{base}-{variant}.jpg", inline=True)
    return send_stored(stored.cleaned_key, stored.cleaned_mime, f"{base}{stored.cleaned_ext}", inline=stored.kind == "image")
