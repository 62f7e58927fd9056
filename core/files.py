"""The app's file storage, and serving stored files safely."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, current_app

from core.storage import LocalStorage


def get_storage() -> LocalStorage:
    storage = current_app.extensions.get("storage")
    if storage is None:
        storage = LocalStorage(current_app.config["UPLOAD_FOLDER"])
        current_app.extensions["storage"] = storage
    return storage


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 name in ``filename*``."""
    from competition.uploads import ascii_filename

    fallback = ascii_filename(filename).replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored(key: str | None, mimetype: str, download_name: str, *, inline: bool = False) -> Response:
    """Stream a stored file with headers that stop a browser from running it."""
    storage = get_storage()
    if not key or not storage.exists(key):
        abort(404)
    handle = storage.open(key)
    response = Response(_chunks(handle), mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Length"] = str(storage.size(key))
    response.headers["Content-Disposition"] = content_disposition("inline" if inline else "attachment", download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _chunks(handle, size: int = 256 * 1024):
    with handle:
        while chunk := handle.read(size):
            yield chunk
