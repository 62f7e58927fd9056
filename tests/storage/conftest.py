"""The storage tests run against both backends: ``store`` is a LocalStorage, then an S3Storage on SeaweedFS.

SeaweedFS (``weed mini``) is started once per session on loopback (the ``weed`` fixture of tests/conftest.py);
each test gets a bucket
of its own. Without ``weed`` the S3 cases are skipped, unless REQUIRE_S3=1.
"""
from __future__ import annotations

import pytest

from core.storage import LocalStorage
from tests.storage.stores import s3_storage


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    return s3_storage(request.getfixturevalue("weed"), tmp_path)


@pytest.fixture()
def s3_store(weed, tmp_path):
    return s3_storage(weed, tmp_path)
