"""A cheap check that the upload folder exists and is writable, or that the S3 bucket answers."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def storage_ok(folder: str) -> bool:
    try:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path, prefix=".health-")
        os.close(fd)
        os.unlink(name)
        return True
    except OSError:
        return False


def bucket_ok(storage) -> bool:
    """The bucket answers a signed request for one key (a HEAD: nothing is written, nothing is listed)."""
    try:
        storage.exists("0" * 64)
        return True
    except Exception:  # noqa: BLE001 - unreachable, refused credentials, no such bucket: unhealthy
        return False
