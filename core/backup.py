"""Backups: the whole database and every stored file in one ZIP, portable between SQLite and PostgreSQL.

    manifest.json         format and version, created_at (UTC), the Alembic revision, the row count
                          of every table, and the path, size and SHA-256 of every other member
    data/<table>.jsonl    one JSON object per row, tables in dependency order (``sorted_tables``)
    files/<key>           every stored file that a row refers to, named by the SHA-256 of its content
    materials/<key>       the same for the materials' PDFs (a storage of their own)

Values are portable: datetimes are ISO 8601 in UTC (``+00:00``), dates ISO, decimals strings,
bytes base64, booleans JSON booleans. The file holds personal data: keep it encrypted at rest.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import Connection, Integer, Table, func, select, text
from sqlalchemy.types import TypeDecorator

from core import file_lifecycle
from core.db import db
from core.files import get_storage
from core.storage import CHUNK_SIZE, _fsync_dir

FORMAT = "more-than-migrants-backup"
# Where each storage's files go in the archive (core.files.STORAGE_FOLDERS names the storages).
MEMBER_PREFIXES = {"uploads": "files/", "materials": "materials/"}
VERSION = 1
MANIFEST = "manifest.json"
ROWS_PER_BATCH = 1000


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why (nothing was written)."""


# -- portable values -----------------------------------------------------------------------------

def to_portable(value: Any) -> Any:
    """A JSON-safe form of a column value (naive datetimes are taken as UTC, as the app stores them)."""
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value  # lists and dicts: the values of JSON columns
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"no portable form for {type(value).__name__}")


def _parse_datetime(value: str, aware: bool) -> datetime:
    parsed = datetime.fromisoformat(value)
    parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    return parsed if aware else parsed.replace(tzinfo=None)


def _decoder(column) -> Callable[[Any], Any] | None:
    """How to turn the portable value of ``column`` back into what its type binds (None: as is)."""
    kind = column.type
    decorated = isinstance(kind, TypeDecorator)
    try:
        python_type = (kind.impl_instance if decorated else kind).python_type
    except NotImplementedError:
        return None
    if python_type is datetime:
        # Our UTCDateTime decorator (and timezone=True columns) take aware values; plain DateTime naive UTC.
        aware = decorated or bool(getattr(kind, "timezone", False))
        return lambda value: _parse_datetime(value, aware)
    decoders: dict[type, Callable[[Any], Any]] = {
        date: date.fromisoformat, time: time.fromisoformat, Decimal: Decimal, float: float,
        bytes: base64.b64decode, uuid.UUID: uuid.UUID,
    }
    return decoders.get(python_type)


def from_portable(column, value: Any) -> Any:
    """The value to insert into ``column`` for its portable form."""
    decode = _decoder(column)
    return value if value is None or decode is None else decode(value)


# -- writing -------------------------------------------------------------------------------------

def database_revision(connection: Connection) -> str | None:
    """The database's Alembic revision (heads joined by commas), or None without ``alembic_version``."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _write_member(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes], compress: bool) -> dict:
    info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def _table_lines(connection: Connection, table: Table, counter: list[int]) -> Iterator[bytes]:
    """The table's rows as JSON lines, ordered by primary key, fetched in batches."""
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=ROWS_PER_BATCH)
    names = [column.name for column in table.columns]
    for partition in connection.execute(query).partitions():
        lines = [json.dumps(dict(zip(names, map(to_portable, row))), ensure_ascii=False, allow_nan=False,
                            separators=(",", ":")) for row in partition]
        counter[0] += len(lines)
        yield ("\n".join(lines) + "\n").encode()


def _snapshot(connection: Connection) -> None:
    """Read every table from one snapshot, so that the rows agree with each other."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # pysqlite would not begin before a SELECT


def _stored_chunks(key: str, stream) -> Iterator[bytes]:
    digest = hashlib.sha256()
    with stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            yield chunk
    if digest.hexdigest() != key:
        raise BackupError(f"Stored file {key} is damaged: its content no longer matches its SHA-256 name. "
                          "Replace it (e.g. from an older backup) before backing up.")


def write_backup(out: Path) -> dict:
    """Write the backup to ``out`` (through ``out.part``, renamed when complete); return its manifest."""
    part = out.with_name(out.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                manifest = _write_archive(archive)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _fsync_dir(out.parent)
    return manifest


def _write_archive(archive: zipfile.ZipFile) -> dict:
    members: list[dict] = []
    tables: dict[str, int] = {}
    created_at = datetime.now(UTC).replace(microsecond=0)
    storages = {name: get_storage(name) for name in file_lifecycle.storages()}
    pins: list = []
    try:
        # Files that rows stop using are deleted right after the commit (core.file_lifecycle): hold every
        # stripe until they are copied, so that each file the snapshot refers to is still there.
        for name in storages:
            pins += file_lifecycle.pin_all(name, db.engine)
        with db.engine.connect() as connection:
            _snapshot(connection)
            revision = database_revision(connection)
            dialect = connection.dialect.name
            for table in db.metadata.sorted_tables:
                counter = [0]
                lines = _table_lines(connection, table, counter)
                members.append(_write_member(archive, f"data/{table.name}.jsonl", lines, compress=True))
                tables[table.name] = counter[0]
            referenced = {name: file_lifecycle.referenced_keys(connection, name) for name in storages}
        missing = []
        for name, storage in storages.items():  # only files a row refers to: no orphan, no replaced file
            for key in sorted(referenced[name]):
                try:
                    stream = storage.open(key)
                except FileNotFoundError:
                    missing.append(f"{MEMBER_PREFIXES[name]}{key}")  # lost before this backup
                    continue
                members.append(_write_member(archive, f"{MEMBER_PREFIXES[name]}{key}", _stored_chunks(key, stream),
                                             compress=False))
    finally:
        for release in pins:
            release()
    manifest = {
        "format": FORMAT, "version": VERSION, "created_at": created_at.isoformat(),
        "alembic_revision": revision, "source_database": dialect, "tables": tables, "members": members,
    }
    if missing:
        manifest["missing_files"] = missing
    archive.writestr(MANIFEST, json.dumps(manifest, indent=1), compress_type=zipfile.ZIP_DEFLATED)
    return manifest


# -- reading -------------------------------------------------------------------------------------

def _prefix_of(path: str) -> str | None:
    """The storage prefix ("files/", "materials/") of a stored file's member, or None."""
    return next((prefix for prefix in MEMBER_PREFIXES.values() if path.startswith(prefix)), None)


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, checked: our format and version, and exactly the members it lists."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"This is not a backup of this application: it has no {MANIFEST}.") from None
    except (ValueError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise BackupError(f"The backup's {MANIFEST} cannot be read: {error}") from None
    found = (manifest.get("format"), manifest.get("version")) if isinstance(manifest, dict) else (None, None)
    if found != (FORMAT, VERSION):
        raise BackupError(f"Unsupported backup: format {found[0]!r} version {found[1]!r}; "
                          f"this application restores format {FORMAT!r} version {VERSION}.")
    try:
        tables = {str(name): int(count) for name, count in dict(manifest["tables"]).items()}
        members = list(manifest["members"])
        paths = [(m["path"], int(m["size"]), str(m["sha256"])) for m in members]
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"The backup's {MANIFEST} is malformed.") from None
    manifest["tables"] = tables
    expected = {f"data/{name}.jsonl" for name in tables}
    for path, _size, sha256 in paths:
        prefix = _prefix_of(path)
        if prefix:  # its SHA-256, checked below, then makes it a valid storage key
            if path != f"{prefix}{sha256}":
                raise BackupError(f"The backup's {MANIFEST} lists {path!r} under another SHA-256.")
        elif path not in expected:
            raise BackupError(f"The backup's {MANIFEST} lists an unexpected member {path!r}.")
    listed = {path for path, _s, _h in paths}
    actual = set(archive.namelist()) - {MANIFEST}
    if listed != actual or not expected <= listed or len(listed) != len(paths):
        extra, missing = sorted(actual - listed), sorted((listed | expected) - actual)
        raise BackupError(f"The backup's members do not match its {MANIFEST} (missing: {missing[:5]}, "
                          f"not listed: {extra[:5]}).")
    return manifest


def _verify_members(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Hash every member: refuse a tampered or damaged backup before anything is written."""
    for member in manifest["members"]:
        path = member["path"]
        digest, size = hashlib.sha256(), 0
        try:
            with archive.open(path) as stream:
                while chunk := stream.read(CHUNK_SIZE):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise BackupError(f"The backup is damaged: {path} cannot be read ({error}).") from None
        if size != member["size"] or digest.hexdigest() != member["sha256"]:
            raise BackupError(f"The backup is damaged or was altered: the SHA-256 or size of {path} "
                              f"does not match its manifest.")


def _check_target(connection: Connection, manifest: dict) -> None:
    """Refuse a database at another revision, with other tables, or with any row."""
    ours, theirs = database_revision(connection), manifest.get("alembic_revision")
    if ours is None:
        raise BackupError("This database has no schema yet (no alembic_version table): "
                          "run `flask --app app db upgrade` first, then restore.")
    if theirs is None:
        raise BackupError("The backup records no Alembic revision (its database was not made with migrations), "
                          "so its rows cannot be matched to a schema.")
    if ours != theirs:
        raise BackupError(f"The backup was made at Alembic revision {theirs}, but this database is at revision "
                          f"{ours}. Restore with the application version whose migrations end at {theirs}, "
                          "then install this version and run `flask --app app db upgrade`.")
    names = [table.name for table in db.metadata.sorted_tables]
    if set(names) != set(manifest["tables"]):
        raise BackupError("The backup's tables are not this application's tables, although the revisions match.")
    filled = {name: n for name in names
              if (n := connection.scalar(select(func.count()).select_from(db.metadata.tables[name])))}
    if filled:
        listed = ", ".join(f"{name} {n}" for name, n in list(filled.items())[:3]) + (", …" if len(filled) > 3 else "")
        raise BackupError(f"The database is not empty (rows in {len(filled)} tables: {listed}). Restore only into "
                          "an empty database: create a new one and run `flask --app app db upgrade`.")


def _insert_table(connection: Connection, archive: zipfile.ZipFile, table: Table, expected: int) -> int:
    decoders = [(column.key, column.name, _decoder(column)) for column in table.columns]
    names = {column.name for column in table.columns}
    batch: list[dict] = []
    count = 0
    with io.TextIOWrapper(archive.open(f"data/{table.name}.jsonl"), encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or record.keys() != names:
                    raise ValueError("not the table's columns")
                batch.append({key: value if (value := record[name]) is None or decode is None else decode(value)
                              for key, name, decode in decoders})
            except (ValueError, TypeError, ArithmeticError) as error:
                raise BackupError(f"data/{table.name}.jsonl line {number} cannot be restored: {error}") from None
            if len(batch) >= ROWS_PER_BATCH:
                connection.execute(table.insert(), batch)
                count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    if count != expected:
        raise BackupError(f"data/{table.name}.jsonl has {count} rows; the manifest says {expected}.")
    return count


def _reset_sequences(connection: Connection) -> None:
    """On PostgreSQL, move every id sequence past the restored ids, so that new rows don't collide."""
    if connection.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    quote = connection.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                     {"t": quote.format_table(table), "c": key[0].name})
        if sequence:
            highest = f"(SELECT max({quote.quote(key[0].name)}) FROM {quote.format_table(table)})"
            connection.execute(text(f"SELECT setval(:s, coalesce({highest}, 1), {highest} IS NOT NULL)"),
                               {"s": sequence})


def restore_backup(path: Path) -> dict:
    """Restore ``path`` into this app's empty database and storage, all or nothing; return the manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup (truncated, or not a ZIP file): {error}") from None
    with archive:
        manifest = read_manifest(archive)
        with db.engine.connect() as connection:
            _check_target(connection, manifest)
        _verify_members(archive, manifest)
        storages = {prefix: get_storage(name) for name, prefix in MEMBER_PREFIXES.items()}
        added = []
        try:
            for member in manifest["members"]:
                prefix = _prefix_of(member["path"])
                if not prefix:
                    continue
                storage = storages[prefix]
                existed = storage.exists(member["sha256"])
                with archive.open(member["path"]) as stream:
                    key = storage.put(stream)
                if not existed:
                    added.append((storage, key))
                if key != member["sha256"]:
                    raise BackupError(f"{member['path']} changed while it was being restored.")
            with db.engine.begin() as connection:
                _check_target(connection, manifest)  # again, inside the transaction that writes
                for table in db.metadata.sorted_tables:
                    _insert_table(connection, archive, table, manifest["tables"][table.name])
                _reset_sequences(connection)
        except BaseException:
            for storage, key in added:  # files that only this restore brought: leave the storage as it was
                storage.delete(key)
            raise
    return manifest
