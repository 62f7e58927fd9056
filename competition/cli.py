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
    """Delete unreferenced stored files older than ``min_age_seconds`` (a request may still be writing younger
    ones), in the entries' storage and in the materials' own, and their leftover temporary files."""
    from core.files import get_storage

    from .edition_operations import material_storage
    from .models.material import Material

    material_keys = set(db.session.scalars(select(Material.file_key).where(Material.file_key.is_not(None))))
    removed = temps = 0
    for storage, keep in ((get_storage(), referenced_keys()), (material_storage(), material_keys)):
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
