"""A cheap check that the upload folder exists and is writable."""
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
