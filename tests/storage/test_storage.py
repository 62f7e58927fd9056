"""Content-addressed storage: layout, atomic idempotent writes, validation.

Tests that take ``store`` run on both backends (local folder, S3 on SeaweedFS: see conftest.py); those that take
``st`` check what only a local folder has (paths, fsync, file modes, crashed writers' temporary files)."""
from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import stat
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core import storage as storage_module
from core.storage import CHUNK_SIZE, LocalStorage, Storage, validate_key
from tests.storage import _workers
from tests.storage.stores import leftovers


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def temp_files(st: LocalStorage) -> list[str]:
    return sorted(os.listdir(st.tmp_dir))


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture()
def st(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path / "files")


# -- basics -----------------------------------------------------------------------

def test_is_a_storage(store):
    assert isinstance(store, Storage)


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", bytes(range(256)) * 100, b"\x00" * (CHUNK_SIZE + 1)],
    ids=["empty", "small", "binary", "over-one-chunk"],
)
def test_round_trip(store, data):
    key = store.put(data)
    assert key == sha(data)
    assert store.exists(key)
    assert store.size(key) == len(data)
    with store.open(key) as f:
        assert f.read() == data
    assert store.verify(key)
    assert list(store.keys()) == [key]
    assert leftovers(store) == []


@pytest.mark.parametrize(
    "make",
    [bytes, bytearray, memoryview, io.BytesIO],
    ids=["bytes", "bytearray", "memoryview", "BytesIO"],
)
def test_put_accepts_bytes_like_and_file_objects(store, make):
    data = b"a poem about the sea"
    assert store.put(make(data)) == sha(data)
    with store.open(sha(data)) as f:
        assert f.read() == data


def test_put_from_a_real_file_reads_from_its_current_position(store, tmp_path):
    src = tmp_path / "upload.bin"
    src.write_bytes(b"HEADERpayload")
    with open(src, "rb") as f:
        f.seek(6)
        key = store.put(f)
    assert key == sha(b"payload")


@pytest.mark.parametrize("bad", ["text", 42, None, "a text stream"])
def test_put_rejects_what_is_not_bytes(store, bad):
    if bad == "a text stream":
        bad = io.StringIO("text")  # a fresh one for each backend
    with pytest.raises(TypeError):
        store.put(bad)
    assert leftovers(store) == []


def test_layout_is_two_level_fan_out_under_root(st):
    key = st.put(b"drawing")
    path = st.path(key)
    assert path == st.root / key[:2] / key[2:4] / key
    assert path.is_file()
    assert all_files(st.root) == [path]


def test_stored_files_get_the_file_mode(tmp_path):
    st = LocalStorage(tmp_path, file_mode=0o640)
    key = st.put(b"x")
    assert stat.S_IMODE(st.path(key).stat().st_mode) == 0o640


def test_keys_lists_only_stored_files(st):
    keys = sorted(st.put(f"file {i}".encode()) for i in range(5))
    # things that are not stored files: a crashed writer's temp file, stray files
    (st.tmp_dir / ".put-crashed.tmp").write_bytes(b"partial")
    (st.root / "README").write_text("hi")
    (st.root / "zz").mkdir()
    (st.root / "zz" / "zz").mkdir()
    (st.root / "zz" / "zz" / ("f" * 64)).write_bytes(b"")
    wrong_place = st.path(keys[0]).parent / ("0" * 64)  # valid name, wrong fan-out
    wrong_place.write_bytes(b"")
    (st.path(keys[0]).parent / ".put-x.tmp").write_bytes(b"")
    assert list(st.keys()) == keys


def test_keys_on_an_empty_store(store):
    assert list(store.keys()) == []


# -- idempotence and atomicity --------------------------------------------------------

def test_put_twice_is_idempotent(st, monkeypatch):
    key = st.put(b"same")
    inode = st.path(key).stat().st_ino
    temps = []
    real_mkstemp = storage_module.tempfile.mkstemp
    monkeypatch.setattr(
        storage_module.tempfile, "mkstemp", lambda **kw: temps.append(1) or real_mkstemp(**kw)
    )
    assert st.put(b"same") == key
    assert temps == []  # bytes already stored: not even a temporary copy
    assert st.put(io.BytesIO(b"same")) == key
    assert st.path(key).stat().st_ino == inode  # not rewritten
    assert list(st.keys()) == [key]
    assert temp_files(st) == []


def test_putting_stored_content_again_renews_its_age(st):
    """An orphan for hours that is uploaded again must not look old to cleanup-files (it spares young files)."""
    key = st.put(b"same")
    os.utime(st.path(key), (1, 1))
    assert st.put(b"same") == key
    assert st.path(key).stat().st_mtime > 10**9
    os.utime(st.path(key), (1, 1))
    assert st.put(io.BytesIO(b"same")) == key
    assert st.path(key).stat().st_mtime > 10**9


def test_put_repairs_a_corrupted_copy(st):
    key = st.put(b"original content")
    st.path(key).write_bytes(b"original contenT")  # same size, wrong bytes
    assert not st.verify(key)
    assert st.put(b"original content") == key
    assert st.verify(key)


@pytest.mark.parametrize("fan_out_exists", [False, True], ids=["new-dirs", "existing-dirs"])
def test_writes_are_fsynced_file_then_directory(st, monkeypatch, fan_out_exists):
    data = b"durable"
    final = st.path(sha(data))
    if fan_out_exists:
        final.parent.mkdir(parents=True)
    synced = []
    real_fsync = os.fsync

    def spy(fd):
        info = os.fstat(fd)
        synced.append(("dir" if stat.S_ISDIR(info.st_mode) else "file", info.st_ino))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    st.put(io.BytesIO(data))
    assert synced[0][0] == "file"
    assert ("dir", final.parent.stat().st_ino) in synced[1:]
    if not fan_out_exists:  # the new fan-out directories' entries are made durable too
        assert ("dir", final.parent.parent.stat().st_ino) in synced
        assert ("dir", st.root.stat().st_ino) in synced


def test_a_failed_write_leaves_no_temp_file_and_no_key(st, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(storage_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        st.put(b"lost")
    assert temp_files(st) == []
    assert not st.exists(sha(b"lost"))


@pytest.mark.parametrize("check_existing", [True, False], ids=["skip-existing", "always-replace"])
def test_concurrent_puts_from_threads(st, monkeypatch, check_existing):
    if not check_existing:  # make every thread race to os.replace the final file
        monkeypatch.setattr(LocalStorage, "_has_content", lambda *a: False)
    data = _workers.payload(1, 3 * CHUNK_SIZE + 17)
    barrier = threading.Barrier(8)

    def worker(i):
        barrier.wait(timeout=30)
        return {st.put(data if i % 2 else io.BytesIO(data)) for _ in range(3)}

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))
    assert all(r == {sha(data)} for r in results)
    assert list(st.keys()) == [sha(data)]
    assert all_files(st.root) == [st.path(sha(data))]
    assert st.verify(sha(data))
    assert temp_files(st) == []


def test_concurrent_puts_from_processes(st):
    ctx = multiprocessing.get_context("spawn")
    size = 2 * CHUNK_SIZE + 5
    barrier = ctx.Barrier(4)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=_workers.put_same_content,
            args=(str(st.root), 7, size, 4, barrier, results),
        )
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    keys = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    expected = sha(_workers.payload(7, size))
    assert keys == [[expected]] * 4
    assert list(st.keys()) == [expected]
    assert all_files(st.root) == [st.path(expected)]
    assert st.verify(expected)
    assert temp_files(st) == []


# -- crashes and clean-up -----------------------------------------------------------------

def test_a_crashed_writer_leaves_a_temp_file_that_is_not_a_key(st):
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_workers.crash_while_putting, args=(str(st.root),))
    p.start()
    p.join(timeout=60)
    assert p.exitcode == 17
    (leftover,) = temp_files(st)
    assert list(st.keys()) == []
    # a fresh temp file may belong to a writer still at work: kept
    assert st.cleanup_temp(older_than_seconds=3600) == 0
    assert temp_files(st) == [leftover]
    old = time.time() - 7200
    os.utime(st.tmp_dir / leftover, (old, old))
    assert st.cleanup_temp(older_than_seconds=3600) == 1
    assert temp_files(st) == []


def test_cleanup_temp_keeps_stored_files_and_foreign_files(st):
    key = st.put(b"keep me")
    old = time.time() - 7200
    for name in (".put-a.tmp", ".put-b.tmp", "not-ours.txt"):
        (st.tmp_dir / name).write_bytes(b"")
        os.utime(st.tmp_dir / name, (old, old))
    assert st.cleanup_temp(older_than_seconds=60) == 2
    assert temp_files(st) == ["not-ours.txt"]
    assert st.verify(key)


# -- streaming --------------------------------------------------------------------------

class GeneratedStream(io.RawIOBase):
    """30 MB of pseudo-random bytes made on demand, recording each read size."""

    def __init__(self, size: int, seed: int = 3) -> None:
        self.left = size
        self.state = hashlib.sha256(str(seed).encode()).digest()
        self.reads: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.reads.append(n)
        if n is None or n < 0:
            raise AssertionError("put() must not read everything at once")
        n = min(n, self.left)
        out = bytearray()
        while len(out) < n:
            self.state = hashlib.sha256(self.state).digest()
            out += self.state * 64
        self.left -= n
        return bytes(out[:n])


def expected_digest(size: int, seed: int = 3) -> str:
    stream, digest = GeneratedStream(size, seed), hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def test_streaming_put_of_30_mb(store):
    size = 30 * 1024 * 1024
    stream = GeneratedStream(size)
    tracemalloc.start()
    try:
        key = store.put(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert key == expected_digest(size)
    assert store.size(key) == size
    assert store.verify(key)
    assert all(0 < n <= CHUNK_SIZE for n in stream.reads)
    assert len(stream.reads) > size // CHUNK_SIZE
    assert peak < 8 * CHUNK_SIZE  # never the whole file in memory
    assert leftovers(store) == []


class WatchfulStream(GeneratedStream):
    """Checks, while being read, that nothing is visible under the final name."""

    def __init__(self, size: int, final: Path) -> None:
        super().__init__(size)
        self.final = final
        self.checked = 0

    def read(self, n: int = -1) -> bytes:
        assert not self.final.exists(), "a partial file is visible under its final name"
        self.checked += 1
        return super().read(n)


def test_the_final_name_never_holds_a_partial_file(st):
    size = 5 * CHUNK_SIZE
    final = st.path(expected_digest(size))
    stream = WatchfulStream(size, final)
    assert st.put(stream) == final.name
    assert stream.checked > 5
    assert final.stat().st_size == size


# -- keys are validated ----------------------------------------------------------------

BAD_KEYS = [
    "../../etc/passwd",
    "",
    "a" * 63,
    "a" * 65,
    "A" * 64,
    "g" * 64,
    "a" * 64 + "\n",
    "../" + "a" * 61,
    "ab/cd/" + "a" * 58,
    "/" + "a" * 63,
    " " + "a" * 63,
    None,
    123,
    b"a" * 64,
]


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
@pytest.mark.parametrize("method", ["path", "open", "exists", "delete", "size", "verify"])
def test_invalid_keys_are_rejected_before_any_path_is_built(st, monkeypatch, key, method):
    built = []
    real_truediv = Path.__truediv__
    monkeypatch.setattr(Path, "__truediv__", lambda self, o: built.append(o) or real_truediv(self, o))
    with pytest.raises(ValueError):
        getattr(st, method)(key)
    assert built == []


def test_validate_key_accepts_a_digest():
    key = sha(b"x")
    assert validate_key(key) == key


# -- delete, verify, missing keys ----------------------------------------------------------

def test_delete(store):
    key = store.put(b"bye")
    store.delete(key)
    assert not store.exists(key)
    assert list(store.keys()) == []


def test_delete_of_a_missing_key_is_a_no_op(store):
    store.delete(sha(b"never stored"))
    store.delete(sha(b"never stored"))


def test_missing_keys(store):
    key = sha(b"missing")
    assert not store.exists(key)
    assert not store.verify(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)
    with pytest.raises(FileNotFoundError):
        store.size(key)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda p: p.write_bytes(b"something else"),
        lambda p: p.write_bytes(p.read_bytes()[:-1]),
        lambda p: p.write_bytes(b""),
    ],
    ids=["replaced", "truncated", "emptied"],
)
def test_verify_detects_corruption(st, corrupt):
    key = st.put(b"the original drawing")
    assert st.verify(key)
    corrupt(st.path(key))
    assert not st.verify(key)

