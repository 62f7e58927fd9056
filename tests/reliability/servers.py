"""Real servers for the reliability tests and benchmarks: gunicorn processes on loopback ports, a fresh
PostgreSQL database migrated with Alembic, and a small HTTP client with cookies and CSRF tokens.

    with fresh_postgres() as url:
        with Gunicorn(url, instance_dir) as server:
            client = Client(server.base)
            client.login("teacher@example.org", PASSWORD)
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from tests.network import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def psycopg_url(url: str) -> str:
    """An SQLAlchemy PostgreSQL URL as psycopg's own connect() takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def postgres_available() -> bool:
    try:
        import psycopg

        from tests.pg_database import ADMIN_URL

        psycopg.connect(ADMIN_URL, connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 - unreachable, refused, no such role: not available
        return False


def require_postgres() -> None:
    """Skip the calling test without PostgreSQL, unless REQUIRE_POSTGRES=1 (CI), which makes it fail."""
    import pytest

    if not postgres_available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (REQUIRE_POSTGRES=1) but unreachable on 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")


def flask(database_url: str, instance: Path, *args: str, check: bool = True, **extra_env) -> subprocess.CompletedProcess:
    """Run ``flask --app app <args>`` in a subprocess against ``database_url``."""
    env = server_env(database_url, instance, **extra_env)
    return subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=check,
                          capture_output=True, text=True, timeout=600)


def server_env(database_url: str, instance: Path, **extra) -> dict:
    """The environment of a production server (``APP_ENV=production``): ``PUBLIC_BASE_URL`` is the loopback address
    unless ``extra`` says otherwise (``Gunicorn`` gives each server its own port)."""
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1",
                "APP_ENV": "production", "PUBLIC_BASE_URL": "http://127.0.0.1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextlib.contextmanager
def fresh_postgres(prefix: str = "mtm_rel"):
    """A new, migrated PostgreSQL database; dropped afterwards."""
    from tests.pg_database import create_database, drop_database, url_for_database

    name = create_database(prefix)
    url = url_for_database(name)
    try:
        with tempfile.TemporaryDirectory() as instance:
            flask(url, Path(instance), "db", "upgrade")
        yield url
    finally:
        drop_database(name)


class Gunicorn:
    """``gunicorn 'app:create_app()'`` (or another ``target``) on a loopback port, with the given database and
    instance folder.

    ``extra_env`` adds settings (SECRET_KEY, RATELIMIT_STORAGE_URI...). ``kill()`` sends SIGKILL to the
    whole process group (master and workers), as a crash would; ``start()`` starts it again.
    """

    def __init__(self, database_url: str, instance: Path, *, workers: int = 2, threads: int = 4, port: int | None = None,
                 timeout: int = 120, target: str = "app:create_app()", **extra_env):
        self.database_url, self.instance, self.target = database_url, Path(instance), target
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.port = port or free_port()
        self.extra_env = {"PUBLIC_BASE_URL": self.base, **extra_env}
        self.proc: subprocess.Popen | None = None
        self.log = self.instance / f"gunicorn-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        self.instance.mkdir(parents=True, exist_ok=True)
        env = server_env(self.database_url, self.instance, **self.extra_env)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", str(self.workers), "--threads", str(self.threads), "-b",
                 f"127.0.0.1:{self.port}", "--timeout", str(self.timeout), self.target],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:
                status, _headers, _body = request(self.base, "GET", "/healthz", timeout=2)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on {self.base}: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: nothing gets to clean up."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class QueueWorker:
    """``huey_consumer core.worker.huey`` with the same settings as the app (the queue in the instance folder)."""

    def __init__(self, database_url: str, instance: Path, *, workers: int = 2, **extra_env):
        self.database_url, self.instance, self.workers, self.extra_env = database_url, Path(instance), workers, extra_env
        self.proc: subprocess.Popen | None = None
        self.log = self.instance / "queue-worker.log"

    def __enter__(self) -> QueueWorker:
        self.instance.mkdir(parents=True, exist_ok=True)
        env = server_env(self.database_url, self.instance, **self.extra_env)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([str(BIN / "huey_consumer"), "core.worker.huey", "--workers",
                                          str(self.workers), "--worker-type", "thread"],
                                         cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def wait_for_queue(database_url: str, since: float, timeout: float = 600) -> float:
    """Wait until no task is left in ``queued_tasks``; return the seconds since ``since`` (perf_counter)."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(psycopg_url(database_url), autocommit=True) as conn:
        while conn.execute("select count(*) from queued_tasks where failed_at is null").fetchone()[0]:
            if time.monotonic() > deadline:
                raise RuntimeError("the queue did not drain")
            time.sleep(0.25)
    return time.perf_counter() - since


def request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 120) -> tuple[int, dict, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """``files``: name -> (filename, bytes, content type). Returns (body, content-type header)."""
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n'.encode())
    for name, (filename, data, ctype) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f'Content-Type: {ctype}\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


class Client:
    """A browser-like client: keeps cookies, reads each page's CSRF token, never follows redirects itself."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.headers: dict[str, str] = {}  # sent with every request (X-Forwarded-For behind TRUST_PROXY...)

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Accept-Language": "en", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _remember(self, headers: dict, body: bytes) -> None:
        cookie = headers.get("set-cookie")
        if cookie:
            for morsel in SimpleCookie(cookie).values():
                self.cookies[morsel.key] = morsel.value
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
        if match:
            self.token = match.group(1).decode()

    def get(self, path: str, base: str | None = None) -> tuple[int, dict, bytes]:
        status, headers, body = request(base or self.base, "GET", path, headers=self._headers())
        self._remember(headers, body)
        return status, headers, body

    def post(self, path: str, fields: dict | None = None, files: dict | None = None, base: str | None = None,
             timeout: float = 120) -> tuple[int, dict, bytes]:
        fields = {"csrf_token": self.token, **(fields or {})}
        if files:
            body, ctype = multipart(fields, files)
        else:
            body, ctype = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        status, headers, data = request(base or self.base, "POST", path, body=body,
                                        headers=self._headers({"Content-Type": ctype}), timeout=timeout)
        self._remember(headers, data)
        return status, headers, data

    def login(self, email: str, password: str, base: str | None = None) -> int:
        self.get("/account/login", base=base)
        status, headers, _body = self.post("/account/login", {"email": email, "password": password}, base=base)
        return status

    def json(self, path: str) -> dict:
        return json.loads(self.get(path)[2])


def random_secret() -> str:
    return secrets.token_hex(32)
