"""The app's file storage, and serving stored files safely.

Files live in UPLOAD_FOLDER (:class:`core.storage.LocalStorage`), or, with ``STORAGE_URL=s3://bucket[/prefix]``,
in an S3-compatible bucket (:class:`core.s3_storage.S3Storage`) that several app servers share. Each storage has
a prefix of its own in the bucket, as it has a folder of its own on disk.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import quote

from cachetools import TTLCache
from flask import Response, abort, current_app

from core.storage import LocalStorage

# The app's storages, by name: their folder inside UPLOAD_FOLDER, and their prefix in an S3 bucket.
STORAGE_FOLDERS = {"uploads": "", "materials": "materials"}
S3_PREFIXES = {"uploads": "files/", "materials": "materials/", "exports": "exports/", "backups": "backups/"}


def uses_s3(app=None) -> bool:
    return bool((app or current_app).config.get("STORAGE_URL"))


def get_storage(name: str = "uploads"):
    """The entries' files ("uploads"), or the materials' PDFs ("materials", a folder of their own); with S3
    also "exports" and "backups", for named objects (``put_file``)."""
    storages = current_app.extensions.setdefault("storages", {})
    storage = storages.get((name, os.getpid()))  # per process: an S3 client is not shared across fork
    if storage is None:
        storage = storages[(name, os.getpid())] = _make_storage(name)
    return storage


# Keys seen stored in a bucket, remembered per process for PRESENT_TTL_S (see ``stored``).
PRESENT_TTL_S = 60
_seen_stored: TTLCache = TTLCache(maxsize=100_000, ttl=PRESENT_TTL_S)
_seen_lock = threading.Lock()


def stored(storage, key: str | None) -> bool:
    """Whether ``key`` is in ``storage``; in a bucket, a yes is remembered for a minute (a no never is).

    The public pages ask this of every winner's files on every request (their digest says whether each file
    is still stored), and in S3 each question is a HEAD request: 120 of them took 170 ms a page. A row's key
    names a content-addressed file that the app deletes only once no row refers to it
    (core/file_lifecycle.py), so a yes can turn false meanwhile only for a file lost outside the app; that
    shows within the minute. On disk the question costs a ``stat`` and is always asked."""
    if not key:
        return False
    if isinstance(storage, LocalStorage):
        return storage.exists(key)
    with _seen_lock:
        if (storage, key) in _seen_stored:
            return True
    if not storage.exists(key):
        return False
    with _seen_lock:
        _seen_stored[(storage, key)] = True
    return True


def _make_storage(name: str):
    config = current_app.config
    if not uses_s3():
        return LocalStorage(Path(config["UPLOAD_FOLDER"]) / STORAGE_FOLDERS[name])
    from core.s3_storage import S3Storage, make_client, parse_storage_url

    bucket, prefix = parse_storage_url(config["STORAGE_URL"])
    clients = current_app.extensions.setdefault("s3_clients", {})
    pid = os.getpid()  # one client per process, shared by its threads (boto3 clients are thread-safe)
    if pid not in clients:
        clients[pid] = make_client(config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"),
                                   config.get("S3_ACCESS_KEY_ID"), config.get("S3_SECRET_ACCESS_KEY"))
    local = Path(current_app.instance_path) / "s3"
    return S3Storage(clients[pid], bucket, prefix + S3_PREFIXES[name], lock_root=local / name,
                     cache_root=local / "cache" / name)


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 name in ``filename*``."""
    from core.filenames import ascii_filename

    fallback = ascii_filename(filename).replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored(key: str | None, mimetype: str, download_name: str, *, inline: bool = False,
                storage_name: str = "uploads") -> Response:
    """Stream a stored file with headers that stop a browser from running it (from S3 too: the bucket stays
    private, and the browser sees only the app's address)."""
    storage = get_storage(storage_name)
    try:
        handle = storage.open(key) if key else None
    except FileNotFoundError:  # e.g. replaced, and deleted, since the page was built
        handle = None
    if handle is None:
        abort(404)
    size = stream_size(handle)
    response = Response(_chunks(handle), mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = content_disposition("inline" if inline else "attachment", download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stream_size(handle) -> int:
    size = getattr(handle, "size", None)  # an S3 object: from its GET response
    if size is None:
        size = os.fstat(handle.fileno()).st_size  # an open file can still be read if it is deleted now
    return size


def _chunks(handle, size: int = 256 * 1024):
    with handle:
        while chunk := handle.read(size):
            yield chunk
