"""The campaign's test data: the texts, photos and documents people send, and submissions made straight in the
database (the fixtures are in conftest.py)."""
from __future__ import annotations

import io

from PIL import Image

from core.db import db

QUOTE = "I am many things. I am an entrepreneur. I am a mother. I like football. I am a migrant."
ARABIC_STORY = ("وصلت إلى لشبونة في عام 2019 مع عائلتي. تعلمت اللغة البرتغالية في المدرسة المسائية، "
                "والآن أعمل طباخة في مطعم صغير. أحب FC Porto والبحر.")
ARABIC_TRANSLATION = ("I came to Lisbon in 2019 with my family. I learnt Portuguese at evening school, and now I "
                      "work as a cook in a small restaurant. I love FC Porto and the sea.")
STATEMENT = ("Migration has reshaped the identity of our city for centuries. Diversity is our advantage: the "
             "residents who came from elsewhere bring their experiences, and we are all richer for it.")


def jpeg_bytes(size=(480, 640), color=(200, 30, 90), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    # A face-like light oval in the upper part, so crops can be told apart.
    from PIL import ImageDraw

    ImageDraw.Draw(image).ellipse((size[0] // 3, size[1] // 6, 2 * size[0] // 3, size[1] // 2), fill=(240, 200, 170))
    image.save(buffer, "JPEG", quality=85, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Fatima Al-Sayed"  # Artist
    gps = {1: "N", 2: (38.0, 43.0, 0.0), 3: "W", 4: (9.0, 8.0, 0.0)}
    exif[0x8825] = gps
    return exif.tobytes()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A real DOCX (the upload tests' builder): the pipeline reads its text like Word's own files."""
    from tests.upload_builders import docx, docx_paragraphs

    return docx(docx_paragraphs(paragraphs))


def make_submission(edition, city, kind="quote", *, text=QUOTE, status="approved", person_name="Amina",
                    language="en", consents=("image", "publication", "social", "name"), photo=None, **fields):
    """A submission straight in the database (for review, cards and page tests), with an optional photo."""
    from campaign.models import Submission
    from campaign import operations as ops
    from campaign.models import FilePurpose

    sub = Submission(edition=edition, city=city, kind=kind, status="draft", person_name=person_name, text=text,
                     language=language, **fields)
    for consent in ("image", "publication", "social", "name"):
        setattr(sub, f"consent_{consent}", consent in consents)
    db.session.add(sub)
    db.session.flush()
    if photo is not None:
        ops.store_file(sub, FilePurpose.PHOTO, photo, "portrait.jpg")
    sub.status = status
    db.session.commit()
    return sub
