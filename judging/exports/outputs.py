"""Where a finished export job's archive and preview pages are kept, so that any app server can serve them.

With local storage they stay where the job wrote them (``EXPORT_FOLDER/job-<id>.zip`` and
``job-<id>/previews/page-N.png``). With S3 (``STORAGE_URL``) they are uploaded to the bucket under ``exports/``
(to a temporary key, then copied onto their name: a reader never sees a part) and the local copies removed: the
download may reach another server than the one that ran the job. Names carry the job's number only.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from core.files import get_storage, uses_s3


def _archive_name(job_id: int) -> str:
    return f"job-{job_id}.zip"


def _preview_name(job_id: int, number: int) -> str:
    return f"job-{job_id}/previews/page-{number}.png"


def publish(job_id: int, folder: Path, archive: Path, previews: list[Path]) -> None:
    """Move a finished job's archive and previews into the storage (nothing to do on local storage)."""
    if not uses_s3():
        return
    storage = get_storage("exports")
    for number, page in enumerate(previews, start=1):
        storage.put_file(_preview_name(job_id, number), page)
    storage.put_file(_archive_name(job_id), archive)  # last: its presence says the output is complete
    shutil.rmtree(folder, ignore_errors=True)
    archive.unlink(missing_ok=True)


def open_archive(job_id: int, local: Path):
    """The archive, open for reading (``size`` in bytes on S3 objects), or None if it is gone."""
    if not uses_s3():
        return open(local, "rb") if local.is_file() else None
    try:
        return get_storage("exports").open_file(_archive_name(job_id))
    except FileNotFoundError:
        return None


def preview_count(job_id: int, pages: int) -> int:
    """How many of the first ``pages`` preview pages the bucket holds."""
    storage = get_storage("exports")
    count = 0
    while count < pages and storage.file_exists(_preview_name(job_id, count + 1)):
        count += 1
    return count


def open_preview(job_id: int, number: int):
    try:
        return get_storage("exports").open_file(_preview_name(job_id, number))
    except FileNotFoundError:
        return None


def discard(job_id: int, pages: int) -> None:
    """Delete a job's archive and previews from the bucket (the local files are removed by the caller)."""
    if not uses_s3():
        return
    storage = get_storage("exports")
    storage.delete_file(_archive_name(job_id))
    for number in range(1, pages + 1):
        storage.delete_file(_preview_name(job_id, number))
