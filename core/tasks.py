"""The task queue: Huey wakes the workers, a ``queued_tasks`` row makes each task durable.

Ask for a task with ``defer(name, payload)`` inside the request's transaction; it reaches the queue
only when that transaction commits (a rolled-back request sends no mail). A worker:

1. leases the row (``leased_until``), freeing its debounce ``key`` so that a later change queues again;
2. runs the handler registered with ``@handler(name)``, renewing the lease from a side thread;
3. deletes the row in the transaction that commits the handler's own writes.

A handler that raises is retried with a growing delay, ``MAX_ATTEMPTS`` times. A worker killed with
``kill -9`` stops renewing its lease; the sweep (at worker start and every minute) hands rows whose
lease ran out, or that never reached the queue, to the queue again. Handlers are therefore written to
be run twice safely (idempotent).

Run a worker with ``huey_consumer core.worker.huey`` (``make run`` starts one beside the web server).
With ``QUEUE_IMMEDIATE`` (tests), each task runs in the asking process right after the commit.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.orm import Session

from core.db import db, utcnow
from core.queue_model import QueuedTask

log = logging.getLogger("app.tasks")
MAX_ATTEMPTS = 8
SWEEP_GRACE = timedelta(seconds=30)  # a row not leased this long after it was due never reached the queue
HANDLERS: dict[str, Callable[[dict], None]] = {}

# The storage is set by init_app from QUEUE_URL (in memory until then).
huey = Huey("more-than-migrants", storage_class=MemoryStorage)
_app: Flask | None = None


def handler(name: str):
    """Register ``fn(payload: dict)`` as the code of the tasks called ``name``."""
    def register(fn):
        HANDLERS[name] = fn
        return fn
    return register


def init_app(app: Flask) -> None:
    global _app
    _app = app
    app.extensions["tasks"] = huey
    url = app.config["QUEUE_URL"]
    if app.config.get("QUEUE_IMMEDIATE"):
        return  # tasks run in the asking process: no queue to reach
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage = RedisStorage(huey.name, url=url)
    elif url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        if not isinstance(huey.storage, SqliteStorage) or huey.storage.filename != str(path):
            huey.storage = SqliteStorage(huey.name, filename=str(path))
    else:
        raise ValueError(f"QUEUE_URL must start with redis:// or sqlite:///, not {url!r}")


def defer(name: str, payload: dict | None = None, *, key: str | None = None, delay: float = 0) -> QueuedTask:
    """Add a task to the current transaction; it is queued when the transaction commits.

    With ``key``, a pending task of the same key absorbs this one (its payload is replaced): changes
    in a burst cost one run, ``delay`` seconds after the first (debouncing).
    """
    if name not in HANDLERS:
        raise ValueError(f"no task handler called {name!r}")
    data = json.dumps(payload or {}, sort_keys=True)
    row = None
    if key is not None:
        with db.session.no_autoflush:
            row = db.session.scalar(select(QueuedTask).where(QueuedTask.key == key))
    if row is None:
        row = QueuedTask(name=name, payload=data, key=key, not_before=utcnow() + timedelta(seconds=delay))
        db.session.add(row)
    else:
        row.payload = data
    db.session.flush()
    db.session.info.setdefault("tasks_to_queue", {})[row.id] = row.not_before
    return row


@event.listens_for(Session, "after_commit")
def _queue_after_commit(session) -> None:
    pending = session.info.pop("tasks_to_queue", None)
    if pending:
        _dispatch(pending)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop("tasks_to_queue", None)


def _dispatch(pending: dict) -> None:
    app = current_app._get_current_object() if has_app_context() else _app
    if app.config.get("QUEUE_IMMEDIATE"):
        # A fresh app context has a session of its own: the committed session is left alone.
        for task_id in pending:
            with app.app_context():
                run_task(task_id, now=True)
        return
    for task_id, when in pending.items():
        _enqueue(task_id, when)


def _enqueue(task_id: int, when=None) -> None:
    eta = when if when is not None and when > utcnow() else None
    run_queued.schedule((task_id,), eta=eta) if eta else run_queued(task_id)


@huey.task(name="run_queued")
def run_queued(task_id: int) -> None:
    if has_app_context():
        run_task(task_id)
        return
    with _app.app_context():
        run_task(task_id)


def run_task(task_id: int, *, now: bool = False) -> bool:
    """Lease, run and delete one task; return whether it ran to the end here. ``now``: even if it is not due."""
    lease = timedelta(seconds=current_app.config["QUEUE_LEASE_SECONDS"])
    due = utcnow() + (timedelta(days=1) if now else timedelta(seconds=1))
    now = utcnow()
    taken = db.session.execute(
        update(QueuedTask).where(QueuedTask.id == task_id, QueuedTask.failed_at.is_(None),
                                 QueuedTask.not_before <= due,
                                 or_(QueuedTask.leased_until.is_(None), QueuedTask.leased_until < now))
        .values(leased_until=now + lease, attempts=QueuedTask.attempts + 1, key=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not taken:
        return False  # done, running elsewhere, not due yet, or given up
    row = db.session.get(QueuedTask, task_id)
    name, payload, attempts = row.name, json.loads(row.payload), row.attempts
    stop = threading.Event()
    beat = threading.Thread(target=_renew, args=(current_app._get_current_object(), task_id, lease, stop), daemon=True)
    beat.start()
    try:
        HANDLERS[name](payload)
        db.session.execute(delete(QueuedTask).where(QueuedTask.id == task_id))
        db.session.commit()
        return True
    except Exception as exc:  # recorded on the row and retried; the log has the traceback
        log.exception("task %s %s failed (attempt %s)", task_id, name, attempts)
        db.session.rollback()
        retry_in = timedelta(seconds=min(2 ** attempts, 600))
        values = {"last_error": f"{type(exc).__name__}: {exc}"[:2000], "leased_until": None,
                  "not_before": utcnow() + retry_in}
        if attempts >= MAX_ATTEMPTS:
            values["failed_at"] = utcnow()
        db.session.execute(update(QueuedTask).where(QueuedTask.id == task_id).values(**values))
        db.session.commit()
        if attempts < MAX_ATTEMPTS and not current_app.config.get("QUEUE_IMMEDIATE"):
            _enqueue(task_id, values["not_before"])
        return False
    finally:
        stop.set()


def _renew(app: Flask, task_id: int, lease: timedelta, stop: threading.Event) -> None:
    """Keep the lease while the task runs (on a connection of its own); a killed worker stops renewing."""
    while not stop.wait(lease.total_seconds() / 3):
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(update(QueuedTask).where(QueuedTask.id == task_id)
                                   .values(leased_until=utcnow() + lease))


def sweep() -> list[int]:
    """Queue again every task whose worker died (lease ran out) or that never reached the queue."""
    now = utcnow()
    ids = db.session.scalars(select(QueuedTask.id).where(
        QueuedTask.failed_at.is_(None), QueuedTask.not_before <= now,
        or_(QueuedTask.leased_until < now,
            (QueuedTask.leased_until.is_(None)) & (QueuedTask.not_before <= now - SWEEP_GRACE)))).all()
    db.session.commit()
    for task_id in ids:
        _enqueue(task_id)
    if ids:
        log.info("sweep queued %s task(s) again: %s", len(ids), ids)
    return ids


@huey.periodic_task(crontab(minute="*"), name="sweep")
def periodic_sweep() -> None:
    with _app.app_context():
        sweep()


@huey.on_startup()
def _sweep_at_start() -> None:
    """A worker that starts (after a crash, say) at once takes back the tasks of the worker that died."""
    if _app is None:
        return
    with _app.app_context():
        now = utcnow()
        # Leases held by no living worker: this runs before this worker takes anything.
        ids = sweep()
        log.info("worker started at %s; %s task(s) queued again", now.isoformat(), len(ids))
