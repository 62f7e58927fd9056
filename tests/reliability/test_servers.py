"""The app under the development server as ``make run`` starts it, and the ``flask`` command in production.

``flask run`` in a subprocess, on a free loopback port, with ``APP_ENV=development`` and no ``PUBLIC_BASE_URL``:
it starts, its ``Server`` header names no versions, it refuses a forged host, and the reset link it mails goes
to 127.0.0.1 and the port it serves. gunicorn is checked in ``tests/reliability/test_two_servers.py``.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.servers import Client, free_port, request

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
VERSION = re.compile(r"\d|python", re.IGNORECASE)


def _environment(instance: Path, **settings) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("APP_ENV", "PUBLIC_BASE_URL", "TRUSTED_HOSTS", "TRUST_PROXY", "FLASK_DEBUG")}
    env.update(DATABASE_URL=f"sqlite:///{instance / 'app.db'}", INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1",
               **settings)
    return env


@pytest.fixture()
def instance(tmp_path):
    """An instance folder whose SQLite database has the tables and one teacher."""
    from accounts.models import Role
    from accounts.operations import create_user
    from app import create_app
    from core.db import db

    folder = tmp_path / "instance"
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'app.db'}"})
    with app.app_context():
        db.create_all()
        create_user("Tina Teacher", "teacher@example.org", "correct horse battery staple", [Role.TEACHER])
        db.session.commit()
        db.engine.dispose()
    return folder


@pytest.fixture()
def flask_run(instance):
    port = free_port()
    log = instance / "flask-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(FLASK), "--app", "app", "run", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=_environment(instance, APP_ENV="development", QUEUE_IMMEDIATE="1"), stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if request(base, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"flask run did not answer: {log.read_text()}"
            time.sleep(0.2)
        yield base, port
    finally:
        proc.terminate()
        proc.wait(20)


def test_the_app_itself_adds_no_server_header(client):
    assert "Server" not in client.get("/").headers


def test_the_development_server_names_no_versions_and_mails_links_to_its_own_port(flask_run, instance):
    base, port = flask_run
    status, headers, _ = request(base, "GET", "/")
    assert status == 200
    assert headers["server"] == "Werkzeug" and not VERSION.search(headers["server"]), headers["server"]

    assert request(base, "GET", "/account/login", headers={"Host": "evil.example"})[0] == 400
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        assert request(base, "GET", "/account/login", headers={"Host": host})[0] == 200

    client = Client(base)
    client.get("/account/forgot")
    # QUEUE_IMMEDIATE: the mail task runs in the server right after the commit (make run has a worker instead).
    assert client.post("/account/forgot", {"email": "teacher@example.org"})[0] == 200
    [eml] = (instance / "outbox").glob("*.eml")
    body = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default).get_body(("plain",)).get_content()
    assert re.search(rf"http://127\.0\.0\.1:{port}/account/reset/\S+", body), body


def test_the_flask_command_refuses_to_start_in_production_without_a_public_address(instance):
    refused = subprocess.run([str(FLASK), "--app", "app", "routes"], cwd=ROOT, env=_environment(instance),
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "PUBLIC_BASE_URL is not set" in refused.stderr  # with it, tests/test_hosts.py starts the same app
