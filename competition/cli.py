"""File maintenance from the command line.

``flask --app app cleanup-files``: after a crash, remove stored files that no row points at, and temp files.
``flask --app app clean-again``: after an upgrade of the cleaner, clean every stored PDF again from its
original, so that files uploaded before it get what it now removes (e.g. the pictures' own EXIF).
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.db import db


def cleanup_files(min_age_seconds: float = 3600.0) -> tuple[int, int]:
    """Delete unreferenced stored files older than ``min_age_seconds`` (a request may still be writing younger
    ones), in every storage (the entries' files, the materials' PDFs), and their leftover temporary files.
    Files that rows stop using are deleted right after the commit (``core.file_lifecycle``): this is for
    what a crash leaves behind."""
    from competition import models  # noqa: F401  (declares the tracked key columns)
    from core import file_lifecycle
    from core.files import get_storage

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
            if now - storage.modified(key) < min_age_seconds:
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


def clean_again() -> tuple[int, int, list[str]]:
    """Clean every stored PDF again from its original and record what cleaning removed; one commit per file
    (the old cleaned copy leaves right after it). Returns (changed, unchanged, what could not be cleaned)."""
    from sqlalchemy import select

    from competition.entries.operations import upload_limits
    from competition.models import EntryFile, FilePurpose
    from competition.uploads import UploadRejected, clean_upload
    from core import audit, file_lifecycle
    from core.audit_actions import AuditAction
    from core.files import get_storage

    storage = get_storage()
    changed, unchanged, failed = 0, 0, []
    for file_id in db.session.scalars(select(EntryFile.id).where(EntryFile.kind == "pdf").order_by(EntryFile.id)).all():
        stored = db.session.get(EntryFile, file_id)
        where = f"{stored.entry.reference} file {stored.id}"
        purged = stored.original_key == stored.cleaned_key  # the purge kept only the cleaned copy
        try:
            with storage.open(stored.original_key) as source:
                data = source.read()
            cleaned = clean_upload(data, {"pdf"}, upload_limits(stored.entry.category, FilePurpose(stored.purpose)))
        except FileNotFoundError:
            failed.append(f"{where}: the stored file is missing")
            continue
        except UploadRejected as rejected:
            failed.append(f"{where}: {rejected.code}")
            continue
        key = file_lifecycle.put("uploads", cleaned.cleaned)
        hidden = stored.hidden_text if purged else cleaned.hidden_text  # purged: names are not collected again
        if key == stored.cleaned_key and hidden == stored.hidden_text:
            unchanged += 1
            db.session.rollback()  # ends the transaction: releases the lock taken by put
            continue
        if purged:
            stored.original_key = key
        stored.cleaned_key, stored.cleaned_size, stored.hidden_text = key, len(cleaned.cleaned), hidden
        audit.record(AuditAction.ENTRY_FILE_CLEANED_AGAIN, stored.entry, name=stored.original_name, cleaned_sha256=key)
        db.session.commit()
        changed += 1
    return changed, unchanged, failed


@click.command("clean-again")
@with_appcontext
def clean_again_command():
    """Clean every stored PDF again with this version's cleaner (run once after upgrading)."""
    changed, unchanged, failed = clean_again()
    click.echo(f"Cleaned again: {changed} PDF(s) changed, {unchanged} unchanged, {len(failed)} could not be cleaned.")
    for line in failed:
        click.echo(f"  {line}: ask the teacher for a new file, or disqualify the entry")


def init_app(app) -> None:
    app.cli.add_command(cleanup_files_command)
    app.cli.add_command(clean_again_command)
