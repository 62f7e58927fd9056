"""Functions run in child processes by the storage tests (importable under spawn)."""
from __future__ import annotations

import io
import os
import random


def payload(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def put_same_content(root: str, seed: int, size: int, rounds: int, barrier, results) -> None:
    """Wait for the others, then store the same content ``rounds`` times."""
    from core.storage import LocalStorage

    data = payload(seed, size)
    storage = LocalStorage(root)
    barrier.wait(timeout=60)
    keys = set()
    for i in range(rounds):
        keys.add(storage.put(data if i % 2 else io.BytesIO(data)))
    results.put(sorted(keys))


class _DiesMidway(io.RawIOBase):
    """A stream that kills its process after handing out some data."""

    def __init__(self, chunks_before_death: int) -> None:
        self.left = chunks_before_death

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self.left == 0:
            os._exit(17)  # no cleanup, no finally: like a kill -9 or a power cut
        self.left -= 1
        return b"x" * (n if n and n > 0 else 1024)


def crash_while_putting(root: str) -> None:
    from core.storage import LocalStorage

    LocalStorage(root).put(_DiesMidway(chunks_before_death=2))
