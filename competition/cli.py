"""``flask --app app cleanup-files``: after a crash, remove stored files that no row points at, and temp files."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.db import db


def cleanup_files(min_age_seconds: float = 3600.0) -> tuple[int, int]:
    """Delete unreferenced stored files older than ``min_age_seconds`` (a request may still be writing younger
    ones), in every storage (the entries' files, the materials' PDFs), and their leftover temporary files.
    Files that rows stop using are deleted right after the commit (``core.file_lifecycle``): this is for
    what a crash leaves behind."""
    from core import file_lifecycle
    from core.files import get_storage

    from . import models  # noqa: F401  (declares the tracked key columns)

    removed = temps = 0
    for name in file_lifecycle.storages():
        storage = get_storage(name)
        with db.engine.connect() as connection:
            keep = file_lifecycle.referenced_keys(connection, name)
        removed += _remove_orphans(storage, keep, min_age_seconds)
        temps += storage.cleanup_temp(min_age_seconds)
    return removed, temps


def _remove_orphans(storage, keep: set[str], min_age_seconds: float) -> int:
    import time

    now, removed = time.time(), 0
    for key in list(storage.keys()):
        if key in keep:
            continue
        try:
            if now - storage.path(key).stat().st_mtime < min_age_seconds:
                continue
        except FileNotFoundError:
            continue
        storage.delete(key)
        removed += 1
    return removed


@click.command("cleanup-files")
@click.option("--min-age", default=3600.0, show_default=True, help="Only files older than this many seconds.")
@with_appcontext
def cleanup_files_command(min_age: float):
    """Remove orphan uploads (no database row) and leftover temporary files."""
    removed, temps = cleanup_files(min_age)
    click.echo(f"Removed {removed} orphan file(s) and {temps} temporary file(s).")


def init_app(app) -> None:
    app.cli.add_command(cleanup_files_command)
