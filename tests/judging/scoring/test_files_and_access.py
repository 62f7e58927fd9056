"""Cleaned files only, named after the code; every other entry, file or code is a 404."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.fixtures import GOOD, score_sets


def test_illustration_page_shows_web_image_with_zoom_and_full_size_link(juror_client, file_entries):
    code = file_entries["illustration"].code
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert f'src="/judging/entries/{code}/file/web"' in page
    assert f'href="/judging/entries/{code}/file/cleaned"' in page
    assert "zoom-toggle" in page and "Open the full-size image" in page


def test_web_image_is_a_jpeg_named_after_the_code_without_metadata(juror_client, file_entries):
    code = file_entries["illustration"].code
    response = juror_client.get(f"/judging/entries/{code}/file/web")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert f'filename="{code}.jpg"' in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data))
    assert not image.getexif() and "exif" not in image.info
    cleaned = juror_client.get(f"/judging/entries/{code}/file/cleaned")
    assert cleaned.status_code == 200 and code in cleaned.headers["Content-Disposition"]
    assert not Image.open(io.BytesIO(cleaned.data)).getexif()


def test_pdf_is_linked_and_served_clean_under_the_code(juror_client, file_entries):
    from pypdf import PdfReader

    code = file_entries["essay"].code
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert f'href="/judging/entries/{code}/file/cleaned"' in page and "Open the PDF" in page
    assert "Nous sommes plus.\nDeuxième ligne." in page  # the TXT translation shown as text
    response = juror_client.get(f"/judging/entries/{code}/file/cleaned")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # Opened in the browser, sandboxed; the download link beside it saves a copy.
    assert response.headers["Content-Disposition"].startswith(f'inline; filename="{code}.pdf"')
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert f'href="/judging/entries/{code}/file/cleaned?download=1"' in page and "Download the PDF" in page
    download = juror_client.get(f"/judging/entries/{code}/file/cleaned?download=1")
    assert download.headers["Content-Disposition"].startswith(f'attachment; filename="{code}.pdf"')
    metadata = PdfReader(io.BytesIO(response.data)).metadata or {}
    assert not metadata.get("/Author")
    translation = juror_client.get(f"/judging/entries/{code}/file/translation")
    assert translation.status_code == 200 and f"{code}-translation" in translation.headers["Content-Disposition"]


@pytest.mark.parametrize("variant", ["original", "thumb", "consent_form", "consent", "web", "../cleaned"])
def test_other_variants_are_404(juror_client, file_entries, variant):
    # "web" exists only for illustrations; the essay is a PDF.
    assert juror_client.get(f"/judging/entries/{file_entries['essay'].code}/file/{variant}").status_code == 404


@pytest.mark.parametrize("path", ["", "/file/web", "/file/cleaned"])
def test_juror_cannot_open_another_jurors_entry_or_file(app, sign_in, make_juror, file_entries, path):
    other = make_juror("juror2@example.org", name="Julia Juror")
    client = sign_in(app.test_client(), other)
    assert client.get(f"/judging/entries/{file_entries['illustration'].code}{path}").status_code == 404


def test_juror_cannot_save_into_another_jurors_assignment(app, sign_in, make_juror, assignments, send):
    other = make_juror("juror2@example.org", name="Julia Juror")
    client = sign_in(app.test_client(), other)
    code = assignments[0].code
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/judging/entries/{code}", data={**GOOD, "csrf_token": token, "action": "submit"}).status_code == 404
    assert client.post(f"/judging/entries/{code}/autosave", data={**GOOD, "csrf_token": token}).status_code == 404
    assert score_sets() == []


@pytest.mark.parametrize("guess", ["AAAAAAAAAA", "1", "0", "K7QX2M9PAB", "x" * 40, "%00", "ABC%00", "ABC'--", "%C3%A9"])
def test_guessed_codes_are_404(juror_client, assignments, guess):
    assert juror_client.get(f"/judging/entries/{guess}").status_code == 404
    assert juror_client.get(f"/judging/entries/{guess}/file/web").status_code == 404


def test_entry_id_is_not_a_code(juror_client, assignments):
    entry = assignments[0].entry
    assert juror_client.get(f"/judging/entries/{entry.id}").status_code == 404
    assert juror_client.get(f"/judging/entries/{assignments[0].id}").status_code == 404


def test_a_disqualified_entry_leaves_the_jurors_list_and_its_page(app, make_entries, make_juror, round1, assign):
    from competition.models import EntryStatus
    from core.db import db
    from tests.clients import TEST_PASSWORD

    entry, kept = make_entries(2)
    juror = make_juror()
    gone = assign(round1, entry, juror)
    assign(round1, kept, juror, position=1)
    entry.status = EntryStatus.DISQUALIFIED.value
    db.session.commit()
    client = app.test_client()
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/account/login", data={"email": "juror@example.org", "password": TEST_PASSWORD, "csrf_token": token})
    listing = client.get("/judging/entries").get_data(as_text=True)
    assert gone.code not in listing and "0 of 1 scored" in listing
    assert client.get(f"/judging/entries/{gone.code}").status_code == 404


def test_web_image_falls_back_to_the_cleaned_copy_while_the_queue_has_not_made_it(juror_client, file_entries):
    """The web copy is made by the task queue after the upload: until then the juror gets the cleaned copy, not a 404."""
    from sqlalchemy import update

    from competition.models import EntryFile
    from core.db import db

    assignment = file_entries["illustration"]
    db.session.execute(update(EntryFile).where(EntryFile.entry_id == assignment.entry_id).values(web_key=None))
    db.session.commit()
    response = juror_client.get(f"/judging/entries/{assignment.code}/file/web")
    assert response.status_code == 200 and response.mimetype.startswith("image/")
    assert assignment.code in response.headers["Content-Disposition"]
    assert response.data == juror_client.get(f"/judging/entries/{assignment.code}/file/cleaned").data
    assert not Image.open(io.BytesIO(response.data)).getexif()
