"""The secretariat's export page: what will be published and what is left out, previews, downloads, jobs."""
from __future__ import annotations

import io

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from accounts.models import Role
from competition.models import Category, Edition, Entry, EntryStatus
from core import audit
from core.db import db, utcnow
from core.files import content_disposition
from core.hosts import public_base_url
from core.i18n import current_language
from core.permissions import get_or_404, roles_required

from . import bp
from .exports import jobs
from .exports.dataset import collect
from .exports.freshness import Freshness
from .exports.model import slugify
from .exports.wording import output_title, reason_text
from .models import ExportJob, ExportKind, JobStatus, Round, RoundStatus

PREVIEW_CARDS = 3
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}
JOB_KINDS = (ExportKind.RESULTS.value, ExportKind.SOCIAL.value, ExportKind.PUBLICATION.value, ExportKind.BUNDLE.value)
DIRECT_LIMIT = 2000  # above this many submitted entries the spreadsheets take seconds: background only


def _edition() -> Edition:
    edition = Edition.current()
    if edition is None:
        abort(404)
    return edition



def _base_url() -> str:
    return public_base_url()


def _job(job_id: int) -> ExportJob:
    edition = _edition()
    return get_or_404(ExportJob, job_id, lambda j: j.edition_id == edition.id)


@bp.get("/exports")
@roles_required(Role.SECRETARIAT)
def exports():
    edition = _edition()
    results = collect(edition, _base_url(), ranked=False)
    recent = db.session.scalars(select(ExportJob).where(ExportJob.edition_id == edition.id)
                                .order_by(ExportJob.id.desc()).limit(jobs.KEEP)).all()
    freshness = jobs.freshness_of(edition, recent)  # deletes the files of outputs that lost consent
    # The newest publication (or bundle) that has preview pages and is still offered.
    latest_pdf, pdf_pages = next(((j, pages) for j in recent if j.status == JobStatus.DONE.value
                                  and freshness.get(j.id) is not Freshness.WITHDRAWN
                                  and j.kind in (ExportKind.PUBLICATION.value, ExportKind.BUNDLE.value)
                                  and (pages := jobs.previews(j))), (None, []))
    return render_template(
        "judging/exports/index.html", edition=edition, results=results, jobs=recent, job_kinds=JOB_KINDS,
        preview_items=results.for_social[:PREVIEW_CARDS], latest_pdf=latest_pdf, pdf_pages=pdf_pages,
        is_stale=jobs.is_stale, open_rounds=open_rounds(edition), direct=_submitted(edition) <= DIRECT_LIMIT,
        freshness=freshness,
        reason_text=reason_text, output_title=output_title)


@bp.get("/exports/results.<fmt>")
@roles_required(Role.SECRETARIAT)
def export_results(fmt: str):
    """The spreadsheets and the feed, made on request: only up to ``DIRECT_LIMIT`` submitted entries (well under a
    second or two); a larger edition gets them from a background job."""
    from .exports.feed import write_feed
    from .exports.spreadsheets import write_csv, write_xlsx

    edition = _edition()
    if fmt not in FORMATS or _submitted(edition) > DIRECT_LIMIT:
        abort(404)
    results = collect(edition, _base_url())
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(results, buffer, language=current_language())
    else:
        text = io.StringIO(newline="")
        if fmt == "csv":
            write_csv(results, text, language=current_language())
        else:
            write_feed(results, text)
        buffer.write(text.getvalue().encode("utf-8-sig" if fmt == "csv" else "utf-8"))
    buffer.seek(0)
    audit.record("export.downloaded", edition, format=fmt)
    db.session.commit()
    name = f"{slugify(edition.name) or 'edition'}-results-{utcnow():%Y-%m-%d}.{fmt}"
    response = send_file(buffer, mimetype=FORMATS[fmt], as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    return response


@bp.get("/exports/cards/<reference>/<size>.png")
@roles_required(Role.SECRETARIAT)
def export_card(reference: str, size: str):
    from .exports.cards import SIZES, card_png

    results = collect(_edition(), _base_url(), ranked=False)
    item = next((i for i in results.for_social if i.reference == reference), None)
    if item is None or size not in SIZES:
        abort(404)
    return send_file(io.BytesIO(card_png(item, size, current_language())), mimetype="image/png")


@bp.post("/exports/jobs")
@roles_required(Role.SECRETARIAT)
def start_export():
    edition = _edition()
    kind = request.form.get("kind", "")
    form = FlaskForm()
    if kind not in JOB_KINDS or not form.validate_on_submit():
        flash(_("Choose an export from the list."), "error")
        return redirect(url_for("judging.exports"))
    if kind != ExportKind.RESULTS.value and not collect(edition, ranked=False).has_winners:
        flash(_("No winners are decided yet: give the awards on the results page first, then export."), "error")
        return redirect(url_for("judging.exports"))
    job = jobs.running_job(edition, kind)
    if job is None:
        job = jobs.create(edition, kind, current_user)
        jobs.launch(job, current_language(), _base_url())
        db.session.commit()  # the task reaches the queue with the job row
        flash(_("The export has started. You can leave this page: it goes on, and the file appears here when ready."),
              "success")
    return redirect(url_for("judging.exports", _anchor=f"job-{job.id}"))


@bp.get("/exports/jobs/<int:job_id>")
@roles_required(Role.SECRETARIAT)
def export_job(job_id: int):
    """The job's progress, for the page's script."""
    job = _job(job_id)
    stale = jobs.is_stale(job)
    offered = job.status == JobStatus.DONE.value and _offered(job)
    return jsonify(status="interrupted" if stale else job.status, done=job.done, total=job.total,
                   percent=job.percent, finished=job.finished or stale,
                   download=url_for("judging.download_export", job_id=job.id) if offered else None)


@bp.get("/exports/jobs/<int:job_id>/download")
@roles_required(Role.SECRETARIAT)
def download_export(job_id: int):
    job = _job(job_id)
    if job.status == JobStatus.DONE.value and not _offered(job):
        flash(_("This export is no longer offered: consent was withdrawn for an entry in it since it was made. "
                "Make it again."), "error")
        return redirect(url_for("judging.exports", _anchor=f"job-{job.id}"))
    archive = jobs.job_archive(job)
    if job.status != JobStatus.DONE.value or not archive.exists():
        abort(404)
    name = jobs.download_name(job, _edition())
    response = send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    return response


@bp.get("/exports/jobs/<int:job_id>/pages/<int:number>.png")
@roles_required(Role.SECRETARIAT)
def export_preview(job_id: int, number: int):
    job = _job(job_id)
    pages = jobs.previews(job) if _offered(job) else []
    if not 1 <= number <= len(pages):
        abort(404)
    return send_file(pages[number - 1], mimetype="image/png")


def _offered(job: ExportJob) -> bool:
    """False when the job's output lost consent since it was made (its files are then deleted)."""
    return jobs.freshness_of(_edition(), [job]).get(job.id) is not Freshness.WITHDRAWN


def _submitted(edition: Edition) -> int:
    return db.session.scalar(select(func.count(Entry.id)).join(Entry.category).where(
        Category.edition_id == edition.id, Entry.status == EntryStatus.SUBMITTED.value))


def open_rounds(edition: Edition) -> list[Round]:
    return db.session.scalars(select(Round).where(Round.edition_id == edition.id,
                                                  Round.status == RoundStatus.OPEN.value)).all()


@bp.post("/exports/publish")
@roles_required(Role.SECRETARIAT)
def publish_results():
    edition = _edition()
    form = FlaskForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("publish", "unpublish"):
        abort(400)
    if action == "publish":
        if open_rounds(edition):
            flash(_("Close the rounds that are still open first: jurors who are still scoring would see the "
                    "authors' names on the public page."), "error")
            return redirect(url_for("judging.exports"))
        if not collect(edition, ranked=False).for_publication:
            flash(_("Nothing can be published yet: no winner or selected entry has consent to publication."), "error")
            return redirect(url_for("judging.exports"))
        edition.results_published_at = edition.results_published_at or utcnow()
        flash(_("The results are public on the campaign page."), "success")
    else:
        edition.results_published_at = None
        flash(_("The results are no longer public."), "success")
    audit.record(f"results.{action}ed", edition)
    db.session.commit()
    return redirect(url_for("judging.exports"))
