"""Every file each demo juror can download names nobody, down to the bytes.

The demo plants identities in files as real uploads carry them: a drawing whose JPEG has GPS in its EXIF,
an essay PDF whose /Info names the teacher, and an essay PDF whose embedded photo's EXIF names a pupil as
Artist and XPAuthor (with GPS). Each juror downloads every file variant of every entry assigned to them;
each file is searched raw, with every PDF stream decompressed and every PDF string decoded, and every
picture (the file itself, or each picture inside a PDF) must carry no metadata at all.
"""
from __future__ import annotations

import io
import re
import unicodedata

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db

VARIANTS = ("cleaned", "web", "thumb", "translation", "original", "consent_form")
PLANTED_IN_FILES = ("Sara H.", "Tomás Teacher", "DemoPhone")  # EXIF Artist/XPAuthor, PDF /Info Author, EXIF Make


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@pytest.fixture()
def planted(app) -> list[str]:
    """The demo, and every name of its classes' pupils, teachers, schools, classes and cities, folded."""
    from competition.models import Entry, SchoolClass
    from demo.build import load_demo

    load_demo("demo password for tests")
    db.session.commit()
    names = set(PLANTED_IN_FILES)
    for school_class in db.session.scalars(select(SchoolClass).join(Entry).distinct()):
        names.update(p.first_name for p in school_class.pupils)
        names.update({school_class.teacher.name, *school_class.teacher.name.split(), school_class.school.name,
                      school_class.name, school_class.school.city.name})
    return sorted({fold(name) for name in names if len(name) >= 2})


def names_in_text(text: str, names: list[str]) -> list[str]:
    folded = fold(text)
    return [n for n in names if re.search(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", folded)]


def names_in_bytes(data: bytes, names: list[str]) -> list[str]:
    """Raw bytes, in three encodings; names of 4+ characters (two letters occur by chance in binary data)."""
    low = data.lower()
    return [n for n in names if len(n) >= 4 and any(
        form and form in low for form in {n.encode(), n.encode("utf-16-be"), n.encode("utf-16-le"),
                                          n.encode("latin-1", "ignore")})]


def jpeg_header(data: bytes) -> bytes:
    """A JPEG up to its first scan: where metadata lives (the scan data itself is noise to a byte search)."""
    sos = data.find(b"\xff\xda")
    return data[: sos if sos > 0 else len(data)]


def assert_bare_picture(where: str, data: bytes, names: list[str]) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), f"{where}: EXIF {dict(image.getexif())}"
    segments = {name for name, _ in getattr(image, "applist", [])}
    assert segments <= {"APP0", "APP14"}, f"{where}: metadata segments {segments}"
    leftover = set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe",
                                  "adobe_transform", "progressive", "progression"}
    assert not leftover, f"{where}: picture info {leftover}"
    if image.format == "JPEG":
        assert not names_in_bytes(jpeg_header(data), names), where
        assert data.endswith(b"\xff\xd9"), f"{where}: data after the end of the picture"


def check_pdf(where: str, data: bytes, names: list[str]) -> int:
    """Every object of the PDF: strings decoded, streams decompressed, pictures bare. Returns the pictures seen."""
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is None and reader.xmp_metadata is None, where
    assert not names_in_text(str(reader.trailer), names), where
    pictures = 0
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if obj is None:
            continue
        assert not names_in_text(str(obj), names), f"{where}: object {number} {str(obj)[:200]}"
        for key in ("/Metadata", "/PieceInfo", "/Annots", "/Thumb", "/AcroForm"):
            assert key not in getattr(obj, "keys", lambda: ())(), f"{where}: object {number} has {key}"
        if not hasattr(obj, "get_data"):
            continue
        content = obj.get_data()
        if obj.get("/Subtype") == "/Image":
            pictures += 1
            if obj.get("/Filter") == "/DCTDecode":
                assert_bare_picture(f"{where}: picture {number}", content, names)
            continue
        assert not names_in_bytes(content, names), f"{where}: stream {number}"
        assert not names_in_text(content.decode("latin-1"), names), f"{where}: stream {number}"
    for page in reader.pages:
        assert not names_in_text(page.extract_text() or "", names), f"{where}: text"
    return pictures


def test_no_file_a_demo_juror_can_download_names_anyone(app, planted, sign_in):
    from competition.models import Entry
    from judging.models import Assignment

    assert {"sara h.", "tomas teacher", "demophone", "amira", "lisbon"} <= set(planted)
    photo_essay = db.session.scalar(select(Entry).where(Entry.title == "Les raccourcis"))
    assert "EXIF Artist: Sara H." in photo_essay.files[0].hidden_text  # planted, and read by the name check
    assert photo_essay.hidden_data_hits and not photo_essay.blindness_flag
    jurors = [u for u in db.session.scalars(select(User).order_by(User.email)) if u.has_role(Role.JUROR)]
    downloaded, pictures_in_pdfs, reached = 0, 0, set()
    for user in jurors:
        client = sign_in(app.test_client(), user)
        for code, entry_id in db.session.execute(
                select(Assignment.code, Assignment.entry_id).where(Assignment.juror_id == user.id)):
            for variant in VARIANTS:
                where = f"{user.email} {code} {variant}"
                response = client.get(f"/judging/entries/{code}/file/{variant}")
                assert response.status_code in (200, 404), where
                if response.status_code == 404:
                    continue
                assert variant not in ("original", "consent_form", "thumb"), f"{where}: served"
                downloaded += 1
                reached.add(entry_id)
                data = response.get_data()
                for header, value in response.headers.items():
                    assert not names_in_text(value, planted), f"{where}: header {header}"
                if response.mimetype == "application/pdf":
                    pictures_in_pdfs += check_pdf(where, data, planted)
                elif response.mimetype.startswith("image/"):
                    assert_bare_picture(where, data, planted)
                else:
                    assert not names_in_text(data.decode("utf-8"), planted), where
    assert downloaded >= 10 and pictures_in_pdfs >= 1
    assert photo_essay.id in reached, "no demo juror got the essay with the planted photo"
