"""Factories for entries: an open edition, a city, a school, a class with pupils."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from accounts.models import Role
from core.db import db, utcnow
from tests.clients import client_for


@pytest.fixture()
def edition(app):
    from competition.models import AgeGroup, Category, Discipline, Edition

    edition = Edition(name="More than migrants", theme="Identity", deadline_at=utcnow() + timedelta(days=3),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr", "pt"], is_current=True)
    for group in AgeGroup:
        for discipline in Discipline:
            edition.categories.append(Category(age_group=group.value, discipline=discipline.value, max_entries_per_class=2,
                                               max_pdf_pages=1 if discipline is Discipline.ILLUSTRATION else 4))
    db.session.add(edition)
    db.session.commit()
    return edition


@pytest.fixture()
def make_class(app, edition, make_user):
    from competition.models import City, Pupil, School, SchoolClass

    def _make(teacher=None, city_name="Lisbon", school_name="Escola Básica Camões", name="6B", age_group="11-18",
              pupils=(("Amira", "K", 12), ("Jonas", "", 12))):
        teacher = teacher or make_user("teacher@example.org", roles=(Role.TEACHER,), name="Tina Marquez")
        city = db.session.query(City).filter_by(name=city_name).one_or_none() or City(name=city_name, country_code="PT")
        school = School(name=school_name, city=city)
        school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=name, age_group=age_group,
                                   pupil_count=25, language="pt")
        school_class.pupils = [Pupil(first_name=f, initial=i, age=a) for f, i, a in pupils]
        db.session.add(school_class)
        db.session.commit()
        return school_class

    return _make


@pytest.fixture()
def school_class(make_class):
    return make_class()


@pytest.fixture()
def draft(post, login, school_class):
    """A poem draft made through the web, by the class's teacher."""
    from competition.models import Entry

    login("teacher@example.org")
    response = post(f"/competition/classes/{school_class.id}/entries/new",
                    {"discipline": "poem", "title": "Many things", "language": "pt", "whole_class": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.query(Entry).one()


def pdf_bytes(text="A poem about many things", author=None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if author:
        writer.add_metadata({"/Author": author})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture()
def secretariat(app, make_user):
    """A secretariat member signed in: a test client (overrides the plugin's user fixture in this folder)."""
    make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sofia Sec")
    return client_for(app, "sec@example.org")
