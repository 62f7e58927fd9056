"""Orphan files (no row points at them) are removed by the cleanup command; referenced ones stay."""
from __future__ import annotations

import io
import os
import time

from core.files import get_storage
from tests.upload_builders import simple_pdf


def test_cleanup_removes_orphans_and_temp_files_but_keeps_referenced_files(app, post, draft):
    post(f"/competition/entries/{draft.id}/work/upload", {"file": (io.BytesIO(simple_pdf()), "poem.pdf")},
         content_type="multipart/form-data")
    storage = get_storage()
    referenced = set(storage.keys())
    assert len(referenced) == 2  # the original and its cleaned copy
    orphan = storage.put(b"written by a request that then died")
    temp = storage.tmp_dir / ".put-crashed.tmp"
    temp.write_bytes(b"half a file")
    old = time.time() - 7200
    for path in (storage.path(orphan), temp):
        os.utime(path, (old, old))
    result = app.test_cli_runner().invoke(args=["cleanup-files"])
    assert result.exit_code == 0 and "Removed 1 orphan file(s) and 1 temporary file(s)." in result.output
    assert set(storage.keys()) == referenced
    assert not temp.exists()


def test_cleanup_leaves_young_orphans_alone(app):
    storage = get_storage()
    key = storage.put(b"a request is still writing its row")
    result = app.test_cli_runner().invoke(args=["cleanup-files"])
    assert "Removed 0 orphan" in result.output and storage.exists(key)
