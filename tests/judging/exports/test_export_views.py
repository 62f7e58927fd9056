"""The secretariat's export page, the background jobs, and who may use them."""
from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Role
from core.audit import AuditEvent
from core.db import db
from judging.models import ExportJob

PAGES = ["/judging/exports", "/judging/exports/results.xlsx", "/judging/exports/results.csv",
         "/judging/exports/results.json"]


def wait_for(job_id: int, seconds: float = 120) -> ExportJob:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        db.session.expire_all()
        job = db.session.get(ExportJob, job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"export job {job_id} did not finish in {seconds} s")


def start(post, kind: str) -> ExportJob:
    response = post("/judging/exports/jobs", {"kind": kind})
    assert response.status_code == 302
    job = db.session.scalar(select(ExportJob).order_by(ExportJob.id.desc()))
    assert job is not None and job.kind == kind
    return wait_for(job.id)


@pytest.mark.parametrize("url", PAGES)
def test_only_the_secretariat_reaches_the_exports(url, client, awarded, make_user, sign_in):
    assert client.get(url).status_code == 302  # to the login page
    for role in (Role.TEACHER, Role.JUROR, Role.COORDINATOR):
        sign_in(client, make_user(f"{role.value}-x@example.org", roles=(role,)))
        assert client.get(url).status_code == 404, role


def test_the_page_says_what_is_left_out_and_why(client, awarded, as_secretariat):
    page = client.get("/judging/exports").get_data(as_text=True)
    assert "Left out, and why" in page
    assert awarded["second"].reference in page and "No consent to social media" in page
    assert awarded["publication"].reference in page and "No consent to publication" in page
    assert "No consent to names: credited without a name." in page
    assert "No winners are decided yet" not in page


def test_without_winners_the_page_explains_and_no_job_starts(client, scored, as_secretariat, post):
    scored(3)
    page = client.get("/judging/exports").get_data(as_text=True)
    assert "No winners are decided yet: give the awards on the results page first, then export." in page
    response = post("/judging/exports/jobs", {"kind": "bundle"}, follow_redirects=True)
    assert "No winners are decided yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(ExportJob)) is None
    # The rankings can still be downloaded.
    workbook = load_workbook(io.BytesIO(client.get("/judging/exports/results.xlsx").data))
    assert len(workbook.sheetnames) >= 2


def test_an_unknown_export_or_a_missing_csrf_token_starts_nothing(client, awarded, as_secretariat, post):
    response = post("/judging/exports/jobs", {"kind": "everything-please"}, follow_redirects=True)
    assert "Choose an export from the list." in response.get_data(as_text=True)
    assert client.post("/judging/exports/jobs", data={"kind": "bundle"}).status_code == 400
    assert db.session.scalar(select(ExportJob)) is None


def test_the_spreadsheet_downloads_name_pupils_only_with_consent(client, awarded, as_secretariat):
    response = client.get("/judging/exports/results.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = {line.split(",")[0]: line for line in text.splitlines()[1:]}
    assert "Amira" in rows[awarded["first"].reference]
    assert "Amira" not in rows[awarded["third"].reference]
    feed = json.loads(client.get("/judging/exports/results.json").data)
    references = {e["reference"] for c in feed["categories"] for e in c["entries"]}
    assert awarded["first"].reference in references and awarded["publication"].reference not in references


def test_a_bundle_is_built_in_the_background_with_consent_applied(client, awarded, as_secretariat, post):
    job = start(post, "bundle")
    assert job.status == "done", job.error
    progress = client.get(f"/judging/exports/jobs/{job.id}").get_json()
    assert progress["finished"] and progress["percent"] == 100 and progress["download"]
    response = client.get(progress["download"])
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    for expected in ("results/results.xlsx", "results/results.csv", "results/results.json",
                     "social/schedule.csv", "social/schedule.ics", "publication/publication-en.pdf",
                     "publication/publication-fr.pdf", "left-out.csv"):
        assert expected in names, expected
    cards = [n for n in names if n.startswith("social/cards/")]
    first, second = awarded["first"].reference, awarded["second"].reference
    assert {n.rsplit("-", 1)[-1] for n in cards if first in n} == {"portrait.png", "square.png", "landscape.png"}
    assert not any(second in n for n in names if n.startswith("social/")), "no social-media consent: no card"
    left_out = archive.read("left-out.csv").decode("utf-8-sig")
    assert second in left_out and awarded["publication"].reference in left_out
    assert not any(n.endswith(".part") for n in names)
    assert {e.action for e in db.session.scalars(select(AuditEvent))} >= {"export.started", "export.finished"}


def test_a_job_of_another_edition_or_not_ready_is_not_found(client, awarded, as_secretariat, edition):
    job = ExportJob(edition_id=edition.id, kind="bundle", status="running")
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/judging/exports/jobs/{job.id}/download").status_code == 404
    assert client.get(f"/judging/exports/jobs/{job.id}/pages/1.png").status_code == 404
    assert client.get(f"/judging/exports/jobs/{job.id + 1}").status_code == 404


def test_a_job_whose_process_died_shows_as_interrupted(client, awarded, as_secretariat, edition):
    from datetime import timedelta

    from core.db import utcnow

    job = ExportJob(edition_id=edition.id, kind="bundle", status="running",
                    heartbeat_at=utcnow() - timedelta(hours=1), created_at=utcnow() - timedelta(hours=1))
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/judging/exports/jobs/{job.id}").get_json()["status"] == "interrupted"
    assert "The server stopped during this export." in client.get("/judging/exports").get_data(as_text=True)


def test_card_previews_follow_social_consent(client, awarded, as_secretariat):
    ok = client.get(f"/judging/exports/cards/{awarded['first'].reference}/portrait.png")
    assert ok.status_code == 200 and ok.mimetype == "image/png"
    assert client.get(f"/judging/exports/cards/{awarded['second'].reference}/portrait.png").status_code == 404
    assert client.get(f"/judging/exports/cards/{awarded['first'].reference}/huge.png").status_code == 404


def test_a_large_edition_gets_its_spreadsheets_in_the_background(client, awarded, as_secretariat, post, monkeypatch):
    from judging.exports import views as exports_views

    monkeypatch.setattr(exports_views, "DIRECT_LIMIT", 3)  # the fixture has 6 submitted entries
    page = client.get("/judging/exports").get_data(as_text=True)
    assert "This edition is large" in page and "/judging/exports/results.xlsx" not in page
    assert client.get("/judging/exports/results.xlsx").status_code == 404
    job = start(post, "results")
    assert job.status == "done", job.error
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/judging/exports/jobs/{job.id}/download").data))
    assert sorted(archive.namelist()) == ["results/results.csv", "results/results.json", "results/results.xlsx"]
