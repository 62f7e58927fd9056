"""The app's file storage, and serving stored files safely."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from flask import Response, abort, current_app

from core.storage import LocalStorage


# The app's storages, by name: their folder inside UPLOAD_FOLDER.
STORAGE_FOLDERS = {"uploads": "", "materials": "materials"}


def get_storage(name: str = "uploads") -> LocalStorage:
    """The entries' files ("uploads"), or the materials' PDFs ("materials", a folder of their own)."""
    storages = current_app.extensions.setdefault("storages", {})
    storage = storages.get(name)
    if storage is None:
        storage = storages[name] = LocalStorage(Path(current_app.config["UPLOAD_FOLDER"]) / STORAGE_FOLDERS[name])
    return storage


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 name in ``filename*``."""
    from competition.uploads import ascii_filename

    fallback = ascii_filename(filename).replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored(key: str | None, mimetype: str, download_name: str, *, inline: bool = False) -> Response:
    """Stream a stored file with headers that stop a browser from running it."""
    storage = get_storage()
    try:
        handle = storage.open(key) if key else None
    except FileNotFoundError:  # e.g. replaced, and deleted, since the page was built
        handle = None
    if handle is None:
        abort(404)
    size = os.fstat(handle.fileno()).st_size  # an open file can still be read if it is deleted now
    response = Response(_chunks(handle), mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = content_disposition("inline" if inline else "attachment", download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _chunks(handle, size: int = 256 * 1024):
    with handle:
        while chunk := handle.read(size):
            yield chunk
