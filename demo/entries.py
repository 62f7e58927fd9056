"""Demo classes and entries of every discipline in both age groups, made through the real upload pipeline."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accounts.models import User
from core.db import db
from demo.files import drawing, text_pdf

POEM_PT = "Sou muitas coisas.\nSou irmã, sou amiga,\ngosto de futebol.\n\nSou mais\ndo que uma palavra."
POEM_PT_EN = "I am many things.\nI am a sister, a friend,\nI like football.\n\nI am more\nthan one word."
POEM_AMIRA = "My friend Amira K. came from far away.\nShe speaks three languages\nand laughs in all of them."
POEM_FR = "Je suis d'ici et d'ailleurs,\nj'ai deux langues dans la bouche\net mille couleurs dans le cœur."
POEM_YOUNG = "My hands are brown,\nyour hands are pink,\ntogether we paint\nthe whole rainbow."
ESSAY = [
    "Stereotypes are shortcuts. They let us think we know someone before we have met them.",
    "In my class there are pupils from eleven countries. When we made a map of our families, the map was bigger than Europe.",
    "I think a city is richer when everyone can bring what they know: recipes, songs, words and ideas.",
    "Being a migrant is one thing about a person. It is never the only thing.",
]
ESSAY_FR = [
    "Les stéréotypes sont des raccourcis : ils nous font croire que nous connaissons quelqu'un avant de l'avoir rencontré.",
    "Notre ville est plus riche quand chacun peut apporter ce qu'il sait.",
]

CLASSES = [
    # teacher, city, school, class name, age group, language, pupils (first name, initial, age)
    ("teacher@example.org", "Lisbon", "Escola Básica Luís de Camões", "6B", "11-18", "pt",
     [("Amira", "K", 12), ("Tiago", "S", 12), ("Inês", "M", 11), ("Yusuf", "A", 12)]),
    ("teacher@example.org", "Lisbon", "Escola Básica Luís de Camões", "3A", "5-10", "pt",
     [("Leonor", "P", 8), ("Davi", "R", 7), ("Mariam", "T", 8)]),
    ("teacher2@example.org", "Strasbourg", "Collège Jean Monnet", "4e B", "11-18", "fr",
     [("Lina", "B", 14), ("Noah", "F", 13), ("Sara", "H", 14)]),
    ("teacher2@example.org", "Strasbourg", "École du Neudorf", "CM2", "5-10", "fr",
     [("Jules", "M", 10), ("Aïcha", "D", 10), ("Hugo", "L", 9)]),
]


def load_demo_entries() -> None:
    """Classes for both demo teachers and a dozen entries, in the current (open) edition."""
    from competition.entries import operations as ops
    from competition.models import City, Edition, Entry, FilePurpose, Pupil, School, SchoolClass

    edition = Edition.current()
    classes = {}
    for email, city_name, school_name, name, age_group, language, pupils in CLASSES:
        teacher = db.session.scalar(select(User).where(User.email == email))
        city = db.session.scalar(select(City).where(City.name == city_name))
        school = db.session.scalar(select(School).where(School.city_id == city.id, School.name == school_name))
        school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=name, age_group=age_group,
                                   pupil_count=22, language=language)
        school_class.pupils = [Pupil(first_name=f, initial=i, age=a) for f, i, a in pupils]
        db.session.add(school_class)
        classes[name] = school_class
    db.session.flush()

    def entry(class_name, discipline, title, language, authors=(), text="", translation="", upload=None,
              consent=(True, True, True, True), submit=True, confirm_names=False):
        school_class = classes[class_name]
        pupil_ids = [p.id for p in school_class.pupils if p.first_name in authors]
        new = ops.set_details(Entry(), school_class, discipline, title, language, pupil_ids, not pupil_ids)
        if text:
            ops.set_text(new, text)
        if upload:
            ops.store_upload(new, FilePurpose.WORK, upload[0], upload[1])
        if translation:
            ops.set_translation(new, "en", translation)
        ops.set_consent(new, *consent)
        if submit:
            ops.submit(new, confirm_names)
        return new

    entry("6B", "poem", "Sou muitas coisas", "pt", ["Inês"], text=POEM_PT, translation=POEM_PT_EN)
    # A draft whose text names a pupil: the teacher sees the blindness warning before submitting.
    entry("6B", "poem", "Three languages", "en", ["Tiago"], text=POEM_AMIRA, consent=(True, True, False, False), submit=False)
    # Submitted despite a hit in its file name (the class, "6B"): flagged for the secretariat; jurors never see file names.
    entry("6B", "essay", "More than one thing", "en", ["Yusuf", "Amira"],
          upload=(text_pdf("More than one thing", ESSAY, author="Tomás Teacher"), "essay_6B.pdf"), confirm_names=True)
    entry("6B", "illustration", "Hands around the city", "", ["Amira"], upload=(drawing(1, exif_gps=True), "IMG_2041.JPG"))
    entry("3A", "illustration", "My family tree", "", ["Leonor"], upload=(drawing(2, fmt="PNG", size=(1200, 1600)), "drawing.png"),
          consent=(True, True, True, False))
    entry("3A", "poem", "Rainbow hands", "en", [], text=POEM_YOUNG)
    entry("3A", "essay", "Draft: what I bring", "pt", ["Davi"], text="Eu trago canções da minha avó.", submit=False)
    entry("4e B", "poem", "D'ici et d'ailleurs", "fr", ["Lina"], text=POEM_FR)
    # An essay whose photo (embedded with its phone's EXIF: a pupil's name as Artist, GPS) is cleaned for the jury;
    # the secretariat sees the name as a possible name in the file's hidden data.
    photo = drawing(5, size=(800, 600), exif_gps=True, artist="Sara H.")
    entry("4e B", "essay", "Les raccourcis", "fr", ["Noah", "Sara"],
          upload=(text_pdf("Les raccourcis", ESSAY_FR, photo=photo), "essai.pdf"), consent=(True, False, False, False))
    entry("4e B", "illustration", "Mille couleurs", "", ["Sara"], upload=(drawing(3), "dessin.jpg"))
    entry("CM2", "illustration", "Notre rue", "", [], upload=(drawing(4, size=(1400, 1000)), "scan.jpg"))
    entry("CM2", "poem", "Les mains", "fr", ["Aïcha"], text="Mes mains sont petites\net mon cœur est grand.")

    # The secretariat gave teacher one's class 6B two more days after the edition's deadline.
    classes["6B"].deadline_extended_to = edition.deadline_at + timedelta(days=2)
    db.session.flush()
