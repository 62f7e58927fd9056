"""The app configured for S3: STORAGE_URL is checked, /healthz asks the bucket, materials are served from it, and a
backup copies the bucket's files and goes into the bucket, then comes back from it (SeaweedFS on loopback)."""
from __future__ import annotations

import hashlib

import pytest
from flask_migrate import upgrade

from app import create_app
from competition.models import Material
from core.config import ConfigurationError
from core.db import db
from core.files import get_storage
from core.s3_storage import S3Storage
from core.storage import LocalStorage

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def s3_app(instance, settings: dict, database: str | None = None):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), **settings,
                      "DATABASE_URL": database or f"sqlite:///{instance / 'app.db'}"})
    with app.app_context():
        upgrade()
    return app


def cli(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=[str(a) for a in args])
        db.session.remove()
    return result


@pytest.mark.parametrize("url", ["bucket", "s3://", "https://s3.example.org/bucket", "file:///srv"])
def test_a_storage_url_that_is_not_s3_is_refused_at_start(tmp_path, url):
    with pytest.raises(ConfigurationError, match="STORAGE_URL must be s3://bucket"):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "STORAGE_URL": url})


def test_without_storage_url_the_files_stay_in_the_upload_folder(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    with app.app_context():
        assert isinstance(get_storage(), LocalStorage)


def test_healthz_asks_the_bucket(tmp_path, weed):
    good = s3_app(tmp_path / "a", weed.settings(weed.new_bucket()))
    with good.app_context():
        assert isinstance(get_storage(), S3Storage)
    response = good.test_client().get("/healthz", headers={"Host": "localhost"})
    assert response.status_code == 200 and response.get_json()["checks"]["storage"] == "ok"
    wrong = s3_app(tmp_path / "b", {**weed.settings("no-such-bucket"), "S3_SECRET_ACCESS_KEY": "wrong"})
    response = wrong.test_client().get("/healthz", headers={"Host": "localhost"})
    assert response.status_code == 503 and response.get_json()["checks"]["storage"] == "error"


def test_a_material_is_served_from_the_bucket_by_the_app(tmp_path, weed):
    bucket = weed.new_bucket()
    app = s3_app(tmp_path / "a", weed.settings(bucket))
    with app.app_context():
        from competition.models import Edition

        key = get_storage("materials").put(PDF)
        edition = Edition(name="E", theme="T", deadline_at=db.func.now(), deadline_timezone="Europe/Paris",
                          results_on=db.func.current_date(), is_current=True)
        db.session.add(edition)
        db.session.flush()
        material = Material(edition_id=edition.id, title="Guide", file_key=key, file_name="Guide été.pdf",
                            file_size=len(PDF), position=0)
        db.session.add(material)
        db.session.commit()
        material_id = material.id
    assert f"materials/{key[:2]}/{key[2:4]}/{key}" in {
        o["Key"] for o in weed.client().list_objects_v2(Bucket=bucket)["Contents"]}
    response = app.test_client().get(f"/competition/materials/{material_id}/download", headers={"Host": "localhost"})
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Length"] == str(len(PDF))
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")
    assert "amz" not in " ".join(response.headers.keys()).lower()  # nothing of the bucket reaches the browser


def test_a_backup_goes_into_the_bucket_and_is_restored_from_it(tmp_path, weed):
    bucket = weed.new_bucket()
    source = s3_app(tmp_path / "source", weed.settings(bucket))
    with source.app_context():
        from competition.models import Edition

        key = get_storage("materials").put(PDF)
        edition = Edition(name="E", theme="T", deadline_at=db.func.now(), deadline_timezone="Europe/Paris",
                          results_on=db.func.current_date(), is_current=True)
        db.session.add(edition)
        db.session.flush()
        db.session.add(Material(edition_id=edition.id, title="Guide", file_key=key, file_name="g.pdf",
                                file_size=len(PDF), position=0))
        db.session.commit()
    out = tmp_path / "nightly.zip"
    result = cli(source, "backup", "--out", out, "--upload")
    assert result.exit_code == 0, result.output
    assert "Uploaded to s3://" in result.output and not out.exists()
    assert "backups/nightly.zip" in {o["Key"] for o in weed.client().list_objects_v2(Bucket=bucket)["Contents"]}

    target_bucket = weed.new_bucket()  # a new deployment: its own empty database and bucket
    target = s3_app(tmp_path / "target", weed.settings(target_bucket))
    weed.client().copy_object(Bucket=target_bucket, Key="backups/nightly.zip",
                              CopySource={"Bucket": bucket, "Key": "backups/nightly.zip"})
    assert cli(target, "restore", "missing.zip", "--from-bucket").exit_code == 1
    result = cli(target, "restore", "nightly.zip", "--from-bucket")
    assert result.exit_code == 0, result.output
    with target.app_context():
        with get_storage("materials").open(hashlib.sha256(PDF).hexdigest()) as stream:
            assert stream.read() == PDF
        assert db.session.query(Material).one().file_key == key


def test_upload_without_s3_is_refused(tmp_path):
    app = s3_app(tmp_path, {})
    result = cli(app, "backup", "--out", tmp_path / "b.zip", "--upload")
    assert result.exit_code == 1 and "needs STORAGE_URL" in result.output and not (tmp_path / "b.zip").exists()



def test_cleanup_files_removes_old_orphans_and_temporary_objects_from_the_bucket(tmp_path, weed):
    import time

    bucket = weed.new_bucket()
    app = s3_app(tmp_path, weed.settings(bucket))
    with app.app_context():
        orphan = get_storage().put(b"a replaced upload a crash left behind")
        get_storage().client.put_object(Bucket=bucket, Key="files/tmp/crashed-upload", Body=b"part")
    assert cli(app, "cleanup-files", "--min-age", "3600").exit_code == 0  # young: kept
    with app.app_context():
        assert get_storage().exists(orphan)
    time.sleep(1.1)
    result = cli(app, "cleanup-files", "--min-age", "1")
    assert result.exit_code == 0, result.output
    assert {o["Key"] for o in weed.client().list_objects_v2(Bucket=bucket).get("Contents", [])} == set()
