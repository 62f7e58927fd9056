"""Stored files leave as soon as no row refers to them, right after the commit that dropped the last one.

A replaced upload, a removed file, a deleted entry or material, a purged original: each still held a
child's work, and often its author's name or GPS position, so it must not wait on disk for
``cleanup-files``. The mechanism has three parts, and views need not call anything:

* **Which columns hold keys.** Models declare them once with :func:`track` (e.g. ``EntryFile``'s
  original, cleaned, web and thumbnail keys, in the "uploads" storage; ``Material.file_key`` in
  "materials").
* **Candidates.** When a flush deletes a tracked row, or changes one of its key columns, the keys it held
  become candidates of the session (ORM events; a cascade from a deleted entry counts too).
* **After the commit.** Right after the session commits, each candidate that no row of any tracked
  column refers to any more is deleted from its storage; a key still shared with another row stays. A
  rollback, including a commit that fails, forgets the candidates: a failed commit deletes nothing.
* **Files stored by the transaction.** What a session stored with :func:`put` is a candidate too: after
  a commit, a file that no row refers to (stored, then refused later in the same request) leaves; after a
  rollback, every file the transaction stored that no row refers to leaves (a form refused after its upload
  was stored keeps nothing of the child's work, nor its hidden data).

Storage is content-addressed, so a request may be about to refer to a key that another request has just
dereferenced. Writers therefore store through :func:`put`, which holds a shared lock on the key's stripe
until the session's transaction ends, and deletion asks "still referenced?" under the exclusive lock
(``LocalStorage.delete_unused``). A deletion that cannot get the lock within two seconds is left to
``flask cleanup-files``, which is otherwise only needed after a crash.

The locks are file locks (``core.storage_locks``) while the files are on this machine. With S3 on PostgreSQL
the app servers may be on several machines, so the locks are PostgreSQL advisory locks instead, in namespace
:data:`ADVISORY_NAMESPACE` + the storage's number, one per stripe: a writer takes the shared transaction-level
lock on its own session's connection (released when its transaction ends), a deletion the exclusive one.

Bulk ``delete()``/``update()`` statements and database-level cascades bypass the ORM events: code that
uses them on tracked tables must pass the keys to :func:`forget` itself.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable

from sqlalchemy import event, inspect, select, text, union
from sqlalchemy.orm import Session, object_session

from core.files import get_storage
from core.storage import LocalStorage
from core.storage_locks import LOCK_WAIT_S

log = logging.getLogger(__name__)

INFO_KEY = "file_lifecycle"
CHUNK = 500
ADVISORY_NAMESPACE = 0x6D746D00  # "mtm\0": the advisory locks' first key, plus the storage's number
_STORAGE_NUMBERS = {"uploads": 1, "materials": 2}
_TRACKED: dict[str, list] = {}  # storage name -> the mapped key columns stored there


def track(model, columns: Iterable[str], storage: str) -> None:
    """Declare that ``columns`` of ``model`` hold keys of the named storage (see ``core.files``)."""
    columns = tuple(columns)
    _TRACKED.setdefault(storage, []).extend(getattr(model, name) for name in columns)

    @event.listens_for(model, "after_delete")
    def _deleted(mapper, connection, target) -> None:
        forget(object_session(target), storage, (getattr(target, name) for name in columns))

    @event.listens_for(model, "after_update")
    def _updated(mapper, connection, target) -> None:
        state = inspect(target)
        forget(object_session(target), storage, (old for name in columns for old in state.attrs[name].history.deleted))


def _state(session: Session) -> dict:
    return session.info.setdefault(INFO_KEY, {"candidates": {}, "pins": [], "deleted": 0, "stored": {}})


def forget(session: Session | None, storage: str, keys: Iterable[str | None]) -> None:
    """Make ``keys`` candidates for deletion after ``session``'s next commit."""
    if session is not None:
        _state(session)["candidates"].setdefault(storage, set()).update(key for key in keys if key)


def put(storage: str, data: bytes, session: Session | None = None) -> str:
    """Store ``data`` for a row this session will write, and return its key. A deletion elsewhere cannot
    remove the file before this session's transaction ends (committed: the row refers to it)."""
    from core.db import db

    session = session or db.session()
    if not session.in_transaction():
        session.connection()  # begin, so that the end of the transaction releases the lock
    target, state = get_storage(storage), _state(session)
    if _advisory(target, session.get_bind()):
        key = hashlib.sha256(data).hexdigest()
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:ns, :stripe)"), _lock_args(storage, key[:2]))
        key = target.put(data)
    else:
        key = target.put(data, pins=state["pins"])
    state.setdefault("stored", {}).setdefault(storage, set()).add(key)
    return key


def _advisory(target, bind) -> bool:
    """True when writers and deleters may be on several machines: files in S3, rows in PostgreSQL."""
    return not isinstance(target, LocalStorage) and bind.dialect.name == "postgresql"


def _lock_args(storage: str, stripe: str) -> dict:
    return {"ns": ADVISORY_NAMESPACE + _STORAGE_NUMBERS.get(storage, 0), "stripe": int(stripe, 16)}


def pin_all(storage: str, bind) -> list:
    """Shared locks on every stripe of ``storage`` (a backup copying files); call each item to release."""
    target = get_storage(storage)
    if not _advisory(target, bind):
        return target.pin_all()
    connection = bind.connect()
    for stripe in range(256):
        connection.execute(text("SELECT pg_advisory_lock_shared(:ns, :stripe)"), _lock_args(storage, f"{stripe:02x}"))

    def release() -> None:
        connection.execute(text("SELECT pg_advisory_unlock_all()"))  # session locks outlive a pooled close
        connection.close()
    return [release]


def _delete_unused_advisory(target, storage: str, bind, keys: set[str]) -> tuple[int, set[str]]:
    """``delete_unused`` under PostgreSQL advisory locks: for each stripe, its exclusive transaction lock,
    then the question "still referenced?" on the same connection, then the deletion."""
    deadline = time.monotonic() + LOCK_WAIT_S
    stripes: dict[str, set[str]] = {}
    for key in keys:
        stripes.setdefault(key[:2], set()).add(key)
    deleted, skipped = 0, set()
    for stripe in sorted(stripes):
        group = stripes[stripe]
        with bind.connect() as connection:
            while not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:ns, :stripe)"),
                                        _lock_args(storage, stripe)):
                if time.monotonic() >= deadline:
                    break
                connection.rollback()
                time.sleep(0.02)
            else:
                for key in sorted(group - referenced(connection, storage, group)):
                    if target.exists(key):
                        target.delete(key)
                        deleted += 1
                connection.rollback()  # ends the transaction: releases the lock
                continue
            skipped |= group
    return deleted, skipped


def referenced(connection, storage: str, keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` that a row of a tracked column of ``storage`` refers to."""
    ordered = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        query = union(*[select(column.label("key")).where(column.in_(chunk)) for column in _TRACKED[storage]])
        found.update(connection.scalars(query))
    return found


def referenced_keys(connection, storage: str) -> set[str]:
    """Every key of ``storage`` that a row refers to (cleanup-files, backups)."""
    query = union(*[select(column.label("key")).where(column.is_not(None)) for column in _TRACKED[storage]])
    return set(connection.scalars(query))


def storages() -> list[str]:
    return sorted(_TRACKED)


def unreferenced_candidates(session: Session) -> int:
    """How many stored files the session's coming commit will delete: after a flush, the candidates that no row
    refers to any more (a view that does not commit can still say what its request removes)."""
    session.flush()
    state = session.info.get(INFO_KEY)
    if not state or not state["candidates"]:
        return 0
    connection = session.connection()
    return sum(len(keys - referenced(connection, storage, keys)) for storage, keys in state["candidates"].items())


def deleted_by_last_commit(session: Session) -> int:
    """How many stored files the session's last commit deleted."""
    return _state(session)["deleted"]


def _release(state: dict) -> None:
    pins, state["pins"] = state["pins"], []
    for release in pins:
        release()


# insert=True: before every other after_commit listener, so that the pins are released before the task queue
# runs tasks in the same process (QUEUE_IMMEDIATE), whose own commits would otherwise wait for them.
@event.listens_for(Session, "after_commit", insert=True)
def _after_commit(session: Session) -> None:
    state = session.info.get(INFO_KEY)
    if not state:
        return
    _release(state)  # first: this session's own rows are committed, and a pin would block its own deletion
    candidates, state["candidates"] = state["candidates"], {}
    for storage, keys in state.pop("stored", {}).items():
        candidates.setdefault(storage, set()).update(keys)
    state["stored"] = {}
    state["deleted"] = _delete_unreferenced(session, candidates)


def _delete_unreferenced(session: Session, candidates: dict[str, set[str]]) -> int:
    """Delete the candidates that no row refers to, each under its stripe's lock; return how many left."""
    if not candidates:
        return 0
    bind = session.get_bind()

    def in_use(storage: str):
        def check(keys: set[str]) -> set[str]:
            with bind.connect() as connection:  # a fresh read for each stripe, taken under its lock
                return referenced(connection, storage, keys)
        return check

    total = 0
    for storage, keys in candidates.items():
        try:
            target = get_storage(storage)
            if _advisory(target, bind):
                deleted, skipped = _delete_unused_advisory(target, storage, bind, keys)
            else:
                deleted, skipped = target.delete_unused(keys, in_use(storage))
        except Exception:  # noqa: BLE001 - the transaction's outcome stands; cleanup-files removes what is left
            log.exception("could not delete %d unreferenced stored file(s) in %s", len(keys), storage)
            continue
        total += deleted
        if skipped:
            log.warning("left %d unreferenced stored file(s) in %s to cleanup-files (locked by writers)",
                        len(skipped), storage)
    return total


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: its flushes are checked against the database at the commit anyway
    state = session.info.get(INFO_KEY)
    if state:
        _release(state)
        state["candidates"] = {}  # a rollback (or a failed commit): nothing that rows held is deleted
        stored, state["stored"] = state.get("stored", {}), {}
        if stored:  # but what the rolled-back transaction itself stored, and no row refers to, leaves
            _delete_unreferenced(session, stored)
