"""Factories for judging tests: submitted entries, jurors with profiles, a round, assignments, rubrics, scores
and files with identifying metadata."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from accounts.models import Role
from core.db import db, utcnow
from tests.fixtures import NAMES, add_scores, category_of


@pytest.fixture()
def edition(app):
    from competition.models import AgeGroup, Category, Discipline, Edition

    edition = Edition(name="More than migrants", theme="Identity", deadline_at=utcnow() - timedelta(days=1),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr", "pt"], is_current=True)
    for group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(Category(age_group=group.value, discipline=discipline.value))
    db.session.add(edition)
    db.session.commit()
    return edition


@pytest.fixture()
def make_entries(app, edition, make_user):
    """``make_entries(n, discipline=..., language=...)``: n submitted entries in one class, with identifying names."""
    from competition.models import City, Entry, Pupil, School, SchoolClass

    state = {}

    def _make(n=3, age_group="11-18", discipline="poem", language="en", city_name=NAMES["city"]):
        if "class" not in state:
            teacher = make_user("teacher@example.org", roles=(Role.TEACHER,), name=NAMES["teacher"])
            city = City(name=city_name, country_code="PT")
            school = School(name=NAMES["school"], city=city)
            school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=NAMES["class"],
                                       age_group=age_group, pupil_count=25, language=language)
            school_class.pupils = [Pupil(first_name=f, initial=i, age=a) for f, i, a in NAMES["pupils"]]
            db.session.add(school_class)
            state["class"] = school_class
        category = category_of(edition, age_group, discipline)
        entries = []
        for i in range(n):
            entry = Entry(school_class=state["class"], category=category, title=f"Poem number {i + 1}", language=language,
                          text=f"I am many things.\nLine two of poem {i + 1}.", status="submitted",
                          submitted_at=utcnow() - timedelta(days=2), consent_judging=True, whole_class=True)
            db.session.add(entry)
            entries.append(entry)
        db.session.commit()
        return entries

    return _make


@pytest.fixture()
def make_juror(app, make_user):
    from judging.models import JurorProfile

    def _make(email="juror@example.org", name="Jonas Juror", languages=["en", "fr"], cap=40, final=False, city=None):
        user = make_user(email, roles=(Role.JUROR,), name=name)
        db.session.add(JurorProfile(user_id=user.id, languages=languages, max_entries=cap, final_jury=final,
                                    city_id=city.id if city is not None else None))
        db.session.commit()
        return user

    return _make


@pytest.fixture()
def round1(app, edition):
    from judging.models import Round
    from judging.rubrics.defaults import ensure_rubrics

    ensure_rubrics(edition)
    judging_round = Round(edition=edition, number=1, name="Round 1", jurors_per_entry=3, status="open")
    db.session.add(judging_round)
    db.session.commit()
    return judging_round


@pytest.fixture()
def assign(app):
    """``assign(round, entry, juror)`` creates one assignment directly (not through the algorithm)."""
    from judging.models import Assignment

    def _assign(judging_round, entry, juror, position=0):
        assignment = Assignment(round=judging_round, entry=entry, juror=juror, position=position)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    return _assign


# Shared by the scoring, results and exports tests and the identity-leak tests beside them ----------
@pytest.fixture()
def juror(make_juror):
    return make_juror()


@pytest.fixture()
def as_secretariat(client, sign_in, secretariat):
    return sign_in(client, secretariat)


@pytest.fixture()
def scored(app, make_entries, make_juror, round1):
    """``scored(n, jurors=4, k=3, severities=None)``: n poems, each scored by k jurors (all submitted)."""
    from judging.models import Assignment

    def _scored(n=10, jurors=4, k=3, severities=None, seed=1, discipline="poem"):
        rng = random.Random(seed)
        entries = make_entries(n, discipline=discipline)
        people = [make_juror(f"juror{j}-{discipline}@example.org", name=f"Juror {j}") for j in range(jurors)]
        severities = severities or [0] * jurors
        quality = {e.id: rng.uniform(3, 9) for e in entries}
        for i, entry in enumerate(entries):
            for j in range(k):
                juror_no = (i + j) % jurors
                a = Assignment(round=round1, entry=entry, juror=people[juror_no], position=i)
                db.session.add(a)
                base = quality[entry.id] + severities[juror_no]
                add_scores(a, {key: max(0, min(10, round(base + rng.uniform(-1, 1))))
                               for key in ("relevance", "originality", "expression", "impression")})
        db.session.commit()
        return entries, people

    return _scored


def identifying_jpeg() -> bytes:
    """A drawing whose EXIF carries GPS, the teacher as artist and the city as description."""
    import io

    from PIL import Image

    from demo.files import drawing
    image = Image.open(io.BytesIO(drawing(7, size=(900, 700), exif_gps=True)))
    exif = image.getexif()
    exif[0x013B] = NAMES["teacher"]
    exif[0x010E] = f"{NAMES['class']} {NAMES['city']}"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def identifying_pdf() -> bytes:
    from demo.files import text_pdf
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
