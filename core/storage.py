"""Content-addressed file storage.

Uploaded files are stored by the SHA-256 of their content, never under a name
a user gave, in a directory that must live outside the web root::

    root/ab/cd/abcd…(64 hex digits)     stored files (two-level fan-out)
    root/tmp/.put-*.tmp                  files being written
    root/locks/ab.lock                   one lock file per stripe of keys (see below)

:class:`Storage` is the interface the rest of the application uses, so that a
second backend (e.g. an object store) can be added later; :class:`LocalStorage`
keeps the files on a local file system, and :class:`core.s3_storage.S3Storage` in an S3 bucket.

Writes are atomic and idempotent: content is streamed into a uniquely named
temporary file in ``root/tmp`` while it is hashed, flushed and ``fsync``-ed,
then ``os.replace``-d onto its final name, and the final directory is
``fsync``-ed.  Readers therefore see either no file or the whole file.  Two
writers of the same content (threads or processes) both end with the same,
complete file; if the final file already exists with the right content the
new copy is simply dropped.  A writer that crashes leaves at most a temporary
file behind, which :meth:`LocalStorage.keys` never lists and
:meth:`LocalStorage.cleanup_temp` removes.

Keys are validated (exactly 64 lower-case hex digits) before any path is
built; anything else raises :class:`ValueError`.

Because two rows may share one stored file, deleting a file that no row
refers to races with a writer that has just stored the same content for a row
it has not committed yet. Both sides therefore lock the key's stripe (one of
256 lock files under ``root/locks``): a writer holds a shared lock (``put(...,
pins=)``) from before it stores until its transaction ends, and
:meth:`LocalStorage.delete_unused` takes the exclusive lock before it asks
whether a row refers to the key and deletes it. Where ``fcntl`` is missing
(Windows) there is no lock, and only ``cleanup-files`` should delete.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from core.storage_locks import StripeLocks

__all__ = ["CHUNK_SIZE", "LocalStorage", "Storage", "validate_key"]

CHUNK_SIZE = 1024 * 1024
TEMP_DIR = "tmp"
TEMP_PREFIX = ".put-"
TEMP_SUFFIX = ".tmp"

_KEY_RE = re.compile(r"[0-9a-f]{64}")
_FANOUT_RE = re.compile(r"[0-9a-f]{2}")


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, read in chunks: what a stored file's key must equal."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def validate_key(key: object) -> str:
    """Return ``key`` if it is a SHA-256 hex digest (64 lower-case hex digits)."""
    if not isinstance(key, str) or _KEY_RE.fullmatch(key) is None:
        raise ValueError(f"invalid storage key: {key!r}")
    return key


@runtime_checkable
class Storage(Protocol):
    """Content-addressed blob storage; keys are hex SHA-256 digests."""

    def put(self, data: bytes | BinaryIO) -> str:
        """Store ``data`` (bytes or a binary file object) and return its key."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open the stored content for reading; the caller closes it."""
        ...

    def exists(self, key: str) -> bool:
        ...

    def delete(self, key: str) -> None:
        """Remove the content; a missing key is a no-op."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key (never temporary files)."""
        ...

    def size(self, key: str) -> int:
        ...

    def modified(self, key: str) -> float:
        """When it was last written or reused, in seconds since the epoch."""
        ...

    def local_copy(self, key: str) -> Path:
        """A file on this machine with the content (for libraries that need a path)."""
        ...


def _fsync_dir(path: Path) -> None:
    """Make a rename/unlink in ``path`` durable (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class LocalStorage(StripeLocks):
    """:class:`Storage` on a local file system under ``root``.

    ``file_mode`` is applied to stored files (the temporary file is created
    0600 by :func:`tempfile.mkstemp`).
    """

    def __init__(self, root: Path | str, *, file_mode: int = 0o640) -> None:
        self.root = Path(root).resolve()
        self.lock_root = self.root
        self.file_mode = file_mode
        self.tmp_dir = self.root / TEMP_DIR
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    # -- paths ---------------------------------------------------------------

    def path(self, key: str) -> Path:
        key = validate_key(key)
        return self.root / key[:2] / key[2:4] / key

    # -- writing -------------------------------------------------------------

    def put(self, data: bytes | bytearray | memoryview | BinaryIO, *, pins: list | None = None) -> str:
        """Store ``data`` and return its key.

        Bytes-like data is written as is; a binary file object is read from its
        current position to its end in chunks of :data:`CHUNK_SIZE` (never all
        at once) while it is hashed. With ``pins``, a shared lock on the key's
        stripe is taken before the file is stored and its release function is
        appended to ``pins``: call it once the row that refers to the key is
        committed or rolled back (see the module's docstring).
        """
        pin_after_hashing = pins is not None
        key = None
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data)
            key = hashlib.sha256(data).hexdigest()
            if pins is not None:
                pins.append(self.pin(key))
                pin_after_hashing = False
            if self._reuse(self.path(key), key, len(data)):
                return key  # already stored: nothing to write
            chunks: Iterator[bytes] = iter((data,))
        elif isinstance(data, str):
            raise TypeError("put() takes bytes or a binary file object, not str")
        elif hasattr(data, "read"):
            chunks = self._read_chunks(data)
        else:
            raise TypeError(f"put() takes bytes or a binary file object, not {type(data).__name__}")

        digest = hashlib.sha256() if key is None else None  # bytes were hashed above: not twice
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    if digest is not None:
                        digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest is not None:
                key = digest.hexdigest()
            final = self.path(key)
            if pin_after_hashing:  # a stream: its key is known only now, before the file appears
                pins.append(self.pin(key))
            if self._reuse(final, key, tmp.stat().st_size):
                return key  # already stored: the temporary copy is dropped below
            os.chmod(tmp, self.file_mode)
            created = self._make_parents(final.parent)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            for directory in created:  # new fan-out directories: make their entries durable
                _fsync_dir(directory.parent)
            return key
        finally:
            tmp.unlink(missing_ok=True)

    @staticmethod
    def _read_chunks(stream: BinaryIO) -> Iterator[bytes]:
        while True:
            chunk = stream.read(CHUNK_SIZE)
            if chunk is None:  # non-blocking raw stream with nothing ready
                raise BlockingIOError("put() needs a blocking file object")
            if not chunk:
                return
            if isinstance(chunk, str):
                raise TypeError("put() needs a binary file object (read() returned str)")
            yield chunk

    def _make_parents(self, directory: Path) -> list[Path]:
        """Create ``directory`` (and its parent); return the ones created."""
        created = []
        for d in (directory.parent, directory):
            try:
                d.mkdir()
                created.append(d)
            except FileExistsError:
                pass
        return created

    def _reuse(self, final: Path, key: str, size: int) -> bool:
        """True when ``final`` already holds the content. Its mtime is renewed: a file that was an orphan
        for hours is about to be referenced again, and ``cleanup-files`` spares only young orphans."""
        if not self._has_content(final, key, size):
            return False
        try:
            os.utime(final)
        except FileNotFoundError:
            return False  # removed meanwhile: write it again
        return True

    def _has_content(self, final: Path, key: str, size: int) -> bool:
        try:
            if final.stat().st_size != size:
                return False
        except FileNotFoundError:
            return False
        return self._hash_file(final) == key

    # -- reading -------------------------------------------------------------

    def open(self, key: str) -> BinaryIO:
        """Open for reading; raises :class:`FileNotFoundError` if missing."""
        return open(self.path(key), "rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        """Size in bytes; raises :class:`FileNotFoundError` if missing."""
        return self.path(key).stat().st_size

    def modified(self, key: str) -> float:
        """When the file was last written or reused (seconds since the epoch); FileNotFoundError if missing."""
        return self.path(key).stat().st_mtime

    def local_copy(self, key: str) -> Path:
        """The stored file itself (it is on this machine); FileNotFoundError if missing."""
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(path)
        return path

    def keys(self) -> Iterator[str]:
        """Stored keys in sorted order (files in the fan-out, never temp files)."""
        for d1 in self._subdirs(self.root):
            for d2 in self._subdirs(d1):
                prefix = d1.name + d2.name
                try:
                    names = sorted(e.name for e in os.scandir(d2) if e.is_file(follow_symlinks=False))
                except FileNotFoundError:
                    continue
                for name in names:
                    if _KEY_RE.fullmatch(name) and name.startswith(prefix):
                        yield name

    @staticmethod
    def _subdirs(directory: Path) -> list[Path]:
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return []
        return sorted(
            Path(e.path)
            for e in entries
            if _FANOUT_RE.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
        )

    def verify(self, key: str) -> bool:
        """Re-hash the stored file: ``False`` if missing or corrupted."""
        path = self.path(key)
        try:
            return self._hash_file(path) == key
        except FileNotFoundError:
            return False

    @staticmethod
    def _hash_file(path: Path) -> str:
        return file_sha256(path)

    # -- removal -------------------------------------------------------------

    def delete(self, key: str) -> None:
        path = self.path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        _fsync_dir(path.parent)
        # Empty fan-out directories are kept: removing them could race with a
        # concurrent put() that has just created them.

    def cleanup_temp(self, older_than_seconds: float = 3600.0) -> int:
        """Remove temporary files (left by crashed writers) older than the
        threshold; return how many were removed.  Keep the threshold well
        above the time the largest upload takes to write."""
        cutoff = time.time() - older_than_seconds
        removed = 0
        try:
            entries = list(os.scandir(self.tmp_dir))
        except FileNotFoundError:
            return 0
        for e in entries:
            if not (e.name.startswith(TEMP_PREFIX) and e.is_file(follow_symlinks=False)):
                continue
            try:
                if e.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(e.path)
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

