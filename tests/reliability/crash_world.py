"""Helpers for the crash-safety tests: a demo database, a look at the storage folder and the rows that point
into it, PostgreSQL sessions, requests left half sent, and noise pictures that do not compress.

Nothing here talks to the application's Python code: the tests see the server from outside (HTTP, the
storage folder, PostgreSQL, the ``flask`` command), as an operator would after a crash.
"""
from __future__ import annotations

import http.client
import io
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from core.storage import file_sha256 as sha256_file
from tests.reliability.servers import Client, Gunicorn, free_port, multipart, psycopg_url, request

PASSWORD = "crash-safety-demo-2026"
TEACHER = "teacher@example.org"
JUROR = "juror@example.org"
SECRETARIAT = "secretariat@example.org"
APP_NAME = "crash-safety-test"  # our own PostgreSQL sessions, told apart from the server's

_KEY = re.compile(r"[0-9a-f]{64}")
_FANOUT = re.compile(r"[0-9a-f]{2}")


# PostgreSQL -------------------------------------------------------------------------------------------------
def connect(database_url: str, autocommit: bool = True) -> psycopg.Connection:
    return psycopg.connect(psycopg_url(database_url), autocommit=autocommit, application_name=APP_NAME)


def rows(database_url: str, query: str, params: tuple | dict = ()) -> list[tuple]:
    with connect(database_url) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


def server_backends(database_url: str) -> list[tuple]:
    """(pid, state, wait_event_type, query) of every session on the database that is not one of ours."""
    name = urlsplit(psycopg_url(database_url)).path.lstrip("/")
    return rows(database_url, "SELECT pid, state, wait_event_type, query FROM pg_stat_activity "
                              "WHERE datname = %s AND application_name <> %s AND pid <> pg_backend_pid()",
                (name, APP_NAME))


def lock_waiters(database_url: str) -> int:
    return sum(1 for _pid, _state, wait, _q in server_backends(database_url) if wait == "Lock")


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def check_no_leftover_sessions(database_url: str, killed_pids: set[int], timeout: float = 15.0) -> None:
    """The killed server's PostgreSQL sessions are gone, and with the restarted server idle no session stays idle
    in a transaction or keeps a table lock. (A request of the restarted server may be between two statements
    for a moment, e.g. a slow first health check the start-up poll gave up on: hence waiting, not a snapshot.)"""
    name = urlsplit(psycopg_url(database_url)).path.lstrip("/")

    def leftovers():
        return [b for b in server_backends(database_url) if b[0] in killed_pids]

    def idle_in_transaction():
        return [b for b in server_backends(database_url) if (b[1] or "").startswith("idle in transaction")]

    def locks():
        return rows(database_url, "SELECT l.pid, l.mode, l.relation::regclass::text, a.state, a.query FROM pg_locks l "
                                  "JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.datname = %s "
                                  "AND a.application_name <> %s AND l.granted AND l.locktype = 'relation' "
                                  "AND a.pid <> pg_backend_pid()", (name, APP_NAME))

    wait_until(lambda: not leftovers() and not idle_in_transaction() and not locks(), timeout, 0.1)
    assert not leftovers(), f"sessions of the killed server are still there: {leftovers()}"
    assert not idle_in_transaction(), f"sessions idle in a transaction after the restart: {idle_in_transaction()}"
    assert not locks(), f"table locks held after the restart, with the server idle: {locks()}"


# Storage ----------------------------------------------------------------------------------------------------
@dataclass
class StorageScan:
    """What is in one content-addressed storage folder (see core/storage.py for the layout)."""

    keys: set[str] = field(default_factory=set)
    temps: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)  # a key name whose content does not hash to it
    strays: list[str] = field(default_factory=list)  # anything else: neither a key nor a temp file


def scan_storage(root: Path, skip: tuple[str, ...] = ()) -> StorageScan:
    """Walk ``root`` and hash every stored file: root/ab/cd/<key>, root/tmp/.put-*.tmp (and root/locks/ab.lock).

    ``skip`` names top-level folders that are another storage (``materials``)."""
    scan = StorageScan()
    if not root.exists():
        return scan
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        if rel.parts and rel.parts[0] in skip:
            dirs[:] = []
            continue
        for name in files:
            path = Path(folder) / name
            parts = rel.parts
            if parts == ("tmp",) and name.startswith(".put-"):
                scan.temps.append(str(path))
            elif parts == ("locks",) and _FANOUT.fullmatch(name.removesuffix(".lock")) and name.endswith(".lock"):
                continue  # a stripe's lock file (core.storage): empty, kept for good
            elif (len(parts) == 2 and all(_FANOUT.fullmatch(p) for p in parts) and _KEY.fullmatch(name)
                  and name.startswith(parts[0] + parts[1])):
                if sha256_file(path) == name:
                    scan.keys.add(name)
                else:
                    scan.corrupt.append(str(path))
            else:
                scan.strays.append(str(path))
    return scan


def entry_file_keys(database_url: str) -> set[str]:
    """Every key the main storage's rows refer to: the pupils' entry files and the cities' campaign files."""
    found = rows(database_url, "SELECT original_key, cleaned_key, web_key, thumb_key FROM entry_files")
    found += rows(database_url, "SELECT original_key, cleaned_key, web_key, thumb_key FROM campaign_files")
    return {key for row in found for key in row if key}


def material_keys(database_url: str) -> set[str]:
    return {key for (key,) in rows(database_url, "SELECT file_key FROM materials WHERE file_key IS NOT NULL")}


@dataclass
class StorageReport:
    main: StorageScan
    materials: StorageScan
    entry_keys: set[str]
    material_keys: set[str]

    @property
    def orphans(self) -> set[str]:
        """Stored files no row points at (cleanup-files keeps material keys in the main folder too)."""
        return self.main.keys - self.entry_keys - self.material_keys

    @property
    def material_orphans(self) -> set[str]:
        return self.materials.keys - self.material_keys

    @property
    def missing(self) -> set[str]:
        return self.entry_keys - self.main.keys

    @property
    def missing_materials(self) -> set[str]:
        return self.material_keys - self.materials.keys

    def problems(self, *, after_cleanup: bool) -> list[str]:
        out = []
        for scan, label in ((self.main, "uploads"), (self.materials, "uploads/materials")):
            if scan.corrupt:
                out.append(f"{label}: files under a key name whose content does not hash to it: {scan.corrupt}")
            if scan.strays:
                out.append(f"{label}: files that are neither a key nor a temp file: {scan.strays}")
        if self.missing:
            out.append(f"entry_files rows point at missing files: {sorted(self.missing)}")
        if self.missing_materials:
            out.append(f"materials rows point at missing files: {sorted(self.missing_materials)}")
        if after_cleanup:
            if self.orphans:
                out.append(f"orphan files left after cleanup-files: {sorted(self.orphans)}")
            if self.material_orphans:
                out.append(f"orphan material files left after cleanup-files: {sorted(self.material_orphans)}")
            if self.main.temps or self.materials.temps:
                out.append(f"temp files left after cleanup-files: {self.main.temps + self.materials.temps}")
        return out


def storage_report(database_url: str, instance: Path) -> StorageReport:
    root = instance / "uploads"
    return StorageReport(scan_storage(root, skip=("materials",)), scan_storage(root / "materials"),
                         entry_file_keys(database_url), material_keys(database_url))


def temp_files(instance: Path) -> list[str]:
    names = []
    for folder in (instance / "uploads" / "tmp", instance / "uploads" / "materials" / "tmp"):
        try:
            names += [e.name for e in os.scandir(folder) if e.name.startswith(".put-")]
        except FileNotFoundError:
            pass
    return names


def all_files(instance: Path) -> set[str]:
    """Every file under uploads/ (stored, temporary or anything else)."""
    return {os.path.join(folder, name) for folder, _dirs, files in os.walk(instance / "uploads") for name in files}


# Requests ---------------------------------------------------------------------------------------------------
def noise_jpeg(seed: int, size: tuple[int, int] = (2200, 1650), quality: int = 93) -> bytes:
    """A JPEG of random noise: ~3.5-4.5 MB at the default size, different for every seed. It carries a camera's
    EXIF, as a phone's photo does, so that its cleaned copy is a second file (a JPEG with no metadata is
    cleaned losslessly into the same bytes, stored once)."""
    import random

    from PIL import Image

    rng = random.Random(seed)
    w, h = size
    image = Image.frombytes("RGB", size, rng.randbytes(w * h * 3))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Crash Test Camera", f"Model {seed}"  # Make, Model
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


class HalfSent:
    """A POST whose headers and first part of the body are sent; the rest never comes (the client stalls)."""

    def __init__(self, base: str, path: str, body: bytes, headers: dict, fraction: float = 0.5):
        parts = urlsplit(base)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        head = [f"POST {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}", f"Content-Length: {len(body)}",
                "Connection: close"] + [f"{k}: {v}" for k, v in headers.items()]
        self.sent = int(len(body) * fraction)
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:self.sent])

    def answered(self) -> bool:
        """True if the server has already sent something back (it should not have: the body is incomplete)."""
        self.sock.setblocking(False)
        try:
            return bool(self.sock.recv(1, socket.MSG_PEEK))
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            self.sock.setblocking(True)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def form_body(client: Client, fields: dict, files: dict | None = None) -> tuple[bytes, dict]:
    """The body and headers ``client`` would send for a form POST (with its cookies and CSRF token)."""
    from urllib.parse import urlencode

    fields = {"csrf_token": client.token, **fields}
    if files:
        body, ctype = multipart(fields, files)
    else:
        body, ctype = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
    return body, client._headers({"Content-Type": ctype})


class InFlight(threading.Thread):
    """One complete request sent from a thread; ``status`` is None if the server died before answering."""

    def __init__(self, base: str, path: str, body: bytes, headers: dict, label: str = ""):
        super().__init__(daemon=True)
        self.base, self.path, self.body, self.headers, self.label = base, path, body, headers, label
        self.status: int | None = None
        self.location = ""
        self.error: str | None = None
        self.answered = threading.Event()

    def run(self) -> None:
        try:
            status, headers, _data = request(self.base, "POST", self.path, body=self.body, headers=self.headers,
                                             timeout=60)
            self.status, self.location = status, headers.get("location", "")
        except (OSError, http.client.HTTPException) as exc:  # reset, refused, closed: the server was killed
            self.error = repr(exc)
        finally:
            self.answered.set()


def restart(server: Gunicorn) -> None:
    """Start the killed server again on its port; on a new port if another process took it meanwhile."""
    try:
        server.start()
    except RuntimeError:
        server.port = free_port()
        server.log = server.instance / f"gunicorn-{server.port}.log"
        server.start()


def signed_in(client: Client, email: str, base: str) -> Client:
    """Sign ``client`` in (again) on ``base``."""
    client.base = base
    assert client.login(email, PASSWORD) == 302, f"{email} could not sign in on {base}"
    return client


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()
