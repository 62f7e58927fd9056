"""Fixtures for blind scoring: a juror with a few assignments in an open round, signed in."""
from __future__ import annotations

import re

import pytest

from core.db import db


@pytest.fixture()
def juror(make_juror):
    return make_juror()


@pytest.fixture()
def assignments(make_entries, juror, round1, assign):
    entries = make_entries(3)
    # Positions deliberately not in id order: the list follows the shuffle, not the ids.
    return [assign(round1, entry, juror, position=pos) for entry, pos in zip(entries, (2, 0, 1))]


@pytest.fixture()
def juror_client(client, juror, sign_in):
    return sign_in(client, juror)


def token_of(client, url) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


GOOD = {"score_relevance": "8", "score_originality": "7", "score_expression": "6", "score_impression": "9"}


@pytest.fixture()
def send(juror_client):
    """POST the scoring form of ``code`` (``action`` save or submit, or to the autosave URL)."""

    def _send(code, data=None, action="save", autosave=False, client=None):
        client = client or juror_client
        url = f"/judging/entries/{code}"
        form = {"csrf_token": token_of(client, url), **(data or {})}
        if autosave:
            return client.post(url + "/autosave", data=form)
        form["action"] = action
        if action == "submit":
            form["confirmed"] = "1"  # as from the confirmation page's flow (tested in test_submit_confirmation.py)
        return client.post(url, data=form)

    return _send


def score_sets():
    from sqlalchemy import select

    from judging.models import ScoreSet

    db.session.expire_all()
    return list(db.session.scalars(select(ScoreSet)))


def identifying_jpeg() -> bytes:
    """A drawing whose EXIF carries GPS, the teacher as artist and the city as description."""
    import io

    from PIL import Image

    from demo.files import drawing
    from tests.judging.conftest import NAMES

    image = Image.open(io.BytesIO(drawing(7, size=(900, 700), exif_gps=True)))
    exif = image.getexif()
    exif[0x013B] = NAMES["teacher"]
    exif[0x010E] = f"{NAMES['class']} {NAMES['city']}"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def identifying_pdf() -> bytes:
    from demo.files import text_pdf
    from tests.judging.conftest import NAMES

    return text_pdf("We are more", ["One of us came from far away, and we all speak two languages."],
                    author=NAMES["teacher"])


@pytest.fixture()
def attach_file(app):
    """``attach_file(entry, purpose, data, name)``: clean an upload and store it as the competition does."""
    from competition.models import EntryFile
    from competition.uploads import clean_upload
    from core.files import get_storage

    def _attach(entry, purpose, data, name, accept=("image", "pdf", "docx", "odt", "txt")):
        cleaned = clean_upload(data, set(accept))
        storage = get_storage()
        stored = EntryFile(
            entry=entry, purpose=purpose, kind=cleaned.kind, original_name=name, original_key=storage.put(data),
            original_size=len(data), cleaned_key=storage.put(cleaned.cleaned), cleaned_mime=cleaned.cleaned_mime,
            cleaned_ext=cleaned.cleaned_ext, cleaned_size=len(cleaned.cleaned),
            web_key=storage.put(cleaned.web) if cleaned.web else None,
            thumb_key=storage.put(cleaned.thumb) if cleaned.thumb else None, text=cleaned.text or "",
            page_count=cleaned.page_count, width=cleaned.width, height=cleaned.height)
        db.session.add(stored)
        db.session.commit()
        return stored

    return _attach


@pytest.fixture()
def file_entries(make_entries, juror, round1, assign, attach_file):
    """An illustration and a PDF essay with identifying metadata, a TXT translation and a consent form."""
    from tests.judging.conftest import NAMES

    illustration = make_entries(1, discipline="illustration")[0]
    illustration.text = ""
    essay = make_entries(1, discipline="essay")[0]
    essay.text = ""
    db.session.commit()
    attach_file(illustration, "work", identifying_jpeg(), f"{NAMES['pupils'][0][0]}_{NAMES['city']}.jpg")
    attach_file(essay, "work", identifying_pdf(), f"{NAMES['teacher']} essay.pdf")
    attach_file(essay, "translation", "Nous sommes plus.\nDeuxième ligne.".encode(), "translation.txt")
    attach_file(essay, "consent_form", identifying_pdf(), f"consent {NAMES['school']}.pdf")
    return {"illustration": assign(round1, illustration, juror, position=5),
            "essay": assign(round1, essay, juror, position=6)}
