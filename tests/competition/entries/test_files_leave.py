"""Replaced and removed files leave at once: right after the commit, if no row refers to them any more.

Checked on disk right after each request (replace, remove, typed text over an upload, consent form replaced
and removed, entry deleted), with a file shared by another row, a failed commit, and a writer that has
stored a file for a row it has not committed yet (core.file_lifecycle, LocalStorage.delete_unused).
Each test runs twice: with the upload folder, and with S3 (SeaweedFS on loopback, ``STORAGE_URL``); on
PostgreSQL the S3 case uses advisory locks, as several machines would.
"""
from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select

from core import file_lifecycle
from core.db import db
from core.files import get_storage
from tests.fixtures import jpeg_bytes
from tests.upload_builders import simple_pdf, tagged_jpeg


def upload(post, entry, data, name="work.pdf"):
    response = post(f"/competition/entries/{entry.id}/work/upload", {"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    return response


def keys(stored) -> set[str]:
    return {k for k in (stored.original_key, stored.cleaned_key, stored.web_key, stored.thumb_key) if k}


@pytest.fixture(autouse=True, params=["local", "s3"])
def backend(request):
    """Autouse, so it runs before ``app``: the S3 case adds the bucket's settings to the app's configuration."""
    if request.param == "s3":
        weed = request.getfixturevalue("weed")
        request.node.add_marker(pytest.mark.app_config(**weed.settings(weed.new_bucket("leave"))))
    return request.param


def on_disk(found: set[str]) -> set[str]:
    """Those of ``found`` still stored (in the folder, or in the bucket)."""
    storage = get_storage()
    return {key for key in found if storage.exists(key)}


def advisory() -> bool:
    return file_lifecycle._advisory(get_storage(), db.engine)


@pytest.fixture()
def illustration(post, login, school_class):
    from competition.models import Entry

    login("teacher@example.org")
    response = post(f"/competition/classes/{school_class.id}/entries/new",
                    {"discipline": "illustration", "title": "Hands", "language": "pt", "whole_class": "y"})
    assert response.status_code == 302
    return db.session.scalar(select(Entry).where(Entry.title == "Hands"))


def test_a_replaced_photo_leaves_the_disk_with_all_its_copies_right_after_the_request(post, illustration):
    upload(post, illustration, tagged_jpeg(size=(640, 480)), "IMG_2041.JPG")
    [first] = illustration.files
    old = keys(first)
    assert len(old) == 4 and on_disk(old) == old  # original (with its GPS), cleaned, web, thumbnail
    upload(post, illustration, jpeg_bytes(color=(10, 20, 30)), "drawing.jpg")
    [second] = illustration.files
    assert on_disk(old) == set()
    assert on_disk(keys(second)) == keys(second)


def test_removing_a_file_and_typing_the_text_instead_delete_it(post, draft):
    upload(post, draft, simple_pdf(texts=(b"A poem",)))
    old = keys(draft.files[0])
    assert post(f"/competition/entries/{draft.id}/files/{draft.files[0].id}/remove").status_code == 302
    assert on_disk(old) == set()

    upload(post, draft, simple_pdf(texts=(b"Another poem",)))
    old = keys(draft.files[0])
    assert post(f"/competition/entries/{draft.id}/work/text", {"text": "Typed instead"}).status_code == 302
    db.session.expire_all()
    assert draft.files == [] and on_disk(old) == set()


def test_a_consent_form_replaced_then_removed_leaves_at_once(post, draft):
    def send(data):
        response = post(f"/competition/entries/{draft.id}/consent",
                        {"consent_judging": "y", "consent_form": (io.BytesIO(data), "consent.jpg")},
                        content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        db.session.expire_all()
        return keys(draft.consent_form())

    first = send(jpeg_bytes(color=(1, 2, 3)))
    second = send(jpeg_bytes(color=(200, 100, 50)))
    assert on_disk(first) == set() and on_disk(second) == second
    form = draft.consent_form()
    assert post(f"/competition/entries/{draft.id}/files/{form.id}/remove").status_code == 302
    assert on_disk(second) == set()


def test_a_file_another_row_still_refers_to_is_kept(post, draft, illustration):
    shared = simple_pdf(texts=(b"The same scan, twice",))
    upload(post, draft, shared)
    upload(post, illustration, shared)
    both = keys(draft.files[0])
    assert both == keys(illustration.files[0])
    upload(post, draft, simple_pdf(texts=(b"A new version",)))
    assert on_disk(both) == both  # the illustration still uses them
    post(f"/competition/entries/{illustration.id}/files/{illustration.files[0].id}/remove")
    assert on_disk(both) == set()  # now nobody does


def test_a_deleted_entry_takes_its_files_along(post, draft):
    upload(post, draft, simple_pdf(texts=(b"A poem",)))
    old = keys(draft.files[0])
    db.session.delete(draft)  # no view deletes entries today; the ORM cascade is what any future one uses
    db.session.commit()
    assert on_disk(old) == set()
    assert file_lifecycle.deleted_by_last_commit(db.session()) == len(old)


def test_a_failed_commit_deletes_nothing(app, post, draft):
    from competition.entries import operations as ops
    from competition.models import Entry, FilePurpose

    upload(post, draft, simple_pdf(texts=(b"A poem",)))
    old = keys(draft.files[0])
    with app.test_request_context():
        entry = db.session.get(Entry, draft.id)
        ops.store_upload(entry, FilePurpose.WORK, simple_pdf(texts=(b"Replacement",)), "new.pdf")
        db.session.flush()  # the old row is deleted in this transaction: its keys are candidates
        entry.status = "not a status"  # the commit fails on the CHECK constraint
        with pytest.raises(Exception):  # noqa: B017 - IntegrityError on SQLite, CheckViolation on PostgreSQL
            db.session.commit()
        db.session.rollback()
        assert on_disk(old) == old
        db.session.commit()  # a later commit does not act on the rolled-back candidates either
        assert on_disk(old) == old
    db.session.expire_all()
    assert keys(draft.files[0]) == old


def test_a_file_stored_for_a_row_not_yet_committed_survives_a_deletion_elsewhere(app, tmp_path):
    if advisory():
        pytest.skip("S3 on PostgreSQL: advisory locks, see the test below")
    storage = get_storage()
    data = b"%PDF-1.7\nthe same scan, uploaded again by another teacher"
    pins: list = []
    key = storage.put(data, pins=pins)  # a writer stored it; its row is not committed yet
    stream_pins: list = []
    assert storage.put(io.BytesIO(data), pins=stream_pins) == key and len(pins) == len(stream_pins) == 1
    stream_pins.pop()()
    deleted, skipped = storage.delete_unused({key}, lambda keys: set(), wait_s=0.1)
    assert (deleted, skipped) == (0, {key}) and storage.exists(key)  # left to cleanup-files, not lost

    committed = threading.Event()

    def writer_commits_soon():
        committed.set()  # the row now refers to the key
        pins.pop()()

    timer = threading.Timer(0.2, writer_commits_soon)
    timer.start()
    deleted, skipped = storage.delete_unused({key}, lambda keys: keys if committed.is_set() else set(), wait_s=5)
    timer.join()
    assert (deleted, skipped) == (0, set()) and storage.exists(key)  # asked after the writer's commit

    deleted, _ = storage.delete_unused({key}, lambda keys: set(), wait_s=0.1)
    assert deleted == 1 and not storage.exists(key)


def test_a_rolled_back_upload_leaves_no_file_and_releases_its_lock(app, post, draft):
    from competition.entries import operations as ops
    from competition.models import Entry, FilePurpose

    with app.test_request_context():
        entry = db.session.get(Entry, draft.id)
        stored = ops.store_upload(entry, FilePurpose.WORK, simple_pdf(texts=(b"Never committed",)), "x.pdf")
        assert advisory() or db.session.info[file_lifecycle.INFO_KEY]["pins"]  # else: in the transaction
        assert all(get_storage().exists(key) for key in keys(stored))
        db.session.rollback()
        assert db.session.info[file_lifecycle.INFO_KEY]["pins"] == []
        # The rollback itself removed what its transaction stored (no row refers to it): the original, with
        # whatever it hid, does not wait on disk for cleanup-files.
        assert not any(get_storage().exists(key) for key in keys(stored))
        # And the stripes are free again: a deletion gets each lock at once.
        if advisory():
            deleted, skipped = file_lifecycle._delete_unused_advisory(get_storage(), "uploads", db.engine,
                                                                      keys(stored))
        else:
            deleted, skipped = get_storage().delete_unused(keys(stored), lambda found: set(), wait_s=0.1)
        assert skipped == set() and deleted == 0


def test_on_postgresql_with_s3_a_writers_transaction_holds_its_stripe_against_other_machines(app, backend):
    """Two sessions as two app servers on two machines: they share only PostgreSQL and the bucket."""
    if not advisory():
        pytest.skip("advisory locks are for S3 on PostgreSQL (TEST_DATABASE_URL=postgresql://...)")
    from sqlalchemy.orm import Session

    data = b"%PDF-1.7\nthe same scan, uploaded again on another server"
    writer = Session(db.engine)
    try:
        key = file_lifecycle.put("uploads", data, session=writer)  # stored; its row not committed yet
        deleted, skipped = file_lifecycle._delete_unused_advisory(get_storage(), "uploads", db.engine, {key})
        assert (deleted, skipped) == (0, {key}) and get_storage().exists(key)  # left to cleanup-files, not lost
        # The writer's transaction ends: its lock goes with it, and the rollback removes what it stored (the
        # removal needs the stripe's exclusive lock, so the file being gone shows the lock was released).
        writer.rollback()
        assert not get_storage().exists(key)
    finally:
        writer.close()
    deleted, skipped = file_lifecycle._delete_unused_advisory(get_storage(), "uploads", db.engine, {key})
    assert (deleted, skipped) == (0, set())


def test_the_teachers_download_skips_a_file_deleted_while_it_is_built(client, post, draft, monkeypatch):
    import json
    import zipfile

    upload(post, draft, simple_pdf(texts=(b"A poem",)))
    gone = draft.files[0].original_key
    backend_class = type(get_storage())
    real_open = backend_class.open

    def replaced_meanwhile(self, key):
        if key == gone:
            raise FileNotFoundError(key)
        return real_open(self, key)

    monkeypatch.setattr(backend_class, "open", replaced_meanwhile)
    response = client.get("/competition/classes/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    [line] = [f for c in json.loads(archive.read("data.json"))["classes"] for e in c["entries"] for f in e["files"]]
    assert line["in_archive"] is None and line["sha256"] == gone
    assert [n for n in archive.namelist() if n not in ("README.txt", "data.json")] == []


def test_the_storage_is_the_backend_asked_for(app, backend):
    from core.s3_storage import S3Storage

    assert isinstance(get_storage(), S3Storage) == (backend == "s3")


def test_a_file_stored_but_never_referenced_leaves_at_the_commit(app):
    """Stored, then refused later in a request that still succeeds: no row refers to it, so it leaves."""
    with app.test_request_context():
        key = file_lifecycle.put("uploads", b"%PDF-1.7\na scan that a later check refused")
        assert get_storage().exists(key)
        db.session.commit()
        assert not get_storage().exists(key)
        assert file_lifecycle.deleted_by_last_commit(db.session) == 1
