"""Per-process caches of what every juror page shows alike: the round and the rubric, keyed by revision.

Each juror page reads the id and the revision token of its round and rubric with its first query (the
tokens change at every change of the row, and the rubric's at every change of one of its criteria:
judging/models/revision.py). Their contents come from here under (id, token); only a token this process
has not seen yet costs a query. So a change by the secretariat shows on the very next request in every
process, since each reads the token from the same database, and nothing is ever invalidated by hand.

The caches are per app (so per process in production; tests build several apps in one process), bounded,
and only save work. A value is stored under the token read with it, in the same statement.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache
from flask import current_app

ROUNDS = 64
RUBRICS = 256


class _Caches:
    def __init__(self):
        self.lock = threading.Lock()
        self.rounds = LRUCache(maxsize=ROUNDS)  # (round id, revision) -> RoundData
        self.rubrics = LRUCache(maxsize=RUBRICS)  # (rubric id, revision) -> RubricView
        self.misses = 0  # loads from the database, for the tests


def caches() -> _Caches:
    found = current_app.extensions.get("juror_page_cache")
    return found if found is not None else current_app.extensions.setdefault("juror_page_cache", _Caches())


def cached(kind: str, key: tuple, load: Callable[[], tuple[tuple, Any]]) -> Any:
    """The value cached under ``key`` (id, revision), else ``load()``, which returns the (id, revision) it
    read together with the value: the value is stored under that key, the one it belongs to."""
    store = caches()
    cache = getattr(store, kind)
    with store.lock:
        hit = cache.get(key)
    if hit is not None:
        return hit
    read_key, value = load()
    with store.lock:
        store.misses += 1
        if value is not None:
            cache[read_key] = value
    return value
