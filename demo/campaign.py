"""The demo's campaign: Lisbon's quote cards, a story in Arabic with its English translation, a Ukrainian quote
with its translation, and the mayor's statement; a Strasbourg card still waiting for review."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import select

from core.db import db, utcnow

QUOTES = [
    ("Amina", "en", "I am many things. I am an entrepreneur. I am a mother. I like football. I am a migrant.", "", ""),
    ("Diego", "en", "I am a nurse. I am a grandfather. I like to cook for my neighbours. I am a migrant.", "", ""),
    ("Олена", "uk", "Я багато чого. Я вчителька музики. Я люблю співати в хорі. Я мігрантка.", "en",
     "I am many things. I am a music teacher. I like to sing in a choir. I am a migrant."),
]
STORY = ("وصلت إلى لشبونة في عام 2019 مع عائلتي بعد رحلة طويلة. في البداية لم أكن أعرف أحداً، ولكن جيراني "
         "علموني البرتغالية وساعدوني في العثور على عمل. اليوم أعمل طباخة في مطعم صغير في حي موراريا، وأطبخ "
         "أطباق بلدي لزبائن من كل العالم. هويتي صنعتها اللغات الثلاث التي أتكلمها، وأصدقائي، والبحر. "
         "أنا ممتنة للمدينة لأنها جعلتني أشعر أنني في بيتي.")
STORY_EN = ("I came to Lisbon in 2019 with my family after a long journey. At first I knew no one, but my "
            "neighbours taught me Portuguese and helped me find work. Today I am a cook in a small restaurant in "
            "Mouraria, and I cook the dishes of my country for customers from all over the world. My identity was "
            "made by the three languages I speak, my friends, and the sea. I am grateful to the city for making me "
            "feel at home.")
STATEMENT = ("Lisbon has always been a city of arrivals. Migration has reshaped our neighbourhoods, our food, our "
             "music and our schools. Diversity is our advantage: the residents who bring varied experiences make "
             "our city more creative, more open and stronger. On International Migrants Day we thank them.")


def portrait(seed: int) -> bytes:
    """A calm painted portrait (no real person): a face-like oval on a coloured background."""
    colours = [(38, 84, 124), (150, 60, 40), (60, 110, 70), (110, 70, 130)]
    image = Image.new("RGB", (900, 1200), colours[seed % len(colours)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 220, 600, 600), fill=(226, 185, 150))
    draw.rounded_rectangle((200, 620, 700, 1200), radius=160, fill=(235, 235, 230))
    buffer = io.BytesIO()
    image.filter(ImageFilter.SMOOTH).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def load_demo_campaign() -> None:
    from campaign.models import FilePurpose, Submission
    from campaign.operations import attach_file
    from competition.models import City, Edition

    edition = Edition.current()
    lisbon = db.session.scalar(select(City).where(City.name == "Lisbon"))
    strasbourg = db.session.scalar(select(City).where(City.name == "Strasbourg"))
    every = dict(consent_image=True, consent_publication=True, consent_social=True, consent_name=True)
    now = utcnow()

    def add(city, kind, status="approved", photo=None, **fields):
        sub = Submission(edition=edition, city=city, kind=kind, status="draft", submitted_at=now, **fields)
        db.session.add(sub)
        db.session.flush()
        if photo is not None:
            attach_file(sub, FilePurpose.PHOTO, photo, f"{kind}-{sub.id}.jpg")
        sub.status = status
        sub.approved_at = now if status == "approved" else None
        return sub

    for n, (name, language, text, translation_language, translation) in enumerate(QUOTES):
        add(lisbon, "quote", photo=portrait(n), person_name=name, language=language, text=text,
            translation_language=translation_language, translation_text=translation, **every)
    add(lisbon, "story", photo=portrait(3), person_name="فاطمة", language="ar", text=STORY,
        translation_language="en", translation_text=STORY_EN, **every)
    add(lisbon, "statement", person_name="Carlos Moedas", person_title="Mayor of Lisbon", language="en",
        text=STATEMENT, consent_publication=True, consent_social=True, consent_name=True)
    add(strasbourg, "quote", status="submitted", person_name="Yusuf", language="fr",
        text="Je suis beaucoup de choses. Je suis boulanger. J'aime le jazz. Je suis migrant.", **every)
    db.session.flush()
