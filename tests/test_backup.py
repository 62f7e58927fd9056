"""``backup`` and ``restore``: the demo goes SQLite -> PostgreSQL -> SQLite unchanged; bad backups change nothing."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory
from click.testing import Result
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import (Boolean, Column, Date, DateTime, Float, Integer, LargeBinary, MetaData, Numeric, Table, Time,
                        func, inspect, select, text)

from app import create_app
from core.backup import MEMBER_PREFIXES, from_portable, to_portable
from core.db import UTCDateTime, db
from core.files import get_storage
from tests.clients import TEST_PASSWORD, cached_hash

MIGRATIONS = ScriptDirectory(str(Path(__file__).resolve().parents[1] / "migrations"))
HEAD = MIGRATIONS.get_current_head()
PREVIOUS = MIGRATIONS.get_revision(HEAD).down_revision


def make_app(instance: Path, url: str | None = None, revision: str | None = "head") -> Flask:
    """An app with its own instance folder (uploads), on ``url`` or a new SQLite file, migrated to ``revision``."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance),
                      "DATABASE_URL": url or f"sqlite:///{instance / 'app.db'}"})
    with app.app_context():
        if revision:
            upgrade(revision=revision)
        else:
            db.create_all()  # a schema without migrations: no alembic_version table
    return app


def cli(app: Flask, *args: object) -> Result:
    with app.app_context():  # the command must run in this app, not in whichever app's context is current
        result = app.test_cli_runner().invoke(args=[str(a) for a in args])
        db.session.remove()
    return result


def dispose(*apps: Flask) -> None:
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _normalised(value: object) -> tuple[str, object]:
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
    return type(value).__name__, value  # the type too: True must not pass for 1, nor "5" for 5


def table_rows(app: Flask) -> dict[str, list[dict]]:
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: [{k: _normalised(v) for k, v in row.items()} for row in
                             connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()]
                for table in db.metadata.sorted_tables}


def row_counts(app: Flask) -> dict[str, int]:
    """Rows per table, for the tables this database has (an older revision lacks some)."""
    with app.app_context():
        present = set(inspect(db.engine).get_table_names())
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables if t.name in present}


def stored_files(app: Flask) -> dict[str, bytes]:
    """Every stored file of every storage, by its member name in a backup ("files/<key>", "materials/<key>")."""
    with app.app_context():
        return {f"{prefix}{key}": get_storage(name).path(key).read_bytes()
                for name, prefix in MEMBER_PREFIXES.items() for key in get_storage(name).keys()}


# A stored file that no row refers to (a replaced upload that a crash left behind): never backed up.
ORPHAN = b"%PDF-1.7\nan orphan: its row was replaced"
ORPHAN_MEMBER = f"files/{hashlib.sha256(ORPHAN).hexdigest()}"


def referenced_files(app: Flask) -> dict[str, bytes]:
    return {name: data for name, data in stored_files(app).items() if name != ORPHAN_MEMBER}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def add_rows_the_demo_lacks(app: Flask) -> None:
    """Rows in the tables the demo leaves empty, with a stored PDF, NULLs and awkward text."""
    from accounts.models import Token
    from competition.models import Entry, Material
    from judging.models.export_job import ExportJob
    from judging.models.jury import Conflict, JurorProfile
    from judging.models.round import FinalRoundWorkload, RemovedPair, Round, ShortlistEntry
    from judging.models.tie import TieOrder

    with app.app_context():
        key = get_storage("materials").put(b"%PDF-1.7\n" + bytes(range(256)))
        get_storage().put(ORPHAN)
        entry, round_ = db.session.scalar(select(Entry)), db.session.scalar(select(Round))
        juror = db.session.scalar(select(JurorProfile))
        now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the clocks change in Europe
        db.session.add_all([
            Material(edition_id=round_.edition_id, title='Poème « ☀ » "quoted"\n\ttabbed', file_key=key,
                     file_name="guide.pdf", file_size=265, language="fr"),
            Token(purpose="invitation", token_hash="0" * 64, email="new@example.org", roles=["juror", "teacher"],
                  expires_at=now + timedelta(days=2)),
            Conflict(juror_id=juror.user_id, kind="entry", entry_id=entry.id, note="Mon neveu\u00a0!"),
            RemovedPair(round_id=round_.id, entry_id=entry.id, juror_id=juror.user_id, removed_at=now),
            ShortlistEntry(round_id=round_.id, entry_id=entry.id),
            FinalRoundWorkload(round_id=round_.id, category_id=entry.category_id, workload=12, spent=8),
            TieOrder(round_id=round_.id, category_id=entry.category_id, entry_ids=[entry.id],
                     reason="Ordre décidé « à l'unanimité »"),
            ExportJob(edition_id=round_.edition_id, kind="bundle", status="done", file_size=5 * 2**32,
                      finished_at=now.replace(microsecond=0)),
        ])
        db.session.commit()
        from core.queue_model import QueuedTask

        db.session.add(QueuedTask(name="mail", payload='{"message": "Subject: « é »"}', attempts=8, not_before=now,
                                  failed_at=now, last_error="SMTP 550\nrefused"))  # a task given up: kept to read
        db.session.commit()
        storage = get_storage()
        (storage.tmp_dir / ".put-crashed.tmp").write_bytes(b"half a file")  # a crashed upload: never backed up
        (storage.root / "notes.txt").write_text("not a stored file")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[tuple[Flask, Path]]:
    """The demo (and a row in every other table) on SQLite, and its backup."""
    import accounts.operations

    root = tmp_path_factory.mktemp("demo")
    app = make_app(root / "instance")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts.operations, "hash_password", cached_hash)  # argon2 is tested elsewhere
        assert cli(app, "demo", "--password", TEST_PASSWORD).exit_code == 0
    add_rows_the_demo_lacks(app)
    result = cli(app, "backup", "--out", root / "demo.zip")
    assert result.exit_code == 0, result.output
    yield app, root / "demo.zip"
    dispose(app)


@pytest.fixture()
def new_app(tmp_path) -> Iterator[Callable[..., Flask]]:
    """``make_app`` in this test's tmp_path; the engines are closed afterwards (PostgreSQL counts connections)."""
    apps: list[Flask] = []

    def make(name: str, url: str | None = None, revision: str | None = "head") -> Flask:
        apps.append(make_app(tmp_path / name, url, revision))
        return apps[-1]

    yield make
    dispose(*apps)


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    from tests.pg_database import create_database, drop_database, url_for_database

    try:
        name = create_database("backup_test")
    except psycopg.OperationalError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL is unreachable: {error}")
    yield url_for_database(name)
    drop_database(name)


# the round trip ----------------------------------------------------------------------------------

def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row_and_file(demo, new_app, postgres_url, tmp_path):
    source, first = demo
    rows, files = table_rows(source), referenced_files(source)
    assert ORPHAN_MEMBER in stored_files(source) and ORPHAN_MEMBER not in files
    assert any(name.startswith("materials/") for name in files)
    assert all(rows.values()), "every table should have rows"
    postgres = new_app("pg", postgres_url)
    result = cli(postgres, "restore", first)
    assert result.exit_code == 0, result.output
    assert f"Restored {sum(map(len, rows.values()))} rows in {len(rows)} tables and {len(files)} files" in result.output
    assert table_rows(postgres) == rows
    assert stored_files(postgres) == files

    second = tmp_path / "from-postgresql.zip"
    assert cli(postgres, "backup", "--out", second).exit_code == 0
    sqlite = new_app("sqlite")
    result = cli(sqlite, "restore", second)
    assert result.exit_code == 0, result.output
    assert table_rows(sqlite) == rows
    assert stored_files(sqlite) == files
    # The two backups hold the same bytes, whatever database they were read from.
    one, two = members(first), members(second)
    manifest_one, manifest_two = json.loads(one.pop("manifest.json")), json.loads(two.pop("manifest.json"))
    assert one == two
    assert manifest_one["tables"] == manifest_two["tables"]
    assert (manifest_one["source_database"], manifest_two["source_database"]) == ("sqlite", "postgresql")

    with postgres.app_context():  # the id sequences were moved past the restored ids
        from accounts.models import User

        for table in db.metadata.sorted_tables:
            sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}) \
                if "id" in table.c else None
            if sequence:
                highest = db.session.scalar(select(func.max(table.c.id))) or 0
                assert db.session.scalar(text("SELECT nextval(:s)"), {"s": sequence}) > highest, table.name
        user = User(email="after.restore@example.org", name="After Restore")
        db.session.add(user)
        db.session.commit()
        assert user.id > len(rows["users"])


# the backup --------------------------------------------------------------------------------------

def test_backup_lists_every_row_and_file_and_leaves_no_part_file(demo):
    app, backup = demo
    content = members(backup)
    manifest = json.loads(content.pop("manifest.json"))
    assert (manifest["format"], manifest["version"], manifest["alembic_revision"]) == (
        "more-than-migrants-backup", 1, HEAD)
    assert datetime.fromisoformat(manifest["created_at"]).utcoffset() == timedelta(0)
    assert manifest["tables"] == row_counts(app)
    assert list(manifest["tables"]) == [t.name for t in db.metadata.sorted_tables]
    for table, count in manifest["tables"].items():
        assert content[f"data/{table}.jsonl"].count(b"\n") == count
    backed_up = {name for name in content if name.startswith(("files/", "materials/"))}
    assert backed_up == set(stored_files(app)) - {ORPHAN_MEMBER}  # only files that a row refers to
    assert "missing_files" not in manifest
    assert {m["path"]: (m["size"], m["sha256"]) for m in manifest["members"]} == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in content.items()}
    assert not any(".part" in name or ".tmp" in name or "notes" in name for name in content)
    assert sorted(p.name for p in backup.parent.iterdir() if p.name.startswith("demo")) == ["demo.zip"]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # personal data: owner only


def test_an_existing_file_is_replaced_only_with_force_and_only_by_a_complete_backup(demo, tmp_path, monkeypatch):
    from core.storage import LocalStorage

    app, _backup = demo
    out = tmp_path / "backup.zip"
    out.write_bytes(b"an older backup")
    result = cli(app, "backup", "--out", out)
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output

    def broken_disk(self, key):
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as patch:  # the disk fails halfway: the older backup stays, no .part is left
        patch.setattr(LocalStorage, "open", broken_disk)
        result = cli(app, "backup", "--out", out, "--force")
    assert result.exit_code == 1
    assert "No backup was written" in result.output and "Input/output error" in result.output
    assert out.read_bytes() == b"an older backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.zip"]

    assert cli(app, "backup", "--out", out, "--force").exit_code == 0
    assert zipfile.is_zipfile(out)


def _material_with_file(content: bytes) -> str:
    """An edition and a material whose PDF is ``content``; returns its key."""
    from competition.models import Edition, Material

    key = get_storage("materials").put(content)
    edition = Edition(name="Edition", theme="Identity", deadline_at=datetime(2026, 11, 19, 22, 59, tzinfo=UTC),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr"],
                      is_current=True)
    db.session.add(Material(edition=edition, title="Guide", file_key=key, file_name="guide.pdf",
                            file_size=len(content)))
    db.session.commit()
    return key


def test_backup_refuses_a_damaged_stored_file(new_app, tmp_path):
    app = new_app("instance")
    with app.app_context():
        key = _material_with_file(b"an essay")
        get_storage("materials").path(key).write_bytes(b"an essay, damaged on disk")
    result = cli(app, "backup", "--out", tmp_path / "backup.zip")
    assert result.exit_code == 1
    assert f"Stored file {key} is damaged" in result.output
    assert not (tmp_path / "backup.zip").exists() and not (tmp_path / "backup.zip.part").exists()


def test_values_round_trip_through_their_portable_form():
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("naive", DateTime),
                  Column("aware", DateTime(timezone=True)), Column("utc", UTCDateTime()), Column("day", Date),
                  Column("at", Time), Column("amount", Numeric(8, 4)), Column("ratio", Float),
                  Column("flag", Boolean), Column("blob", LargeBinary))
    paris = timezone(timedelta(hours=2))
    values = {"id": 7, "naive": datetime(2026, 3, 29, 1, 30), "aware": datetime(2026, 3, 29, 3, 30, tzinfo=paris),
              "utc": datetime(2026, 3, 29, 1, 30, 0, 5, tzinfo=UTC), "day": date(2026, 12, 6), "at": time(23, 59),
              "amount": Decimal("5.8000"), "ratio": 0.1, "flag": False, "blob": bytes(range(256))}
    portable = json.loads(json.dumps({name: to_portable(value) for name, value in values.items()}))
    assert portable["naive"] == portable["aware"] == "2026-03-29T01:30:00+00:00"
    assert (portable["amount"], portable["flag"], portable["day"]) == ("5.8000", False, "2026-12-06")
    back = {name: from_portable(table.c[name], value) for name, value in portable.items()}
    assert back == values
    assert back["naive"].tzinfo is None and back["utc"].tzinfo == UTC
    assert from_portable(table.c.ratio, 1) == 1.0 and isinstance(from_portable(table.c.ratio, 1), float)


# restoring bad input changes nothing -------------------------------------------------------------

@pytest.fixture()
def target(new_app) -> Flask:
    """An empty database at the current revision, with an empty storage."""
    return new_app("target")


def assert_nothing_written(app: Flask, rows: int = 0) -> None:
    assert sum(row_counts(app).values()) == rows
    assert stored_files(app) == {}


def rewrite(source: Path, out: Path, change: Callable[[str, bytes], bytes | None], add: dict | None = None) -> Path:
    """A copy of the backup with each member passed through ``change`` (None drops it), plus ``add``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            if (data := change(name, old.read(name))) is not None:
                new.writestr(name, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return out


def flip_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


def edit_manifest(**fields: object) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        return json.dumps({**json.loads(data), **fields}).encode() if name == "manifest.json" else data
    return change


def damaged_on_disk(source: Path, out: Path) -> Path:
    """One byte changed in place inside a stored (uncompressed) member: its CRC-32 no longer matches."""
    with zipfile.ZipFile(source) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("files/") and i.file_size > 10_000)
    raw = bytearray(source.read_bytes())
    raw[info.header_offset + 2000] ^= 0x01  # well inside the member's data, past its local header
    out.write_bytes(bytes(raw))
    return out


BAD_BACKUPS = {
    "tampered-file": (lambda src, out: rewrite(src, out, lambda n, d: flip_byte(d) if n.startswith("files/") else d),
                      "SHA-256 or size of files/"),
    "tampered-row": (lambda src, out: rewrite(src, out, lambda n, d: d.replace(b"Sofia", b"Sonja")),
                     "SHA-256 or size of data/users.jsonl"),
    "damaged-on-disk": (damaged_on_disk, "Bad CRC-32"),
    "truncated": (lambda src, out: out.write_bytes(src.read_bytes()[: src.stat().st_size // 2]) and out,
                  "is not a readable backup (truncated, or not a ZIP file)"),
    "not-a-zip": (lambda src, out: out.write_text("hello") and out, "not a ZIP file"),
    "other-format": (lambda src, out: rewrite(src, out, edit_manifest(format="someone-elses-backup")),
                     "Unsupported backup: format 'someone-elses-backup' version 1"),
    "other-version": (lambda src, out: rewrite(src, out, edit_manifest(version=2)),
                      "format 'more-than-migrants-backup' version 2; this application restores"),
    "no-manifest": (lambda src, out: rewrite(src, out, lambda n, d: None if n == "manifest.json" else d),
                    "it has no manifest.json"),
    "unlisted-member": (lambda src, out: rewrite(src, out, lambda n, d: d, add={"files/../../evil.py": b"x"}),
                        "do not match its manifest.json"),
    "missing-member": (lambda src, out: rewrite(src, out, lambda n, d: None if n == "data/users.jsonl" else d),
                       "missing: ['data/users.jsonl']"),
}


@pytest.mark.parametrize("kind", BAD_BACKUPS)
def test_restore_refuses_a_bad_backup_and_writes_nothing(demo, target, tmp_path, kind):
    make, message = BAD_BACKUPS[kind]
    bad = make(demo[1], tmp_path / "bad.zip")
    result = cli(target, "restore", bad)
    assert result.exit_code == 1, result.output
    assert "Nothing was restored." in result.output
    assert message in " ".join(result.output.split()), result.output
    assert_nothing_written(target)


def _with_a_city(new_app) -> Flask:
    from competition.models import City

    app = new_app("target")
    with app.app_context():
        db.session.add(City(name="Atlantis", country_code="GR"))
        db.session.commit()
    return app


BAD_TARGETS = {
    "has-data": (_with_a_city, 1, "The database is not empty (rows in 1 tables: cities 1)", 1),
    "older-revision": (lambda new_app: new_app("old", revision=PREVIOUS), 1,
                       f"made at Alembic revision {HEAD}, but this database is at revision {PREVIOUS}", 0),
    "no-migrations": (lambda new_app: new_app("bare", revision=None), 1,
                      "no alembic_version table): run `flask --app app db upgrade` first", 0),
}


@pytest.mark.parametrize("kind", BAD_TARGETS)
def test_restore_refuses_a_database_it_cannot_restore_into(demo, new_app, kind):
    make, code, message, rows = BAD_TARGETS[kind]
    app = make(new_app)
    result = cli(app, "restore", demo[1])
    assert result.exit_code == code
    assert message in " ".join(result.output.split()), result.output
    assert_nothing_written(app, rows=rows)


def test_restore_refuses_a_missing_file(target, tmp_path):
    result = cli(target, "restore", tmp_path / "nowhere.zip")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert_nothing_written(target)


def test_a_restore_that_fails_midway_rolls_back_and_keeps_the_files_that_were_there(demo, target, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import core.backup

    kept = next(name for name in referenced_files(demo[0]) if name.startswith("files/"))
    with target.app_context():  # already there before the restore
        assert f"files/{get_storage().put(stored_files(demo[0])[kept])}" == kept

    def disk_full(connection):
        raise OperationalError("SELECT setval(...)", {}, Exception("could not extend file: No space left on device"))

    monkeypatch.setattr(core.backup, "_reset_sequences", disk_full)
    result = cli(target, "restore", demo[1])
    assert result.exit_code == 1
    assert "The restore failed and was rolled back: could not extend file" in result.output
    assert sum(row_counts(target).values()) == 0
    assert set(stored_files(target)) == {kept}
