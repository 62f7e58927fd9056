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

DEMO_ACCOUNTS = [
    ("secretariat@example.org", "Sofia Secretariat", [Role.SECRETARIAT], None),
    ("teacher@example.org", "Tomás Teacher", [Role.TEACHER], "Lisbon"),
    ("teacher2@example.org", "Tereza Teacher", [Role.TEACHER], "Strasbourg"),
    ("juror@example.org", "Jonas Juror", [Role.JUROR], "Oslo"),
    ("juror2@example.org", "Julia Juror", [Role.JUROR], "Dublin"),
]

THEME = (
    "What defines you? Identity, stereotypes and diversity: we are all more than one thing. "
    "Pupils write poems and essays, or draw illustrations, on how we identify, how we break down "
    "stereotypes by getting to know each other, and the diversity advantage of our cities."
)


def load_demo(password: str) -> None:
    from competition.models import AgeGroup, Category, City, Discipline, Edition, School

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
    for email, name, roles, city_name in DEMO_ACCOUNTS:
        user = create_user(name, email, password, roles, language="en", timezone="Europe/Paris")
        if city_name:
            user.city_id = db.session.scalar(select(City.id).where(City.name == city_name))
    db.session.flush()

    from core.demo_entries import load_demo_entries
    from core.demo_judging import load_demo_judging
    from core.demo_results import load_demo_results

    load_demo_entries()
    load_demo_judging(password)
    load_demo_results()
    _store_rankings()


def _store_rankings() -> None:
    """The rankings the queue would have stored as the demo's scores came in (judging/results_store.py)."""
    from sqlalchemy import select

    from judging import results_store
    from judging.models import Round

    db.session.flush()
    for judging_round in db.session.scalars(select(Round)):
        for category in judging_round.edition.categories:
            results_store.recompute(judging_round, category)
