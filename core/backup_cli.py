"""``flask --app app backup --out FILE`` and ``flask --app app restore FILE`` (see docs/backup.md)."""
from __future__ import annotations

import shutil
import tempfile
import textwrap
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from core.backup import BackupError, restore_backup, write_backup
from core.files import get_storage, uses_s3


def _summary(manifest: dict) -> str:
    files = [m for m in manifest["members"] if m["path"].startswith(("files/", "materials/"))]
    rows = sum(manifest["tables"].values())
    megabytes = sum(m["size"] for m in files) / 1e6
    return (f"{rows} rows in {len(manifest['tables'])} tables and {len(files)} files ({megabytes:.1f} MB), "
            f"Alembic revision {manifest['alembic_revision']}")


def _table_counts(manifest: dict) -> str:
    counts = ", ".join(f"{name} {n}" for name, n in manifest["tables"].items())
    return textwrap.fill(counts, width=100, initial_indent="  ", subsequent_indent="  ")


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The ZIP file to write (written as FILE.part, then renamed).")
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@click.option("--upload", is_flag=True,
              help="Also copy FILE into the S3 bucket (STORAGE_URL) under backups/, then delete FILE here.")
@with_appcontext
def backup_command(out: Path, force: bool, upload: bool):
    """Write the database and every stored file a row refers to, to one ZIP file. It holds personal data:
    encrypt it."""
    if out.exists() and not force:
        raise click.ClickException(f"{out} already exists; choose another name or use --force to replace it.")
    if upload and not uses_s3():
        raise click.ClickException("--upload needs STORAGE_URL=s3://bucket: the files are in the upload folder.")
    started = time.monotonic()
    try:
        manifest = write_backup(out)
    except (BackupError, OSError, SQLAlchemyError) as error:
        raise click.ClickException(f"No backup was written: {error}") from None
    click.echo(f"Backed up {_summary(manifest)} to {out} in {time.monotonic() - started:.2f} s:")
    click.echo(_table_counts(manifest))
    if upload:
        try:
            get_storage("backups").put_file(out.name, out)  # a temporary key first, then copied: never a part
        except Exception as error:  # noqa: BLE001 - the local file stays; say why it is not in the bucket
            raise click.ClickException(f"{out} was written but not uploaded: {error}") from None
        out.unlink()
        click.echo(f"Uploaded to {current_app.config['STORAGE_URL'].rstrip('/')}/backups/{out.name}; {out} deleted.")
    if manifest.get("missing_files"):
        click.echo(f"Warning: {len(manifest['missing_files'])} file(s) that rows refer to were already missing "
                   "from the storage and are not in the backup (listed under missing_files in its manifest).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from-bucket", is_flag=True, help="FILE is the name of a backup in the S3 bucket's backups/.")
@with_appcontext
def restore_command(file: Path, from_bucket: bool):
    """Restore a backup into an empty database whose schema is at the backup's Alembic revision."""
    started = time.monotonic()
    if from_bucket:
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / "backup.zip"
            try:
                with get_storage("backups").open_file(file.name) as stream, open(local, "wb") as out:
                    shutil.copyfileobj(stream, out, 1024 * 1024)
            except FileNotFoundError:
                raise click.ClickException(f"Nothing was restored: there is no backup {file.name} in the bucket.") from None
            return _restore(local, started, f"{file.name} (from the bucket)")
    if not file.is_file():
        raise click.BadParameter(f"File '{file}' does not exist.", param_hint="'FILE'")  # exit status 2
    return _restore(file, started, str(file))


def _restore(file: Path, started: float, label: str) -> None:
    try:
        manifest = restore_backup(file)
    except BackupError as error:
        raise click.ClickException(f"Nothing was restored. {error}") from None
    except (OSError, SQLAlchemyError) as error:
        reason = getattr(error, "orig", None) or error  # the driver's message, without SQLAlchemy's parameter dump
        raise click.ClickException(f"The restore failed and was rolled back: {reason}") from None
    click.echo(f"Restored {_summary(manifest)} from {label} in {time.monotonic() - started:.2f} s:")
    click.echo(_table_counts(manifest))


def init_app(app) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
