"""The demo: the "More than migrants" edition with its real dates, member cities, schools and accounts."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from accounts.models import Role
from accounts.operations import create_user
from core.db import db

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
# their juror profile by core.demo_judging (JUROR_CITIES) and grants nothing.
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


def load_demo(password: str) -> None:
    from competition.models import AgeGroup, Category, City, CityCoordinator, Discipline, Edition, School

    paris = ZoneInfo("Europe/Paris")
    edition = Edition(
        name="More than migrants",
        theme=THEME,
        deadline_at=datetime(2026, 11, 19, 23, 59, tzinfo=paris),
        deadline_timezone="Europe/Paris",
        results_on=date(2026, 12, 6),
        languages="en,fr,pt,es,it,de,pl,el,hr,no,sv",
        is_current=True,
    )
    for age_group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(
                Category(
                    age_group=age_group.value,
                    discipline=discipline.value,
                    max_entries_per_class=3,
                    max_pdf_pages=1 if discipline is Discipline.ILLUSTRATION else 6,
                )
            )
    db.session.add(edition)
    for name, country, schools in CITIES:
        city = City(name=name, country_code=country)
        city.schools = [School(name=school) for school in schools]
        db.session.add(city)
    db.session.flush()
    users = {email: create_user(name, email, password, roles, language="en", timezone="Europe/Paris")
             for email, name, roles in DEMO_ACCOUNTS}
    db.session.flush()
    for email, city_name in COORDINATED:
        city_id = db.session.scalar(select(City.id).where(City.name == city_name))
        db.session.add(CityCoordinator(user_id=users[email].id, city_id=city_id))
    db.session.flush()

    from core.demo_campaign import load_demo_campaign
    from core.demo_entries import load_demo_entries
    from core.demo_judging import load_demo_judging
    from core.demo_results import load_demo_results

    load_demo_entries()
    load_demo_judging(password)
    load_demo_results()
    load_demo_campaign()
