"""The retention tests' world: the access matrix's world (an edition with published results, two teachers'
classes, entries with files, scores and awards) plus an older, unpurged edition where the other teacher has a
class whose file shares its stored content with an entry of the current edition."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from core.db import db
from tests.access_matrix_world import World, build_world


@dataclass
class RetentionWorld:
    w: World
    class_c: int  # the other teacher's class in the old edition
    entry_c1: int
    shared_key: str  # stored once, used by B1 (current edition) and C1 (old edition)


@pytest.fixture()
def world(app, make_user) -> RetentionWorld:
    from competition.models import Category, Edition, Entry, EntryAuthor, EntryFile, Pupil, SchoolClass

    w = build_world(make_user)
    old = db.session.get(Edition, w.old_edition)
    b1_file = db.session.get(EntryFile, w.file_b1_work)
    category = next(c for c in old.categories if c.discipline == "poem" and c.age_group == "11-18")
    class_c = SchoolClass(edition=old, school_id=w.school_b, teacher_id=w.user_ids["other_teacher"],
                          name="Class Charlie-4A", age_group="11-18", pupil_count=10, language="fr")
    class_c.pupils = [Pupil(first_name="Noor", initial="H", age=12)]
    db.session.add(class_c)
    db.session.flush()
    c1 = Entry(school_class=class_c, category=db.session.get(Category, category.id), title="Charlie poem",
               language="fr", text="", status="submitted", consent_judging=True)
    c1.authors = [EntryAuthor(pupil=class_c.pupils[0])]
    c1.files = [EntryFile(purpose="work", kind="txt", original_name="poeme.txt", original_key=b1_file.original_key,
                          original_size=33, cleaned_key=b1_file.original_key, cleaned_mime="text/plain",
                          cleaned_ext=".txt", cleaned_size=33)]
    db.session.add(c1)
    db.session.commit()
    return RetentionWorld(w=w, class_c=class_c.id, entry_c1=c1.id, shared_key=b1_file.original_key)


@pytest.fixture()
def client_as(app, sign_in):
    """``client_as(world, role)``: a new client signed in as that role of the world (anonymous: not signed in)."""

    def _client(world: RetentionWorld, role: str):
        client = app.test_client()
        alternative_id = world.w.users[role]
        if alternative_id is not None:
            sign_in(client, SimpleNamespace(alternative_id=alternative_id))
        return client

    return _client
