"""The demo, a playground where every journey can be tried at once, with dates relative to today.

* The current edition, "More than migrants", is open: its deadline is in 12 days (23:59, Paris), so teachers
  can register classes and submit. Its round 1 is open: the jurors have entries left to score.
* The past edition, "More than migrants <last year>", is closed and judged: round 1 closed, every score
  submitted, the awards decided and the results published, so exports, publishing and the personal-data
  purge can be tried at once. Its classes sent typed poems and essays and one drawing each, so the public
  gallery and its cards show pictures.

``now`` is the clock: tests pass their own; the command uses the real time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from accounts.models import Role
from accounts.operations import create_user
from accounts.passwords import hash_password
from core.db import db, utcnow

CITIES = [
    ("Lisbon", "PT", ["Escola Básica Luís de Camões", "Agrupamento de Escolas do Restelo"]),
    ("Barcelona", "ES", ["Escola Sant Martí", "Institut Barri Gòtic"]),
    ("Bilbao", "ES", ["Ikastola Deusto", "Instituto Abando"]),
    ("Reggio Emilia", "IT", ["Scuola Primaria Ariosto", "Liceo Spallanzani"]),
    ("Strasbourg", "FR", ["École du Neudorf", "Collège Jean Monnet"]),
    ("Oslo", "NO", ["Grünerløkka skole", "Tøyen skole"]),
    ("Botkyrka", "SE", ["Tumba skola", "Fittja skola"]),
    ("Dublin", "IE", ["St Patrick's National School", "Liberties College"]),
    ("Limassol", "CY", ["Dimotiko Scholeio Agios Antonios", "Lanitio Gymnasium"]),
    ("Lublin", "PL", ["Szkoła Podstawowa nr 24", "Liceum im. Staszica"]),
    ("Rijeka", "HR", ["Osnovna škola Centar", "Prva riječka hrvatska gimnazija"]),
    ("Ioannina", "GR", ["1st Primary School of Ioannina", "Zosimaia School"]),
]

# email, name, roles; a coordinator's city is an appointment (city_coordinators), a juror's own city is set in
# their juror profile by demo.judging (JUROR_CITIES) and grants nothing.
DEMO_ACCOUNTS = [
    ("secretariat@example.org", "Sofia Secretariat", [Role.SECRETARIAT]),
    ("teacher@example.org", "Tomás Teacher", [Role.TEACHER]),
    ("teacher2@example.org", "Tereza Teacher", [Role.TEACHER]),
    ("coordinator@example.org", "Carla Coordinator", [Role.COORDINATOR]),
    # Two roles: scores blind as a juror, sees Barcelona's named entries as its coordinator, so the assignment
    # never gives them a Barcelona entry.
    ("juror.coordinator@example.org", "Bruno Both", [Role.JUROR, Role.COORDINATOR]),
    ("juror@example.org", "Jonas Juror", [Role.JUROR]),
    ("juror2@example.org", "Julia Juror", [Role.JUROR]),
]
COORDINATED = [("coordinator@example.org", "Lisbon"), ("juror.coordinator@example.org", "Barcelona")]

THEME = (
    "What defines you? Identity, stereotypes and diversity: we are all more than one thing. "
    "Pupils write poems and essays, or draw illustrations, on how we identify, how we break down "
    "stereotypes by getting to know each other, and the diversity advantage of our cities."
)
THEME_FR = (
    "Qu’est-ce qui vous définit ? Identité, stéréotypes et diversité : nous sommes tous plus qu’une seule chose. "
    "Les élèves écrivent des poèmes et des essais, ou dessinent des illustrations, sur la manière dont nous nous "
    "identifions, dont nous dépassons les stéréotypes en apprenant à nous connaître, et sur l’avantage de la "
    "diversité de nos villes."
)


PARIS = ZoneInfo("Europe/Paris")
OPEN_DAYS = 12  # the current edition's deadline, in days from today
RESULTS_AFTER = 17  # results day, in days after the deadline


def _edition(name: str, deadline_day: date, is_current: bool):
    from competition.models import AgeGroup, Category, Discipline, Edition

    edition = Edition(
        name=name,
        theme=THEME,
        theme_fr=THEME_FR,
        deadline_at=datetime.combine(deadline_day, time(23, 59), tzinfo=PARIS),
        deadline_timezone="Europe/Paris",
        results_on=deadline_day + timedelta(days=RESULTS_AFTER),
        languages=["en", "fr", "pt", "es", "it", "de", "pl", "el", "hr", "no", "sv"],
        is_current=is_current,
    )
    for age_group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(
                Category(
                    age_group=age_group,
                    discipline=discipline,
                    max_entries_per_class=3,
                    max_pdf_pages=1 if discipline is Discipline.ILLUSTRATION else 6,
                )
            )
    db.session.add(edition)
    return edition


def demo_dates(now: datetime | None = None) -> dict[str, date]:
    """The demo's days for ``now``: the current edition's deadline and the past edition's (a year earlier)."""
    today = (now or utcnow()).astimezone(PARIS).date()
    deadline = today + timedelta(days=OPEN_DAYS)
    return {"today": today, "deadline": deadline, "past_deadline": deadline - timedelta(days=364)}


def load_demo(password: str, now: datetime | None = None) -> None:
    from competition.models import City, CityCoordinator, School

    now = now or utcnow()
    days = demo_dates(now)
    past = _edition(f"More than migrants {days['past_deadline'].year}", days["past_deadline"], is_current=False)
    _edition("More than migrants", days["deadline"], is_current=True)
    for name, country, schools in CITIES:
        city = City(name=name, country_code=country)
        city.schools = [School(name=school) for school in schools]
        db.session.add(city)
    db.session.flush()
    hashed = hash_password(password)  # one argon2 hash for every demo account (they share the password)
    users = {email: create_user(name, email, password, roles, language="en", timezone="Europe/Paris",
                                password_hash=hashed)
             for email, name, roles in DEMO_ACCOUNTS}
    db.session.flush()
    for email, city_name in COORDINATED:
        city_id = db.session.scalar(select(City.id).where(City.name == city_name))
        db.session.add(CityCoordinator(user_id=users[email].id, city_id=city_id))
    db.session.flush()

    from demo.campaign import load_demo_campaign
    from demo.entries import load_demo_entries
    from demo.judging import load_demo_judging
    from demo.results import load_demo_results, store_demo_rankings

    load_demo_entries()
    load_demo_judging(password, now=now, password_hash=hashed)
    load_demo_judging(password, edition=past, now=now, password_hash=hashed)
    load_demo_results(past, now)
    load_demo_campaign()
    store_demo_rankings()
