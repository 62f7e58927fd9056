"""An uploaded picture's web copy and thumbnail, made by the task queue after the upload's request.

The upload request checks and stores the original and the cleaned copy only (the slow, CPU-bound part
it cannot skip); the two smaller copies are made from the cleaned copy by a worker. Until then the
teacher's pages show a placeholder. The task is idempotent: a file that has its copies, or that was
replaced or deleted meanwhile, is left alone.
"""
from __future__ import annotations

from competition.models import EntryFile
from competition.uploads.images import derive_copies
from core import file_lifecycle, tasks
from core.db import db
from core.files import get_storage


def queue_copies(stored: EntryFile) -> None:
    db.session.flush()  # the row's id
    tasks.defer("image_copies", {"file_id": stored.id}, key=f"image_copies:{stored.id}")


@tasks.handler("image_copies")
def make_copies(payload: dict) -> None:
    stored = db.session.get(EntryFile, payload["file_id"])
    if stored is None or stored.kind != "image" or (stored.web_key and stored.thumb_key) or not stored.cleaned_key:
        return
    with get_storage("uploads").open(stored.cleaned_key) as fh:
        web, thumb = derive_copies(fh.read())
    stored.web_key = file_lifecycle.put("uploads", web)
    stored.thumb_key = file_lifecycle.put("uploads", thumb)
    db.session.flush()
