"""A picture's web copy and thumbnail come from the task queue, after the upload's commit; a placeholder until then."""
from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from competition.entries import operations as ops
from competition.entries.image_copies import make_copies
from competition.models import Entry, EntryFile, FilePurpose
from core.db import db
from core.files import get_storage
from core.queue_model import QueuedTask
from tests.fixtures import jpeg_bytes


def _illustration(app, school_class):
    entry = Entry(school_class=school_class, category=next(c for c in school_class.edition.categories
                                                           if c.age_group == "11-18" and c.discipline == "illustration"),
                  title="Bridges", language="pt", whole_class=True)
    db.session.add(entry)
    db.session.commit()
    return entry


def test_the_upload_stores_no_copies_and_the_queue_makes_them_after_the_commit(app, school_class):
    entry = _illustration(app, school_class)
    stored = ops.store_upload(entry, FilePurpose.WORK, jpeg_bytes((2400, 1800)), "drawing.jpg")
    assert stored.cleaned_key and stored.web_key is None and stored.thumb_key is None  # not in the request
    [task] = db.session.scalars(select(QueuedTask)).all()
    assert task.name == "image_copies"
    db.session.commit()  # tests run the queued task now
    db.session.expire_all()
    stored = db.session.get(EntryFile, stored.id)
    assert stored.web_key and stored.thumb_key
    storage = get_storage("uploads")
    with storage.open(stored.web_key) as web, storage.open(stored.thumb_key) as thumb:
        web_im, thumb_im = Image.open(io.BytesIO(web.read())), Image.open(io.BytesIO(thumb.read()))
        assert web_im.format == thumb_im.format == "JPEG"
        assert max(thumb_im.size) < max(web_im.size) < 2400
        assert not web_im.getexif() and not thumb_im.getexif()
    assert db.session.scalars(select(QueuedTask)).all() == []


def test_the_task_run_twice_or_for_a_deleted_file_changes_nothing(app, school_class):
    entry = _illustration(app, school_class)
    stored = ops.store_upload(entry, FilePurpose.WORK, jpeg_bytes(), "drawing.jpg")
    db.session.commit()
    keys = (stored.web_key, stored.thumb_key)
    make_copies({"file_id": stored.id})
    assert (stored.web_key, stored.thumb_key) == keys
    make_copies({"file_id": 999_999})  # gone: nothing to do, no error


def test_the_teachers_pages_show_a_placeholder_until_the_copies_are_made(client, login, app, school_class):
    entry = _illustration(app, school_class)
    stored = ops.store_upload(entry, FilePurpose.WORK, jpeg_bytes(), "drawing.jpg")
    db.session.flush()
    db.session.execute(QueuedTask.__table__.delete())  # as if no worker had run yet
    db.session.commit()
    login("teacher@example.org")
    for url in (f"/competition/classes/{school_class.id}", f"/competition/entries/{entry.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Preview in a moment" in page and "variant=thumb" not in page and "/thumb" not in page, url
    make_copies({"file_id": stored.id})
    db.session.commit()
    for url in (f"/competition/classes/{school_class.id}", f"/competition/entries/{entry.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Preview in a moment" not in page, url
