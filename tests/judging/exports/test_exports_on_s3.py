"""Exports with S3 storage: the winners' files come from the bucket, the archive and preview pages go to it, any
server serves them, and they leave the bucket when consent is withdrawn (SeaweedFS on loopback)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from core.files import get_storage
from judging.exports import jobs
from tests.judging.exports.test_consent_at_once import add_picture
from tests.judging.exports.test_export_views import start
from tests.judging.exports.test_outdated_exports import withdraw


@pytest.fixture(autouse=True)
def bucket(request):
    """Autouse, so it runs before ``app``: the app stores its files in a fresh bucket."""
    weed = request.getfixturevalue("weed")
    name = weed.new_bucket("exports")
    request.node.add_marker(pytest.mark.app_config(**weed.settings(name)))
    return weed, name


def names(weed, bucket: str, prefix: str) -> set[str]:
    listed = weed.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for item in listed.get("Contents", [])}


def test_the_archive_is_made_from_the_bucket_and_kept_there(client, awarded, as_secretariat, post, app, sign_in,
                                                           bucket):
    weed, name = bucket
    first = awarded["first"]
    add_picture(first, None)  # stored through get_storage(): into the bucket
    work = next(f for f in first.files if f.purpose == "work")
    assert get_storage().exists(work.cleaned_key) and not list(Path(app.config["UPLOAD_FOLDER"]).rglob(work.cleaned_key))

    job = start(post, "bundle")
    assert job.status == "done", job.error
    assert f"exports/job-{job.id}.zip" in names(weed, name, "exports/")
    assert not jobs.job_archive(job).exists() and not jobs.job_folder(job).exists()  # nothing left on this disk
    assert names(weed, name, "exports/tmp/") == set()  # uploaded to a temporary key, then copied

    download = client.get(f"/judging/exports/jobs/{job.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    body = download.get_data()
    assert int(download.headers["Content-Length"]) == len(body) == job.file_size
    stored = weed.client().get_object(Bucket=name, Key=f"exports/job-{job.id}.zip")["Body"].read()
    assert body == stored
    members = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert any(m.endswith(".jpg") for m in members), members  # the drawing, read from the bucket

    pages = jobs.previews(job)
    if Path(jobs.PDFTOPPM).exists():
        assert pages and names(weed, name, f"exports/job-{job.id}/previews/")
        png = client.get(f"/judging/exports/jobs/{job.id}/pages/1.png")
        assert png.status_code == 200 and png.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/judging/exports/jobs/{job.id}/pages/{len(pages) + 1}.png").status_code == 404

    withdraw(app, sign_in, first, "name")  # the bundle names the first entry's pupils
    assert client.get(f"/judging/exports/jobs/{job.id}/download", follow_redirects=True).mimetype == "text/html"
    assert names(weed, name, "exports/") == set()  # the archive and its previews left the bucket at once


def test_the_public_gallery_serves_a_published_drawing_from_the_bucket(client, awarded, as_secretariat, post, app,
                                                                      sign_in):
    from tests.fixtures import jpeg_bytes
    from tests.judging.exports.test_gallery import publish

    first = awarded["first"]
    add_picture(first, None)
    publish(post)
    response = app.test_client().get(f"/results/{first.reference}/image")
    assert response.status_code == 200 and response.get_data() == jpeg_bytes()
    key = next(f for f in first.files if f.purpose == "work").cleaned_key
    assert key in response.headers["ETag"]  # the content hash: nothing about the pupil
    withdraw(app, sign_in, first, "publication")
    assert app.test_client().get(f"/results/{first.reference}/image").status_code == 404


def test_a_winner_with_a_drawing_in_the_bucket_has_its_card(client, awarded, as_secretariat, post, app):
    """A card is keyed by a digest of every field of the entry, its files too: a file in S3 is a handle on the
    bucket, which the digest names by its key (copying the handle copied the S3 client, and failed)."""
    from PIL import Image

    from tests.judging.exports.test_gallery import publish

    first = awarded["first"]
    add_picture(first, None)
    publish(post)
    card = app.test_client().get(f"/results/{first.reference}/card-landscape.png")
    assert card.status_code == 200 and Image.open(io.BytesIO(card.data)).size == (1200, 675)
    again = app.test_client().get(f"/results/{first.reference}/card-landscape.png",
                                  headers={"If-None-Match": card.headers["ETag"]})
    assert again.status_code == 304


def test_the_gallery_asks_the_bucket_once_a_minute_whether_a_winner_s_files_are_stored(
        client, awarded, as_secretariat, post, app, monkeypatch):
    """Every public page reads the digest of the published inputs, which says whether each file is still stored.
    In S3 that is a HEAD request per file: the first page asks, the next ones in the same minute do not, a file
    not found is asked again every time, and after the minute the bucket is asked again."""
    from cachetools import TTLCache

    from core import files
    from tests.judging.exports.test_gallery import publish

    first = awarded["first"]
    add_picture(first, None)
    publish(post)
    clock = [0.0]  # a process that has not asked yet
    monkeypatch.setattr(files, "_seen_stored", TTLCache(maxsize=100, ttl=files.PRESENT_TTL_S, timer=lambda: clock[0]))
    heads = []
    with app.app_context():
        get_storage().client.meta.events.register("before-call.s3.HeadObject",
                                                  lambda params, **kw: heads.append(params["url_path"]))
    visitor = app.test_client()

    assert visitor.get("/results/").status_code == 200
    asked = len(heads)
    assert asked >= 1  # the drawing's cleaned copy (and its web copy once made)
    assert visitor.get("/results/").status_code == 200 and visitor.get(f"/results/{first.reference}").status_code == 200
    assert len(heads) == asked  # remembered
    clock[0] += files.PRESENT_TTL_S + 1
    assert visitor.get("/results/").status_code == 200
    assert len(heads) == 2 * asked  # the minute is over: asked again

    with app.app_context():
        storage = get_storage()
        missing = "0" * 64
        assert not files.stored(storage, missing) and not files.stored(storage, missing)
        assert len(heads) == 2 * asked + 2  # a file not found is never remembered
