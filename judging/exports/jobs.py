"""Exports started from the web run in the task queue (core/tasks.py); their progress lives in the database.

A web worker only creates the job row and queues the task, so it answers at once; any web worker
can then show the progress. A queue worker killed mid-export loses its lease and the export runs again. The output
goes to ``EXPORT_FOLDER/job-<id>/`` and is zipped to ``job-<id>.zip``; both appear only when complete (written under
temporary names first). With S3 the archive and the preview pages are then moved into the bucket (``outputs``), so
that any server can serve them. A job
whose heartbeat stops (its process died) shows as interrupted after ``STALE``.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from competition.models import Edition
from core import audit, tasks
from core.audit_actions import AuditAction
from core.db import db, utcnow
from core.files import uses_s3
from judging.exports import freshness, outputs, service
from judging.exports.dataset import collect
from judging.exports.fingerprint import exports_digest
from judging.exports.model import slugify
from judging.models import ExportJob, JobStatus

log = logging.getLogger(__name__)
STALE = timedelta(minutes=10)
KEEP = 10  # finished jobs kept per edition; older outputs are deleted
PREVIEW_PAGES = 4
PDFTOPPM = "/usr/bin/pdftoppm"


def export_root() -> Path:
    return Path(current_app.config["EXPORT_FOLDER"])


def job_folder(job: ExportJob) -> Path:
    return export_root() / f"job-{job.id}"


def job_archive(job: ExportJob) -> Path:
    return export_root() / f"job-{job.id}.zip"


def download_name(job: ExportJob, edition: Edition) -> str:
    stamp = (job.finished_at or job.created_at).strftime("%Y-%m-%d")
    return f"{slugify(edition.name) or 'edition'}-{job.kind}-{stamp}.zip"


def running_job(edition: Edition, kind: str) -> ExportJob | None:
    job = db.session.scalar(select(ExportJob).where(
        ExportJob.edition_id == edition.id, ExportJob.kind == kind,
        ExportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])).order_by(ExportJob.id.desc()))
    return None if job is None or is_stale(job) else job


def is_stale(job: ExportJob) -> bool:
    beat = job.heartbeat_at or job.created_at
    return not job.finished and utcnow() - beat > STALE


def create(edition: Edition, kind: str, user) -> ExportJob:
    """Add the job row and audit it (flush, never commit); then ``launch`` it."""
    if kind not in service.KINDS:
        raise ValueError(kind)
    job = ExportJob(edition_id=edition.id, kind=kind, created_by_id=getattr(user, "id", None),
                    heartbeat_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(AuditAction.EXPORT_STARTED, job, kind=kind)
    return job


def launch(job: ExportJob, language: str, base_url: str) -> None:
    """Queue the export; it starts once the request commits the job row (core/tasks.py)."""
    tasks.defer("export", {"job_id": job.id, "language": language, "base_url": base_url}, key=f"export:{job.id}")


@tasks.handler("export")
def _export_task(payload: dict) -> None:
    """Idempotent: a finished job is left alone; one cut short (its worker died) starts again from scratch."""
    job = db.session.get(ExportJob, payload["job_id"])
    if job is None or job.finished:
        return
    run(job.id, payload["language"], payload["base_url"])


def run(job_id: int, language: str, base_url: str) -> None:
    """Do the export of ``job_id`` here; record success or failure on the row."""
    job = db.session.get(ExportJob, job_id)
    job.status = JobStatus.RUNNING
    job.heartbeat_at = utcnow()
    db.session.commit()
    folder, archive = job_folder(job), job_archive(job)
    work = folder.with_name(folder.name + ".work")
    shutil.rmtree(work, ignore_errors=True)
    last = [0.0]

    def progress(done: int, total: int, step: str) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        job.done, job.total, job.step, job.heartbeat_at = done, total, step[:200], utcnow()
        db.session.commit()

    try:
        edition = db.session.get(Edition, job.edition_id)
        digest = exports_digest(edition)  # before gathering: a change made meanwhile shows the output as outdated
        results = collect(edition, base_url)
        service.export(job.kind, results, work, language=language, progress=progress)
        _previews(work, language)
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
        service.zip_folder(folder, archive)
        job.status, job.file_name, job.file_size = JobStatus.DONE, archive.name, archive.stat().st_size
        outputs.publish(job.id, folder, archive, _local_previews(folder))  # with S3: into the bucket
        job.done = job.total
        freshness.record(job, results, digest)
    except service.NothingToExport:
        job.status, job.error = JobStatus.FAILED, "no_winners"
    except Exception:  # recorded on the job; the page says it failed and the log has the traceback
        log.exception("export job %s failed", job_id)
        db.session.rollback()
        job = db.session.get(ExportJob, job_id)
        job.status, job.error = JobStatus.FAILED, "internal"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    job.finished_at = job.heartbeat_at = utcnow()
    audit.record(AuditAction.EXPORT_FINISHED, job, kind=job.kind, status=job.status, size=job.file_size)
    db.session.commit()
    prune(job.edition_id)


def _previews(folder: Path, language: str) -> None:
    """PNGs of the publication's first pages, when Debian's pdftoppm is installed (else the page links the PDF)."""
    pdf = folder / "publication" / f"publication-{language}.pdf"
    if not pdf.exists() or not Path(PDFTOPPM).exists():
        return
    target = folder / "previews"
    target.mkdir(exist_ok=True)
    subprocess.run([PDFTOPPM, "-r", "40", "-f", "1", "-l", str(PREVIEW_PAGES), "-png", str(pdf),
                    str(target / "page")], check=False, timeout=120, capture_output=True)


def _local_previews(folder: Path) -> list[Path]:
    folder = folder / "previews"
    pages = folder.glob("page-*.png") if folder.is_dir() else []
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def previews(job: ExportJob) -> list:
    """The job's preview pages, in order: paths on local storage, page numbers in S3 (``outputs``)."""
    if uses_s3():
        return list(range(1, outputs.preview_count(job.id, PREVIEW_PAGES) + 1))
    return _local_previews(job_folder(job))


def prune(edition_id: int) -> None:
    """Delete the outputs of all but the newest ``KEEP`` finished jobs."""
    old = db.session.scalars(select(ExportJob).where(
        ExportJob.edition_id == edition_id, ExportJob.status.in_([JobStatus.DONE, JobStatus.FAILED]))
        .order_by(ExportJob.id.desc()).offset(KEEP)).all()
    for job in old:
        discard_output(job)
        db.session.delete(job)
    db.session.commit()


def discard_output(job: ExportJob) -> None:
    """Delete a job's files (its row stays, so the page can say why they are gone)."""
    shutil.rmtree(job_folder(job), ignore_errors=True)
    job_archive(job).unlink(missing_ok=True)
    outputs.discard(job.id, PREVIEW_PAGES)


def freshness_of(edition: Edition, jobs: list[ExportJob]) -> dict[int, freshness.Freshness]:
    """Each finished job's freshness; the files of those withdrawn for consent are deleted at once."""
    states = freshness.states(edition, jobs)
    for job in jobs:
        if states.get(job.id) is freshness.Freshness.WITHDRAWN:
            discard_output(job)
    return states
