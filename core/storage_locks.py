"""Stripe locks between writers and deleters of content-addressed files (see ``core.storage``).

A writer holds a shared lock on its key's stripe (the key's first two hex digits, one lock file of 256 under
``lock_root/locks``) from before it stores until its transaction ends; a deletion takes the stripe's exclusive
lock before it asks whether a row refers to the key. File locks (``fcntl.flock``) cover the processes of one
machine: ``LocalStorage`` keeps them beside its files, and ``S3Storage`` on SQLite (one machine) in the instance
folder. Several machines on PostgreSQL use advisory locks instead (``core.file_lifecycle``).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK_DIR = "locks"
LOCK_WAIT_S = 2.0  # how long a deletion waits for writers of the same stripe before leaving it to cleanup-files


class StripeLocks:
    """Mixin: ``pin``, ``pin_all`` and ``delete_unused`` for a storage with ``lock_root``, ``exists`` and ``delete``."""

    lock_root: Path

    def _lock_fd(self, stripe: str) -> int:
        """The lock file of a stripe: the first two hex digits of the keys it covers."""
        directory = Path(self.lock_root) / LOCK_DIR
        directory.mkdir(parents=True, exist_ok=True)
        return os.open(directory / f"{stripe}.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def pin(self, key: str) -> Callable[[], None]:
        """Hold a shared lock on ``key``'s stripe (waiting for a deletion in progress); return its release."""
        if fcntl is None:
            return lambda: None
        fd = self._lock_fd(_stripe_of(key))
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except BaseException:
            os.close(fd)
            raise
        released = []

        def release() -> None:
            if not released:
                released.append(True)
                os.close(fd)  # closing the descriptor drops the lock

        return release

    def pin_all(self) -> list[Callable[[], None]]:
        """Shared locks on every stripe (a backup copying files): deletions wait, or leave files to later."""
        return [self.pin(f"{stripe:02x}" + "0" * 62) for stripe in range(256)]

    def delete_unused(self, keys: Iterable[str], in_use: Callable[[set[str]], set[str]],
                      wait_s: float = LOCK_WAIT_S) -> tuple[int, set[str]]:
        """Delete each of ``keys`` that ``in_use`` does not return. ``in_use`` is asked, for the keys of one
        stripe at a time, while that stripe is locked against writers, so a key stored meanwhile for a row
        about to be committed is never lost. Returns how many files were deleted and the keys left alone
        because writers held their stripe beyond ``wait_s`` seconds, in all (``cleanup-files`` takes them)."""
        deadline = time.monotonic() + wait_s
        stripes: dict[str, set[str]] = {}
        for key in keys:
            stripes.setdefault(_stripe_of(key), set()).add(key)
        deleted, skipped = 0, set()
        for stripe in sorted(stripes):
            group = stripes[stripe]
            fd = self._lock_fd(stripe) if fcntl is not None else None
            try:
                if fd is not None and not _lock_exclusive(fd, deadline):
                    skipped |= group
                    continue
                for key in sorted(group - in_use(group)):
                    if self.exists(key):
                        self.delete(key)
                        deleted += 1
            finally:
                if fd is not None:
                    os.close(fd)
        return deleted, skipped


def _stripe_of(key: str) -> str:
    from core.storage import validate_key

    return validate_key(key)[:2]


def _lock_exclusive(fd: int, deadline: float) -> bool:
    """Take the exclusive lock, trying until ``deadline`` (``time.monotonic()``) at least once."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
