"""What both backends must do alike (``store``: a local folder, then S3 on SeaweedFS), and what S3 adds."""
from __future__ import annotations

import hashlib
import io
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.s3_storage import S3Storage, parse_storage_url
from core.storage import CHUNK_SIZE, LocalStorage
from tests.storage import _workers
from tests.storage.stores import leftovers, objects, overwrite, s3_storage
from tests.storage.test_storage import BAD_KEYS


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def layout(key: str) -> str:
    return f"{key[:2]}/{key[2:4]}/{key}"


def test_files_are_named_by_their_hash_in_a_two_level_fan_out(store):
    key = store.put(b"drawing by a pupil named Amina")
    assert objects(store) == [layout(key)]  # no name, no identity: only the hash
    assert leftovers(store) == []


def test_keys_lists_only_stored_files(store):
    keys = sorted(store.put(f"file {i}".encode()) for i in range(5))
    strays = ["README", f"zz/zz/{'f' * 64}", f"{keys[0][:2]}/{keys[0][2:4]}/{'0' * 64}", f"tmp/{'a' * 64}"]
    for stray in strays:
        if isinstance(store, LocalStorage):
            (store.root / stray).parent.mkdir(parents=True, exist_ok=True)
            (store.root / stray).write_bytes(b"")
        else:
            store.client.put_object(Bucket=store.bucket, Key=store.prefix + stray, Body=b"")
    assert list(store.keys()) == keys


def test_put_twice_is_idempotent_and_renews_the_age(store):
    key = store.put(b"same content")
    first = store.modified(key)
    time.sleep(1.1)  # S3 dates have one-second resolution
    assert store.put(io.BytesIO(b"same content")) == key
    assert store.modified(key) > first  # cleanup-files spares it: a row is about to refer to it again
    assert objects(store) == [layout(key)] and leftovers(store) == []


def test_put_repairs_a_truncated_copy(store):
    key = store.put(b"original content")
    overwrite(store, key, b"original")  # a different size: not taken for the content
    assert store.put(b"original content") == key
    assert store.verify(key)


def test_concurrent_puts_from_threads(store):
    data = _workers.payload(1, 3 * CHUNK_SIZE + 17)
    barrier = threading.Barrier(6)

    def worker(i):
        barrier.wait(timeout=30)
        return {store.put(data if i % 2 else io.BytesIO(data)) for _ in range(2)}

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(worker, range(6)))
    assert all(r == {sha(data)} for r in results)
    assert list(store.keys()) == [sha(data)] and store.verify(sha(data))
    assert leftovers(store) == []


def test_local_copy_is_the_content_and_leaves_with_the_file(store):
    key = store.put(b"%PDF-1.4 a poem")
    path = store.local_copy(key)
    assert path.read_bytes() == b"%PDF-1.4 a poem"
    store.delete(key)
    assert not path.exists()
    with pytest.raises(FileNotFoundError):
        store.local_copy(key)


def test_a_pinned_stripe_keeps_its_file_from_deletion_and_unused_files_leave(store):
    kept, unused = store.put(b"being referenced"), store.put(b"nobody refers to this")
    release = store.pin(kept)
    try:
        deleted, skipped = store.delete_unused([kept], lambda keys: set(), wait_s=0.1)
        assert (deleted, skipped) == (0, {kept})  # a writer holds the stripe: left to cleanup-files
    finally:
        release()
    assert store.delete_unused([kept, unused], lambda keys: keys & {kept}) == (1, set())
    assert store.exists(kept) and not store.exists(unused)


def test_cleanup_temp_removes_only_old_temporary_files(store):
    key = store.put(b"stored")
    if isinstance(store, LocalStorage):
        (store.tmp_dir / ".put-crashed.tmp").write_bytes(b"partial")
    else:
        store.client.put_object(Bucket=store.bucket, Key=f"{store.prefix}tmp/crashed", Body=b"partial")
    assert store.cleanup_temp(older_than_seconds=3600) == 0
    time.sleep(1.1)
    assert store.cleanup_temp(older_than_seconds=0.5) == 1
    assert leftovers(store) == [] and list(store.keys()) == [key]


@pytest.mark.parametrize("bad", [b"something else", b"the original drawin", b""], ids=["replaced", "truncated", "emptied"])
def test_verify_detects_corruption_on_both_backends(store, bad):
    key = store.put(b"the original drawing")
    assert store.verify(key)
    overwrite(store, key, bad)
    assert not store.verify(key)


# -- S3 only ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
@pytest.mark.parametrize("method", ["object_key", "open", "exists", "delete", "size", "verify", "modified",
                                    "local_copy", "presigned_url"])
def test_invalid_keys_never_reach_the_bucket(s3_store, key, method):
    with pytest.raises(ValueError):
        getattr(s3_store, method)(key)
    assert objects(s3_store) == []


def test_storage_urls():
    assert parse_storage_url("s3://bucket") == ("bucket", "")
    assert parse_storage_url("s3://bucket/some/prefix/") == ("bucket", "some/prefix/")
    for bad in ("bucket", "s3://", "https://bucket", "file:///srv/files"):
        with pytest.raises(ValueError, match="s3://bucket"):
            parse_storage_url(bad)


def test_objects_are_private_and_presigned_links_are_short_lived(s3_store, weed):
    key = s3_store.put(b"an original drawing, with its EXIF")
    with pytest.raises(urllib.error.HTTPError) as refused:  # no credentials: refused
        urllib.request.urlopen(f"{weed.endpoint}/{s3_store.bucket}/{s3_store.object_key(key)}", timeout=10)
    assert refused.value.code == 403
    url = s3_store.presigned_url(key, expires_s=2, mimetype="image/jpeg")
    assert key in url and "Amina" not in url and "X-Amz-Expires=2" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"an original drawing, with its EXIF"
        assert response.headers["Content-Type"] == "image/jpeg"
    time.sleep(3.1)
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(url, timeout=10)
    assert expired.value.code == 403
    for too_long in (0, 301, 3600):
        with pytest.raises(ValueError):
            s3_store.presigned_url(key, expires_s=too_long)


def test_a_stored_file_is_written_once_by_a_conditional_write(s3_store):
    data = b"written by two servers at once"
    s3_store.put(data)
    name = s3_store.object_key(sha(data))
    with pytest.raises(Exception, match="PreconditionFailed|412"):  # what the second writer's PUT meets
        s3_store.client.put_object(Bucket=s3_store.bucket, Key=name, Body=b"other bytes", IfNoneMatch="*")
    assert s3_store.put(data) == sha(data) and s3_store.verify(sha(data))


def test_named_objects_appear_whole_under_their_name(s3_store, tmp_path):
    archive = tmp_path / "job-1.zip"
    archive.write_bytes(_workers.payload(5, 6 * CHUNK_SIZE))
    s3_store.put_file("job-1.zip", archive)
    with s3_store.open_file("job-1.zip") as stream:
        assert stream.size == archive.stat().st_size and stream.read() == archive.read_bytes()
    assert leftovers(s3_store) == [] and list(s3_store.keys()) == []  # a named object is not a stored file
    s3_store.delete_file("job-1.zip")
    assert not s3_store.file_exists("job-1.zip")
    for bad in ("", "/etc/passwd", "../x", "a/../../x", "tmp/x"):
        with pytest.raises(ValueError):
            s3_store.put_file(bad, archive)


def test_two_storages_share_a_bucket_under_their_prefixes(weed, tmp_path):
    bucket = weed.new_bucket()
    files, materials = s3_storage(weed, tmp_path, bucket, "files/"), s3_storage(weed, tmp_path, bucket, "materials/")
    key = files.put(b"a drawing")
    assert not materials.exists(key) and list(materials.keys()) == []
    materials.put(b"a guide")
    assert list(files.keys()) == [key]
    assert isinstance(files, S3Storage)


def test_without_weed_the_s3_tests_skip_unless_required(monkeypatch):
    from _pytest.outcomes import Failed, Skipped

    from tests import s3_server

    monkeypatch.setattr(s3_server, "weed_binary", lambda: None)
    monkeypatch.delenv("REQUIRE_S3", raising=False)
    with pytest.raises(Skipped, match="not installed"):
        s3_server.require_weed()
    monkeypatch.setenv("REQUIRE_S3", "1")
    with pytest.raises(Failed, match="REQUIRE_S3=1"):
        s3_server.require_weed()


@pytest.mark.s3
def test_the_server_is_on_loopback_and_stops(tmp_path):
    from tests.s3_server import start_weed

    server = start_weed(tmp_path / "weed")
    try:
        assert server.endpoint.startswith("http://127.0.0.1:") and server.s3_port != 8333
        assert server.client().list_buckets()["Buckets"] == []
    finally:
        server.stop()
    assert server.proc.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(server.proc.pid, 0)  # the whole group is gone: no volume or filer left running
