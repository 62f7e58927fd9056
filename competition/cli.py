"""``flask --app app cleanup-files``: remove stored files that no row points at, and temp files left by a crash."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select, union

from core.db import db


def referenced_keys() -> set[str]:
    from .models import EntryFile
    from .models.material import Material

    columns = [EntryFile.original_key, EntryFile.cleaned_key, EntryFile.web_key, EntryFile.thumb_key, Material.file_key]
    query = union(*[select(column.label("key")).where(column.is_not(None)) for column in columns])
    return {key for (key,) in db.session.execute(query)}


def cleanup_files(min_age_seconds: float = 3600.0) -> tuple[int, int]:
    """Delete unreferenced stored files older than ``min_age_seconds`` (a request may still be writing younger ones)."""
    import time

    from core.files import get_storage

    storage = get_storage()
    keep = referenced_keys()
    now = time.time()
    removed = 0
    for key in list(storage.keys()):
        if key in keep:
            continue
        if now - storage.path(key).stat().st_mtime < min_age_seconds:
            continue
        storage.delete(key)
        removed += 1
    return removed, storage.cleanup_temp(min_age_seconds)


@click.command("cleanup-files")
@click.option("--min-age", default=3600.0, show_default=True, help="Only files older than this many seconds.")
@with_appcontext
def cleanup_files_command(min_age: float):
    """Remove orphan uploads (no database row) and leftover temporary files."""
    removed, temps = cleanup_files(min_age)
    click.echo(f"Removed {removed} orphan file(s) and {temps} temporary file(s).")


def init_app(app) -> None:
    app.cli.add_command(cleanup_files_command)
