"""Teachers' entries: create, check the answers, submit, receipt, withdraw."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from accounts.models import Role
from competition import bp
from competition.entries import operations as ops
from competition.entries.forms import EntryDetailsForm, SubmitForm
from competition.entries.freeze import frozen_reason
from competition.models import Discipline, Entry, EntryStatus, SchoolClass
from competition.models.entry import HIDDEN_SOURCE
from core import mail
from core.audit import AuditEvent
from core.db import db
from core.hosts import public_url
from core.i18n import language_name
from core.permissions import get_or_404, roles_required, signed_in


def viewable_entry(entry_id: int) -> Entry:
    return get_or_404(Entry, entry_id, lambda e: e.can_view(current_user))


def editable_entry(entry_id: int):
    """The entry if the current teacher may still change it; otherwise a redirect with the reason."""
    entry = viewable_entry(entry_id)
    if entry.school_class.teacher_id != current_user.id:
        abort(404)
    if not entry.can_edit(current_user):
        reason = frozen_reason(entry) if entry.school_class.is_open() else None
        flash(reason.message if reason else _("The deadline has passed: entries can no longer be changed."), "error")
        return entry, redirect(url_for("competition.entry", entry_id=entry.id))
    return entry, None


def _details_form(school_class: SchoolClass, entry: Entry | None = None) -> EntryDetailsForm:
    form = EntryDetailsForm(obj=entry)
    enabled = [c for c in school_class.edition.categories if c.enabled and c.age_group == school_class.age_group]
    form.discipline.choices = [(c.discipline, Discipline(c.discipline).title) for c in enabled]
    # An illustration has a language only when it holds words (then it may need a translation).
    form.language.choices = [(code, language_name(code)) for code in school_class.edition.language_list]
    form.language.choices.append(("", _("No words (an illustration without text)")))
    form.authors.choices = [(p.id, f"{p.display_name} ({p.age})") for p in school_class.pupils]
    if request.method == "GET":
        if entry is not None:
            form.discipline.data = entry.category.discipline
            form.authors.data = [a.pupil_id for a in entry.authors]
        else:
            form.language.data = school_class.language
    return form


def _details_page(school_class: SchoolClass, entry: Entry | None, saved_message: str, next_endpoint: str):
    """The "about the work" form, for a new entry (``entry`` None) or an existing one."""
    form = _details_form(school_class, entry)
    if form.validate_on_submit():
        try:
            entry = ops.set_details(entry or Entry(), school_class, form.discipline.data, form.title.data,
                                    form.language.data, form.authors.data or [], form.whole_class.data)
        except ops.EntryError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            flash(saved_message, "success")
            return redirect(url_for(next_endpoint, entry_id=entry.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("competition/entries/details.html", form=form, school_class=school_class, entry=entry), status


@bp.route("/classes/<int:class_id>/entries/new", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def new_entry(class_id: int):
    school_class = get_or_404(SchoolClass, class_id, lambda c: c.teacher_id == current_user.id)
    if not school_class.is_open():
        flash(_("The deadline has passed: entries can no longer be changed."), "error")
        return redirect(url_for("competition.index"))
    return _details_page(school_class, None, _("Entry saved as a draft. Now add the work itself."),
                         "competition.entry_work")


@bp.route("/entries/<int:entry_id>/details", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def entry_details(entry_id: int):
    entry, blocked = editable_entry(entry_id)
    if blocked:
        return blocked
    return _details_page(entry.school_class, entry, _("Your changes are saved."), "competition.entry")


@bp.get("/entries/<int:entry_id>")
@signed_in
def entry(entry_id: int):
    entry = viewable_entry(entry_id)
    is_teacher = entry.school_class.teacher_id == current_user.id
    can_edit = is_teacher and entry.can_edit(current_user)
    checking = can_edit and entry.status == EntryStatus.DRAFT  # the teacher's "check your answers"
    hits = ops.blindness_hits(entry) if checking or current_user.has_role(Role.SECRETARIAT) else []
    hidden_hits = [hit for hit in hits if ops.is_hidden(hit)]  # the secretariat sees these at any time
    hits = [hit for hit in hits if not ops.is_hidden(hit)] if checking else []
    # The class's teacher is told why an extension does not reopen this entry.
    frozen = frozen_reason(entry) if is_teacher and not can_edit and entry.school_class.is_open() else None
    events = []
    if current_user.has_role(Role.SECRETARIAT):
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "entries", AuditEvent.object_id == entry.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        ).all()
    return render_template(
        "competition/entries/entry.html", entry=entry, can_edit=can_edit, hits=hits, hidden_hits=hidden_hits,
        missing=ops.missing_items(entry), submit_form=SubmitForm(), events=events, is_teacher=is_teacher,
        frozen=frozen, live=entry.status in ops.LIVE_STATUSES,
    )


@bp.post("/entries/<int:entry_id>/submit")
@roles_required(Role.TEACHER)
def submit_entry(entry_id: int):
    entry = viewable_entry(entry_id)
    if entry.school_class.teacher_id != current_user.id:
        abort(404)
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.submit(entry, bool(form.confirm_names.data))
    except ops.EntryError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("competition.entry", entry_id=entry.id))
    mail.send_template(current_user.email, "entry_receipt", current_user.language, timezone=current_user.timezone, entry=entry,
                       lines=ops.receipt_lines(entry), link=public_url("competition.entry_receipt", entry_id=entry.id))
    return redirect(url_for("competition.entry_receipt", entry_id=entry.id))


@bp.get("/entries/<int:entry_id>/receipt")
@signed_in
def entry_receipt(entry_id: int):
    entry = viewable_entry(entry_id)
    if entry.status != EntryStatus.SUBMITTED:
        return redirect(url_for("competition.entry", entry_id=entry.id))
    return render_template("competition/entries/receipt.html", entry=entry, lines=ops.receipt_lines(entry))


@bp.app_template_global()
def hit_kind_label(kind: str) -> str:
    labels = {
        "pupil": _("A pupil's name"),
        "teacher": _("The teacher's name"),
        "school": _("The school's name"),
        "class": _("The class's name"),
        "city": _("The city's name"),
    }
    return labels.get(kind, kind)


@bp.app_template_global()
def file_kind_label(kind: str) -> str:
    return {"image": _("Image"), "pdf": "PDF", "docx": "DOCX", "odt": "ODT", "txt": _("Text")}.get(kind, kind.upper())


@bp.app_template_global()
def entry_back_link(entry) -> tuple[str, str]:
    """Where "back" goes from an entry's pages, for this reader: its teacher goes back to their
    classes; the secretariat and a city coordinator go back to the list of entries."""
    if entry.school_class.teacher_id == current_user.id or not current_user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return url_for("competition.classes"), _("Back to your classes and entries")
    return url_for("competition.all_entries"), _("Back to the entries")


@bp.app_template_global()
def hit_excerpt(hit) -> Markup:
    """The excerpt around a possible name, the matched words in <mark> (stored hits are dicts;
    those stored before the marks were kept show plainly)."""
    get = hit.get if isinstance(hit, dict) else lambda key, default=None: getattr(hit, key, default)
    marked = get("marked") or ("", "", "")
    if not marked[1]:
        return Markup("<q>%s</q>") % get("context", "")
    return Markup("<q>%s<mark>%s</mark>%s</q>") % tuple(marked)


@bp.app_template_global()
def hit_source_label(source: str) -> str:
    if source.startswith("file name: "):
        return _("the file name %(name)s", name=source.removeprefix("file name: "))
    if source.startswith("file: "):
        return _("the file %(name)s", name=source.removeprefix("file: "))
    if source.startswith(HIDDEN_SOURCE):
        return _("the hidden data of the file %(name)s", name=source.removeprefix(HIDDEN_SOURCE))
    return {"title": _("the title"), "text": _("the text"), "translation": _("the translation")}.get(source, source)
