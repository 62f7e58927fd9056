"""The secretariat's (and city coordinators') view of every entry: filters, counts, flags, actions."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accounts.models import Role
from competition import bp
from competition.classes import operations as class_ops
from competition.entries import operations as ops
from competition.entries.secretariat_forms import DisqualifyForm, EntryFilterForm, ExtensionForm
from competition.models import Category, City, Edition, Entry, EntryStatus, School, SchoolClass, coordinated_city_ids
from competition.models.entry import HIDDEN_SOURCE
from core.audit import AuditEvent
from core.converters import MAX_ID, id_from
from core.db import db
from core.forms import ConfirmForm
from core.permissions import get_or_404, roles_required
from core.templating import localdatetime

PAGE_SIZE = 100


def _scope(query):
    """Coordinators see their own city only; the secretariat sees everything."""
    if current_user.has_role(Role.SECRETARIAT):
        return query
    return query.where(School.city_id.in_(sorted(coordinated_city_ids(current_user)) or [-1]))


def _filters(edition: Edition) -> EntryFilterForm:
    form = EntryFilterForm(request.args)
    cities = db.session.scalars(_scope(select(City).join(School).distinct().order_by(City.name))).all()
    form.city.choices = [("", _("All cities"))] + [(str(c.id), c.name) for c in cities]
    form.category.choices = [("", _("All categories"))] + [(str(c.id), c.title) for c in edition.categories]
    form.status.choices = [("", _("Any status"))] + [(s.value, s.title) for s in EntryStatus]
    form.flag.choices = [("", _("All")), ("names", _("Possible names found")),
                         ("hidden_names", _("Possible names in hidden data")), ("no_publication", _("No publication consent")),
                         ("no_translation", _("No translation"))]
    return form


def _filtered(edition: Edition, form: EntryFilterForm):
    query = (select(Entry).join(Entry.school_class).join(SchoolClass.school)
             .where(SchoolClass.edition_id == edition.id))
    query = _scope(query)
    if form.city.data:
        city_id = id_from(form.city.data)
        query = query.where(School.city_id == city_id if city_id is not None else False)
    if (category_id := id_from(form.category.data)) is not None:
        query = query.where(Entry.category_id == category_id)
    if form.status.data in {s.value for s in EntryStatus}:
        query = query.where(Entry.status == form.status.data)
    if form.flag.data == "names":
        query = query.where(Entry.blindness_flag.is_(True))
    elif form.flag.data == "hidden_names":  # hits stored at submission, by their source (see HIDDEN_SOURCE)
        query = query.where(Entry.blindness_hits_json.contains(f'"source": "{HIDDEN_SOURCE}'))
    elif form.flag.data == "no_publication":
        query = query.where(Entry.consent_publication.is_(False))
    elif form.flag.data == "no_translation":
        query = query.where(Entry.translation_text == "", Entry.language != "", Entry.language.not_in(["en", "fr"]))
    return query


@bp.get("/entries/")
@roles_required(Role.SECRETARIAT, Role.COORDINATOR)
def all_entries():
    edition = Edition.current()
    if edition is None:
        return render_template("competition/secretariat/entries.html", edition=None)
    form = _filters(edition)
    query = _filtered(edition, form)
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_ID // PAGE_SIZE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    entries = db.session.scalars(
        query.options(selectinload(Entry.school_class).selectinload(SchoolClass.school).selectinload(School.city),
                      selectinload(Entry.category), selectinload(Entry.files))
        .order_by(Entry.submitted_at.desc().nulls_last(), Entry.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = _status_counts(edition)
    return render_template("competition/secretariat/entries.html", edition=edition, form=form, entries=entries,
                           total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), counts=counts,
                           category_counts=_category_counts(edition),
                           page_args={k: v for k, v in request.args.items() if k != "page"})


def _status_counts(edition: Edition) -> dict[str, int]:
    query = _scope(select(Entry.status, func.count(Entry.id)).join(Entry.school_class).join(SchoolClass.school)
                   .where(SchoolClass.edition_id == edition.id).group_by(Entry.status))
    return {status: n for status, n in db.session.execute(query).all()}


def _category_counts(edition: Edition) -> list[tuple[Category, int]]:
    query = _scope(select(Entry.category_id, func.count(Entry.id)).join(Entry.school_class).join(SchoolClass.school)
                   .where(SchoolClass.edition_id == edition.id, Entry.status == EntryStatus.SUBMITTED)
                   .group_by(Entry.category_id))
    by_id = {cid: n for cid, n in db.session.execute(query).all()}
    return [(c, by_id.get(c.id, 0)) for c in edition.categories if c.enabled]


@bp.route("/entries/<int:entry_id>/disqualify", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def disqualify_entry(entry_id: int):
    entry = get_or_404(Entry, entry_id)
    form = DisqualifyForm()
    if entry.status != EntryStatus.SUBMITTED:
        flash(_("Only a submitted entry can be disqualified."), "error")
        return redirect(url_for("competition.entry", entry_id=entry.id))
    if form.validate_on_submit():
        ops.disqualify(entry, form.reason.data)
        flash(_("The entry is disqualified and the teacher has been told by email."), "success")
        return redirect(url_for("competition.entry", entry_id=entry.id))
    from competition.entries.freeze import judging_counts

    return render_template("competition/secretariat/disqualify.html", entry=entry, form=form,
                           counts=judging_counts(entry)), (400 if form.errors else 200)


@bp.post("/entries/<int:entry_id>/reinstate")
@roles_required(Role.SECRETARIAT)
def reinstate_entry(entry_id: int):
    entry = get_or_404(Entry, entry_id)
    if entry.status == EntryStatus.DISQUALIFIED and ConfirmForm().validate_on_submit():
        ops.reinstate(entry)
        flash(_("The entry is back in the competition."), "success")
    return redirect(url_for("competition.entry", entry_id=entry.id))


@bp.route("/classes/<int:class_id>/extension", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def class_extension(class_id: int):
    school_class = get_or_404(SchoolClass, class_id)
    zone_name = school_class.edition.deadline_timezone
    form = ExtensionForm()
    form.until.description = _("In the edition's time zone (%(tz)s).", tz=zone_name)
    if request.method == "GET" and school_class.deadline_extended_to:
        form.until.data = school_class.deadline_extended_to.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
    if form.validate_on_submit():
        try:
            until, ambiguous = class_ops.extend_deadline(school_class, form.until.data)
        except class_ops.ExtensionRefused as refused:
            form.until.errors.append(str(refused.message))
        else:
            flash(_("The class can submit until %(when)s.", when=localdatetime(until, "d MMMM y, HH:mm")), "success")
            if ambiguous:
                flash(_("%(time)s happens twice on %(date)s in %(zone)s, when the clocks go back. The first one, in "
                        "summer time, is the deadline.", time=form.until.data.strftime("%H:%M"),
                        date=form.until.data.date().isoformat(), zone=zone_name), "info")
            return redirect(url_for("competition.all_entries"))
    return render_template("competition/secretariat/extension.html", school_class=school_class, form=form), (400 if form.errors else 200)


@bp.get("/admin/audit")
@roles_required(Role.SECRETARIAT)
def audit_log():
    query = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    object_type, object_id = request.args.get("type", ""), id_from(request.args.get("id"))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type[:40])
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    events = db.session.scalars(query.limit(500)).all()
    return render_template("competition/secretariat/audit.html", events=events)
