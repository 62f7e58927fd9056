"""The secretariat's export page: what will be published and what is left out, previews, downloads, jobs."""
from __future__ import annotations

import io
from itertools import groupby

from flask import (
    abort,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from accounts.models import Role
from competition.models import Category, Edition, Entry, EntryStatus
from core import audit
from core.audit_actions import AuditAction
from core.db import db, utcnow
from core.files import content_disposition, stream_size
from core.forms import ConfirmForm
from core.hosts import public_base_url
from core.i18n import current_language
from core.permissions import get_or_404, roles_required
from judging import bp
from judging.exports import card_files, jobs, outputs
from judging.exports.cards import SIZES
from judging.exports.dataset import collect
from judging.exports.freshness import Freshness
from judging.exports.model import slugify
from judging.exports.wording import card_size_title, output_title, reason_text
from judging.models import ExportJob, ExportKind, JobStatus, Round, RoundStatus
from judging.results import operations as results_operations

PREVIEW_CARDS = 3
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}
JOB_KINDS = (ExportKind.RESULTS.value, ExportKind.SOCIAL.value, ExportKind.PUBLICATION.value, ExportKind.BUNDLE.value)
DIRECT_LIMIT = 2000  # above this many submitted entries the spreadsheets take seconds: background only


def _edition() -> Edition:
    """The current edition, or the one named by ``?edition=ID`` (a past edition's exports and publication)."""
    wanted = request.args.get("edition", type=int)
    if wanted:
        return get_or_404(Edition, wanted)
    edition = Edition.current()
    if edition is None:
        abort(404)
    return edition


EDITION_ENDPOINTS = {"judging.exports", "judging.export_results", "judging.export_card", "judging.start_export",
                     "judging.export_job", "judging.download_export", "judging.export_preview",
                     "judging.publish_results", "judging.publish_confirm"}


@bp.url_defaults
def _keep_edition(endpoint: str, values: dict) -> None:
    """Links and forms of a past edition's export page stay on that edition."""
    if endpoint in EDITION_ENDPOINTS and "edition" not in values and has_request_context():
        wanted = request.args.get("edition", type=int)
        if wanted:
            values["edition"] = wanted



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
    latest_pdf, pdf_pages = next(((j, pages) for j in recent if j.status == JobStatus.DONE
                                  and freshness.get(j.id) is not Freshness.WITHDRAWN
                                  and j.kind in (ExportKind.PUBLICATION, ExportKind.BUNDLE)
                                  and (pages := jobs.previews(j))), (None, []))
    language = current_language()
    card_files.prune(card_files.current_digests(results.for_social, SIZES, current_app.config["LANGUAGES"]))
    previews = [(item, [(size, card_files.digest(item, size, language)) for size in SIZES])
                for item in results.for_social[:PREVIEW_CARDS]]
    left_out = [(reference, list(rows)) for reference, rows in groupby(
        sorted(results.left_out, key=lambda lo: lo.item.reference), key=lambda lo: lo.item.reference)]
    return render_template(
        "judging/exports/index.html", edition=edition, results=results, jobs=recent, job_kinds=JOB_KINDS,
        preview_items=previews, left_out=left_out, latest_pdf=latest_pdf, pdf_pages=pdf_pages,
        is_stale=jobs.is_stale, open_rounds=open_rounds(edition), direct=_submitted(edition) <= DIRECT_LIMIT,
        freshness=freshness, editions=db.session.scalars(select(Edition).order_by(Edition.deadline_at.desc())).all(),
        reason_text=reason_text, output_title=output_title, card_size_title=card_size_title)


@bp.get("/exports/results.<fmt>")
@roles_required(Role.SECRETARIAT)
def export_results(fmt: str):
    """The spreadsheets and the feed, made on request: only up to ``DIRECT_LIMIT`` submitted entries (well under a
    second or two); a larger edition gets them from a background job."""
    from judging.exports.feed import write_feed
    from judging.exports.spreadsheets import write_csv, write_xlsx

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
    audit.record(AuditAction.EXPORT_DOWNLOADED, edition, format=fmt)  # committed with the download (200)
    name = f"{slugify(edition.name) or 'edition'}-results-{utcnow():%Y-%m-%d}.{fmt}"
    response = send_file(buffer, mimetype=FORMATS[fmt], as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    return response


@bp.get("/exports/cards/<reference>/<size>.png")
@roles_required(Role.SECRETARIAT)
def export_card(reference: str, size: str):
    """A card preview, drawn once per change of what it shows and kept as a file (exports/card_files.py).
    Only the card of the entry as it is now is served (its digest is the ETag; the page's link names it in
    ``?v=`` so that a changed card gets a new address). Like every signed-in response it is not stored by
    the browser (core/security.py): it holds a child's work and name."""
    results = collect(_edition(), _base_url(), ranked=False)
    card_files.prune(card_files.current_digests(results.for_social, SIZES, current_app.config["LANGUAGES"]))
    item = next((i for i in results.for_social if i.reference == reference), None)
    if item is None or size not in SIZES:
        abort(404)
    digest, path = card_files.card_file(item, size, current_language())
    return send_file(path, mimetype="image/png", etag=digest, conditional=True)


@bp.post("/exports/jobs")
@roles_required(Role.SECRETARIAT)
def start_export():
    edition = _edition()
    kind = request.form.get("kind", "")
    form = ConfirmForm()
    if kind not in JOB_KINDS or not form.validate_on_submit():
        flash(_("Choose an export from the list."), "error")
        return redirect(url_for("judging.exports"))
    if kind != ExportKind.RESULTS and not collect(edition, ranked=False).has_winners:
        flash(_("No winners are decided yet: give the awards on the results page first, then export."), "error")
        return redirect(url_for("judging.exports"))
    job = jobs.running_job(edition, kind)
    if job is None:
        job = jobs.create(edition, kind, current_user)
        jobs.launch(job, current_language(), _base_url())  # the task reaches the queue with the job row's commit
        flash(_("The export has started. You can leave this page: it goes on, and the file appears here when ready."),
              "success")
    return redirect(url_for("judging.exports", _anchor=f"job-{job.id}"))


@bp.get("/exports/jobs/<int:job_id>")
@roles_required(Role.SECRETARIAT)
def export_job(job_id: int):
    """The job's progress, for the page's script."""
    job = _job(job_id)
    stale = jobs.is_stale(job)
    offered = job.status == JobStatus.DONE and _offered(job)
    return jsonify(status="interrupted" if stale else job.status, done=job.done, total=job.total,
                   percent=job.percent, finished=job.finished or stale,
                   download=url_for("judging.download_export", job_id=job.id) if offered else None)


@bp.get("/exports/jobs/<int:job_id>/download")
@roles_required(Role.SECRETARIAT)
def download_export(job_id: int):
    job = _job(job_id)
    if job.status == JobStatus.DONE and not _offered(job):
        flash(_("This export is no longer offered: consent was withdrawn for an entry in it since it was made. "
                "Make it again."), "error")
        return redirect(url_for("judging.exports", _anchor=f"job-{job.id}"))
    stream = outputs.open_archive(job.id, jobs.job_archive(job)) if job.status == JobStatus.DONE else None
    if stream is None:
        abort(404)
    name = jobs.download_name(job, _edition())
    response = send_file(stream, mimetype="application/zip", as_attachment=True, download_name=name,
                         conditional=False)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    response.headers["Content-Length"] = str(stream_size(stream))  # a local file, or an S3 object streamed
    return response


@bp.get("/exports/jobs/<int:job_id>/pages/<int:number>.png")
@roles_required(Role.SECRETARIAT)
def export_preview(job_id: int, number: int):
    job = _job(job_id)
    pages = jobs.previews(job) if _offered(job) else []
    if not 1 <= number <= len(pages):
        abort(404)
    page = pages[number - 1]
    if isinstance(page, int):  # in the bucket
        page = outputs.open_preview(job.id, page)
        if page is None:
            abort(404)
    return send_file(page, mimetype="image/png")


def _offered(job: ExportJob) -> bool:
    """False when the job's output lost consent since it was made (its files are then deleted)."""
    return jobs.freshness_of(_edition(), [job]).get(job.id) is not Freshness.WITHDRAWN


def _submitted(edition: Edition) -> int:
    return db.session.scalar(select(func.count(Entry.id)).join(Entry.category).where(
        Category.edition_id == edition.id, Entry.status == EntryStatus.SUBMITTED))


def open_rounds(edition: Edition) -> list[Round]:
    return db.session.scalars(select(Round).where(Round.edition_id == edition.id,
                                                  Round.status == RoundStatus.OPEN)).all()


@bp.post("/exports/publish")
@roles_required(Role.SECRETARIAT)
def publish_results():
    edition = _edition()
    form = ConfirmForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("publish", "unpublish"):
        abort(400)
    if action == "publish":
        try:
            results_operations.publish(edition)
        except results_operations.PublishRefused as refused:
            flash(str(refused.message), "error")
            return redirect(url_for("judging.exports"))
        flash(_("The results are public on the campaign page."), "success")
    else:
        results_operations.unpublish(edition)
        flash(_("The results are no longer public."), "success")
    return redirect(url_for("judging.exports"))
