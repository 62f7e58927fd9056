"""The durable side of the task queue: one row per task until it has run to the end.

Huey carries the message that wakes a worker, but it drops the message as it hands it over, so a
worker killed mid-task would lose it. The row is what makes a task safe: it is written in the same
transaction as the change that asks for it (a mail goes only if that change commits), a worker leases
it while running it and deletes it in the transaction that saves the task's own writes, and a sweep
hands rows whose lease ran out (their worker died) to the queue again (core/tasks.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class QueuedTask(db.Model):
    __tablename__ = "queued_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    # Pending tasks with the same key are one task (debouncing); freed when a worker takes the task.
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # gave up after MAX_ATTEMPTS
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
