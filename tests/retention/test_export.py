"""A teacher downloads everything held about their classes, as a ZIP."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from core.db import db

URL = "/competition/classes/export.zip"


def download(client):
    response = client.get(URL)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def test_the_teacher_gets_their_classes_files_and_a_readme(world, client_as):
    from competition.models import EntryFile

    w = world.w
    archive = download(client_as(world, "teacher"))
    names = archive.namelist()
    data = json.loads(archive.read("data.json"))
    assert "README.txt" in names
    assert [c["name"] for c in data["classes"]] == [w.class_a_name]
    only = data["classes"][0]
    assert (only["school"]["name"], only["city"]["name"]) == (w.school_a_name, "Lisbon")
    pupils = [(p["first_name"], p["initial"], p["age"]) for p in only["pupils"]]
    assert pupils == [("Amira", "K", 12), ("Tiago", "S", 13)]
    entries = {e["reference"]: e for e in only["entries"]}
    assert set(entries) == {w.ref_a1, w.ref_a2}
    a2 = entries[w.ref_a2]
    assert a2["text"] == "I am many things.\nAnd one more." and a2["status"] == "submitted"
    assert a2["consent"] == {"judging": True, "publication": False, "social_media": False, "names": True}
    assert a2["authors"] == [{"pupil": 1, "first_name": "Amira", "initial": "K"}]

    # Every uploaded file (the work and the consent form), as uploaded, under a safe name.
    a1_files = entries[w.ref_a1]["files"]
    assert [(f["number"], f["purpose"], f["in_archive"]) for f in a1_files] == [
        (1, "work", f"{w.ref_a1}/1-work.jpg"), (2, "consent_form", f"{w.ref_a1}/2-consent_form.png")]
    for described in a1_files:
        content = archive.read(described["in_archive"])
        file_id = {"work": w.file_a1_work, "consent_form": w.file_a1_consent}[described["purpose"]]
        stored = db.session.get(EntryFile, file_id)
        assert hashlib.sha256(content).hexdigest() == described["sha256"] == stored.original_key
        assert len(content) == described["size"] == stored.original_size
    assert sorted(names) == sorted(["README.txt", "data.json", *(f["in_archive"] for f in a1_files)])

    # Results are published: the awards of the teacher's entries are there.
    assert entries[w.ref_a1]["results"]["awards"] == ["first"]
    assert entries[w.ref_a2]["results"]["awards"] == ["publication"]


def test_nothing_of_other_teachers_or_jurors(world, client_as):
    w = world.w
    archive = download(client_as(world, "teacher"))
    everything = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    for absent in (w.class_b_name, w.ref_b1, w.title_b1, "Lina", "Jonas Juror", "Julia Juror", "juror@example.org",
                   "Lovely.", "Fine."):  # another teacher's class, jurors' names and their comments
        assert absent not in everything, absent
    data = json.loads(archive.read("data.json"))
    assert "score" not in json.dumps(data).lower()


def test_every_edition_is_included(world, client_as):
    """The other teacher has a class in this edition and one in last year's."""
    archive = download(client_as(world, "other_teacher"))
    data = json.loads(archive.read("data.json"))
    assert [(c["name"], c["edition"]["name"]) for c in data["classes"]] == [
        (world.w.class_b_name, "More than migrants"), ("Class Charlie-4A", "Last year")]
    last_year = data["classes"][1]["entries"][0]
    assert last_year["results"] is None  # last year's results were never published here
    assert [f["in_archive"] for f in last_year["files"]] == [f"{last_year['reference']}/1-work.txt"]


def test_no_awards_before_the_results_are_published(world, client_as):
    from competition.models import Edition

    db.session.get(Edition, world.w.edition).results_published_at = None
    db.session.commit()
    data = json.loads(download(client_as(world, "teacher")).read("data.json"))
    assert all(e["results"] is None for c in data["classes"] for e in c["entries"])
    assert '"first"' not in json.dumps(data)


def test_the_download_is_audited(world, client_as):
    from core.audit import AuditEvent

    download(client_as(world, "teacher"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "data.exported"))
    assert (event.actor_id, event.object_id) == (world.w.user_ids["teacher"], world.w.user_ids["teacher"])
    assert event.details == {"classes": 1, "entries": 2, "files": 2}


def test_the_readme_is_in_the_teachers_language_and_names_them(world, client_as):
    from accounts.models import User

    db.session.get(User, world.w.user_ids["teacher"]).language = "fr"
    db.session.commit()
    readme = download(client_as(world, "teacher")).read("README.txt").decode("utf-8")
    assert "Tina Marquez" in readme and "teacher@example.org" in readme
    assert readme.endswith("\r\n")


def test_archive_names_never_use_the_uploaded_name():
    from competition.models import Entry, EntryFile
    from retention.export import archive_name

    entry = Entry(reference="MTM-ABCDEFGH")
    for original, kind, expected in (("../../etc/Amira Kovač.JPG", "image", "MTM-ABCDEFGH/3-work.jpg"),
                                     ("C:\\Users\\tina\\noext", "pdf", "MTM-ABCDEFGH/3-work.pdf"),
                                     ("poem.t xt", "txt", "MTM-ABCDEFGH/3-work.txt"),
                                     ("x.<script>", "image", "MTM-ABCDEFGH/3-work.img")):
        assert archive_name(entry, 3, EntryFile(original_name=original, kind=kind, purpose="work")) == expected


def test_the_classes_page_links_to_the_download(world, client_as):
    assert URL in client_as(world, "teacher").get("/competition/classes/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["juror", "coordinator", "secretariat"])
def test_other_roles_get_404(world, client_as, role):
    assert client_as(world, role).get(URL).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(world, client_as):
    response = client_as(world, "anonymous").get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login")
