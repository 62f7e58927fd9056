"""Built exports after a change: outdated ones are marked, those that lost consent are no longer offered."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db
from judging.exports import jobs
from judging.models import ExportJob
from tests.clients import form_post
from tests.judging.exports.test_export_views import start

OUTDATED = "The results, the awards or an entry changed since it was made."
GONE = "Consent was withdrawn for an entry in it since it was made"


def job_item(page: str, job: ExportJob) -> str:
    return page.split(f'id="job-{job.id}"', 1)[1].split("</li>", 1)[0]


def withdraw(app, sign_in, entry, *kinds):
    teacher = sign_in(app.test_client(), entry.school_class.teacher)
    url = f"/competition/entries/{entry.id}/consent/withdraw"
    assert form_post(teacher, url, {"withdraw": list(kinds), "confirm": "yes"}).status_code == 302
    db.session.expire_all()


def test_a_fresh_export_is_ready_and_records_what_it_exposes(client, awarded, as_secretariat, post):
    job = start(post, "bundle")
    assert job.status == "done" and len(job.inputs_digest) == 64
    exposes = json.loads(job.exposes)
    assert awarded["first"].id in exposes["named"] and awarded["first"].id in exposes["published"]
    assert awarded["second"].id not in exposes["posted"], "no social consent"
    assert awarded["publication"].id not in exposes["published"], "no publication consent"
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert "Ready" in item and "Download the ZIP" in item and OUTDATED not in item


def test_an_award_removed_after_the_export_marks_it_outdated_but_still_offered(client, awarded, as_secretariat,
                                                                               post):
    from judging.models import Award

    job = start(post, "publication")
    db.session.delete(db.session.scalar(select(Award).where(Award.kind == "publication")))
    db.session.commit()
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert "Outdated" in item and OUTDATED in item and "Download the ZIP" in item
    assert client.get(f"/judging/exports/jobs/{job.id}/download").mimetype == "application/zip"


@pytest.mark.parametrize("kind, consent", [("social", "name"), ("publication", "name"), ("results", "name"),
                                           ("bundle", "social"), ("publication", "publication")])
def test_an_export_that_lost_consent_is_no_longer_offered_and_its_files_go(client, awarded, as_secretariat, post,
                                                                          app, sign_in, kind, consent):
    job = start(post, kind)
    archive, folder = jobs.job_archive(job), jobs.job_folder(job)
    assert archive.exists() and folder.exists()
    withdraw(app, sign_in, awarded["first"], consent)
    download = client.get(f"/judging/exports/jobs/{job.id}/download", follow_redirects=True)
    assert download.mimetype == "text/html" and "This export is no longer offered" in download.get_data(as_text=True)
    assert not archive.exists() and not folder.exists()
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert GONE in item and "Download the ZIP" not in item
    assert client.get(f"/judging/exports/jobs/{job.id}").get_json()["download"] is None
    assert client.get(f"/judging/exports/jobs/{job.id}/pages/1.png").status_code == 404


def test_a_consent_the_export_did_not_rely_on_only_makes_it_outdated(client, awarded, as_secretariat, post, app,
                                                                      sign_in):
    job = start(post, "social")
    withdraw(app, sign_in, awarded["third"], "publication")  # the 3rd is posted, not published, in the kit
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert "Outdated" in item and "Download the ZIP" in item


@pytest.mark.parametrize("action", ["withdraw", "disqualify"])
def test_an_entry_leaving_the_competition_withdraws_the_exports_that_publish_it(client, awarded, as_secretariat,
                                                                                 post, app, sign_in, action):
    job = start(post, "publication")
    first = awarded["first"]
    if action == "withdraw":
        teacher = sign_in(app.test_client(), first.school_class.teacher)
        assert form_post(teacher, f"/competition/entries/{first.id}/withdraw").status_code == 302
    else:
        assert post(f"/competition/entries/{first.id}/disqualify", {"reason": "Not the pupils' work."}).status_code == 302
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert GONE in item and not jobs.job_archive(job).exists()


def test_an_export_made_before_exports_recorded_consent_is_not_offered(client, awarded, as_secretariat, post):
    job = start(post, "bundle")
    job.exposes = ""  # as a job made before the migration
    db.session.commit()
    item = job_item(client.get("/judging/exports").get_data(as_text=True), job)
    assert "It was made before exports recorded the consent they rely on" in item
    assert not jobs.job_archive(job).exists()
    assert {e.action for e in db.session.scalars(select(AuditEvent))} >= {"export.finished"}
