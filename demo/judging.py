"""Demo judging: six jurors of different severities, round 1 assigned by the real algorithm, scores.

In the current edition round 1 is open: most assignments have submitted scores, a few are drafts, and
juror@example.org has entries left (some drafts, some not started). In the past edition every score is
submitted and round 1 is closed; demo.results then decides its awards and publishes them.
"""
from __future__ import annotations

import hashlib
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from accounts.models import Role, User
from accounts.operations import create_user
from core.db import db, utcnow

# email, name, languages, severity (added to every score: negative = severe)
JURORS = [
    ("juror@example.org", "Jonas Juror", "en,fr,no", 0.0),
    ("juror.coordinator@example.org", "Bruno Both", "en,fr,es", 0.0),
    ("juror2@example.org", "Julia Juror", "en,fr,pt", 1.0),
    ("juror3@example.org", "Jan Kowalski", "en,fr,pl,pt", -2.0),
    ("juror4@example.org", "Elena Papadopoulou", "en,fr,el,pt", 0.5),
    ("juror5@example.org", "Marta Rossi", "en,fr,it,es,pt", -0.5),
    ("juror6@example.org", "Ingrid Berg", "en,fr,sv,no,pt", 2.0),
]
JUROR_CITIES = {"juror@example.org": "Oslo", "juror2@example.org": "Dublin"}  # profile facts, for conflicts
DRAFTS = 3  # assignments of other jurors left as drafts (current edition)
MAIN_JUROR = "juror@example.org"
MAIN_NOT_STARTED = 3  # juror@example.org's entries not started (current edition)
MAIN_DRAFTS = 2  # and drafts
COMMENTS = ["A clear link to the theme.", "Fresh and personal.", "Some clichés, but sincere.",
            "Carefully made for the age.", "I would like to read more.", "Strong ending."]


# More typed entries, so each poem and essay category has enough to rank and jurors overlap:
# city, school, class name, age group, language; three poems and three essays per class (the class cap).
SAMPLE_CLASSES = [
    ("Barcelona", "Institut Barri Gòtic", "2n ESO A", "11-18", "en"),
    ("Reggio Emilia", "Liceo Spallanzani", "1B", "11-18", "en"),
    ("Dublin", "St Patrick's National School", "4th class", "5-10", "en"),
    ("Lublin", "Szkoła Podstawowa nr 24", "3c", "5-10", "en"),
]
# Last year's edition had classes from other cities, so this year's entries share nothing with its public credits.
PAST_SAMPLE_CLASSES = [
    ("Bilbao", "Instituto Abando", "3º ESO B", "11-18", "en"),
    ("Limassol", "Lanitio Gymnasium", "B2", "11-18", "en"),
    ("Rijeka", "Osnovna škola Centar", "4.a", "5-10", "en"),
    ("Ioannina", "1st Primary School of Ioannina", "E1", "5-10", "en"),
]
SAMPLE_TITLES = ["Two names", "The bus to school", "My grandmother's songs", "A map of us", "Between two languages",
                 "What I carry", "The new pupil", "Colours of the market", "One thing, many things", "Home is a person",
                 "Bread from everywhere", "The football team", "Questions", "I am not a label", "The window",
                 "Our street speaks", "The suitcase", "Snow and sun", "Friends on the map", "Welcome words",
                 "The long table", "My city, your city", "Small words", "Where I am from"]


# Last year's illustrations, one a class: its published gallery and its cards show drawings.
PAST_DRAWINGS = ["Hands across the sea", "Our street in colours", "The bridge", "Everyone's table"]


def _sample_entries(edition, rng, submitted_at, sample_classes=SAMPLE_CLASSES, drawings=()) -> None:
    from competition.models import City, Entry, EntryFile, Pupil, School, SchoolClass
    from competition.uploads.pipeline import clean_upload
    from core.files import get_storage
    from demo.files import drawing

    teacher = db.session.scalar(select(User).where(User.email == "teacher2@example.org"))
    titles = iter(SAMPLE_TITLES)
    for n_class, (city_name, school_name, class_name, age_group, language) in enumerate(sample_classes):
        school = db.session.scalar(select(School).join(City).where(City.name == city_name, School.name == school_name))
        ages = range(11, 15) if age_group == "11-18" else range(7, 11)
        school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=class_name, age_group=age_group,
                                   pupil_count=20, language=language)
        school_class.pupils = [Pupil(first_name=f"Pupil {n + 1}", initial="", age=rng.choice(ages)) for n in range(3)]
        db.session.add(school_class)
        for discipline in ("poem", "essay"):
            category = next(c for c in edition.categories if c.age_group == age_group and c.discipline == discipline)
            for n in range(3):
                title = next(titles, f"Untitled {n}")
                db.session.add(Entry(
                    school_class=school_class, category=category, title=title, language=language, whole_class=True,
                    text=f"{title}.\nWe are all more than one thing.", status="submitted", submitted_at=submitted_at,
                    consent_judging=True, consent_publication=True))
        if n_class < len(drawings):  # cleaned by the uploads' own pipeline, as a teacher's upload is
            picture = drawing(20 + n_class, size=(1200, 900))
            cleaned = clean_upload(picture, {"image"})
            storage = get_storage()
            original_key, cleaned_key = storage.put(picture), storage.put(cleaned.cleaned)
            category = next(c for c in edition.categories if c.age_group == age_group and c.discipline == "illustration")
            illustration = Entry(
                school_class=school_class, category=category, title=drawings[n_class], language="", whole_class=True,
                text="", status="submitted", submitted_at=submitted_at, consent_judging=True, consent_publication=True)
            illustration.files.append(EntryFile(
                purpose="work", kind="image", original_name="drawing.jpg", original_key=original_key,
                original_size=len(picture), cleaned_key=cleaned_key, cleaned_mime=cleaned.cleaned_mime,
                cleaned_ext=cleaned.cleaned_ext, web_key=storage.put(cleaned.web) if cleaned.web else None,
                width=cleaned.width, height=cleaned.height))
            db.session.add(illustration)
    db.session.flush()


def load_demo_judging(password: str, seed: int = 2026, edition=None, now=None, password_hash: str | None = None) -> None:
    """Round 1 of ``edition`` (default: the current one, left open); a past edition's round is closed and complete."""
    from competition.models import City, Edition, Entry, EntryStatus
    from judging.aggregation.methods import Criterion as AggCriterion
    from judging.aggregation.methods import weighted_total
    from judging.assignment.assign import EntrySpec, JurorSpec, assign
    from judging.assignment.service import conflicted_jurors, place
    from judging.jury.reach import reach_of
    from judging.models import Assignment, JurorProfile, Round, RoundStatus, ScoreSet, ScoreStatus, ScoreValue
    from judging.rubrics.defaults import ensure_rubrics

    rng = random.Random(seed)
    edition = edition or Edition.current()
    past = not edition.is_current
    scored_at = edition.deadline_at + timedelta(days=5) if past else (now or utcnow())
    severity = {}
    specs = []
    profiles = []
    main_juror = None
    for email, name, languages, bias in JURORS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(name, email, password, [Role.JUROR], language="en", timezone="Europe/Paris",
                               password_hash=password_hash)
            db.session.flush()
        profile = db.session.get(JurorProfile, user.id)  # one profile per juror, across editions
        if profile is None:
            city_id = db.session.scalar(select(City.id).where(City.name == JUROR_CITIES[email])) if email in JUROR_CITIES else None
            profile = JurorProfile(user_id=user.id, languages=languages.split(","), max_entries=40, city_id=city_id)
            db.session.add(profile)
        profiles.append(profile)
        if email == MAIN_JUROR:
            main_juror = user.id
        severity[user.id] = bias
        specs.append(JurorSpec(id=user.id, languages=frozenset(languages.split(",")), cap=40))
    rubrics = {r.category_id: r for r in ensure_rubrics(edition)}
    if past:
        _sample_entries(edition, rng, edition.deadline_at - timedelta(days=3), PAST_SAMPLE_CLASSES, PAST_DRAWINGS)
    else:
        _sample_entries(edition, rng, now or utcnow())
    db.session.flush()

    entries = db.session.scalars(select(Entry).join(Entry.category).where(
        Entry.status == EntryStatus.SUBMITTED, Entry.category.has(edition_id=edition.id)).order_by(Entry.id)).all()
    reach = reach_of(profiles)  # own city, coordinated city: never assigned (juror_reach)
    entry_specs = [EntrySpec(id=e.id, category=str(e.category_id), languages=frozenset(
        [] if e.category.discipline == "illustration" else [e.language] + ([e.translation_language] if e.translation_language else [])),
        conflicts=conflicted_jurors(e, profiles, reach))
        for e in entries]
    # The demo is the same at every load (its scores, rankings and final-round proposals too): its rounds' secret
    # order key comes from the seed, not from secrets.token_hex as a real round's does. Which of the main juror's
    # entries are left unscored is the first of their list, so a random key changed every ranking after it.
    secret = hashlib.sha256(f"demo order {seed} {edition.name}".encode()).hexdigest()
    judging_round = Round(edition=edition, number=1, name="Round 1", jurors_per_entry=3,
                          status=(RoundStatus.CLOSED if past else RoundStatus.OPEN).value,
                          seed=seed, order_secret=secret)
    db.session.add(judging_round)
    result = assign(entry_specs, specs, k=3, seed=seed, mode="partial")
    assignments = [Assignment(round=judging_round, entry_id=e, juror_id=j) for e, j in result.pairs]
    db.session.add_all(assignments)
    place(judging_round, assignments)  # the round's secret order

    quality = {e.id: rng.uniform(3.5, 8.5) for e in entries}
    by_id = {e.id: e for e in entries}
    others = [n for n, a in enumerate(assignments) if a.juror_id != main_juror]
    drafts = set() if past else set(rng.sample(others, min(DRAFTS, len(others))))
    not_started = set()
    if not past:  # juror@example.org has work left: the first entries of their list not started, then drafts
        mine = sorted((a.position, n) for n, a in enumerate(assignments) if a.juror_id == main_juror)
        not_started = {n for _p, n in mine[:MAIN_NOT_STARTED]}
        drafts |= {n for _p, n in mine[MAIN_NOT_STARTED:MAIN_NOT_STARTED + MAIN_DRAFTS]}
    for n, a in enumerate(assignments):
        if n in not_started:
            continue
        rubric = rubrics[by_id[a.entry_id].category_id]
        values = {c.key: int(max(0, min(10, round(quality[a.entry_id] + severity[a.juror_id] + rng.gauss(0, 0.9)))))
                  for c in rubric.criteria}
        draft = n in drafts
        crit = [AggCriterion(c.key, float(c.weight), float(c.scale_min), float(c.scale_max)) for c in rubric.criteria]
        score_set = ScoreSet(assignment=a, rubric_id=rubric.id,
                             status=ScoreStatus.DRAFT if draft else ScoreStatus.SUBMITTED,
                             overall_comment=rng.choice(COMMENTS),
                             total=None if draft else Decimal(str(round(weighted_total(crit, values), 4))),
                             submitted_at=None if draft else scored_at)
        score_set.values = [ScoreValue(criterion_id=c.id, value=Decimal(values[c.key]),
                                       comment=rng.choice(COMMENTS) if rng.random() < 0.4 else "")
                            for c in rubric.criteria]
        db.session.add(score_set)
    db.session.flush()
