"""The leak crawl and the file check, run as users with several roles over the whole demo.

The demo plants names everywhere: pupils, teachers, schools, classes and cities in every field, and in the
files' hidden data (EXIF Artist and GPS, PDF /Info, a photo inside a PDF). Bruno Both is a demo juror who
coordinates Barcelona; here Tomás Teacher (whose class 6B is in the demo) also becomes a juror, and the
secretariat's assignment of a final round gives him entries. Neither may reach a name, nor be given an entry they can see
under their other role.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from tests.judging import test_identity_leak as leak
from tests.judging import test_identity_leak_files as files

VARIANTS = ("cleaned", "web", "translation")


@pytest.fixture()
def demo_with_roles(app, monkeypatch):
    from competition.models import Category, Edition, Entry, SchoolClass
    from demo.build import load_demo
    from judging.assignment import service
    from judging.models import JurorProfile, Round, ShortlistEntry

    load_demo("demo password for tests")
    db.session.commit()
    teacher = User.by_email("teacher@example.org")
    teacher.add_role(Role.JUROR)
    db.session.add(JurorProfile(user_id=teacher.id, languages=["en", "fr", "pt", "es"]))
    db.session.flush()
    for profile in db.session.scalars(select(JurorProfile)):
        profile.final_jury, profile.max_entries = True, 1000
    # A final round over every submitted entry, assigned by the real service, so both get entries to score.
    current = Edition.current()  # last year's edition is published: its public credits are not this crawl's needles
    first = db.session.scalar(select(Round).where(Round.edition_id == current.id, Round.number == 1))
    final = Round(edition_id=first.edition_id, number=2, name="Final", jurors_per_entry=2, status="open")
    db.session.add(final)
    db.session.flush()
    db.session.add_all(ShortlistEntry(round_id=final.id, entry_id=e) for e in db.session.scalars(
        select(Entry.id).join(Category).where(Entry.status == "submitted", Category.edition_id == current.id)))
    db.session.flush()
    assert service.run_assignment(final).complete
    db.session.commit()
    names = set(files.PLANTED_IN_FILES)
    for school_class in db.session.scalars(select(SchoolClass).join(Entry).where(
            SchoolClass.edition_id == current.id).distinct()):
        names.update(p.first_name for p in school_class.pupils)
        names.update({school_class.teacher.name, school_class.teacher.name.split()[0], school_class.school.name,
                      school_class.name, school_class.school.city.name})
    return {"users": [User.by_email("juror.coordinator@example.org"), teacher],
            "names": sorted({leak.fold(n) for n in names if len(n) >= 2})}


def seen_under_other_role(user) -> set[int]:
    """Entries the user can see as coordinator (appointed cities) or teacher (own schools)."""
    from competition.models import CityCoordinator, Entry, School, SchoolClass

    cities = set(db.session.scalars(select(CityCoordinator.city_id).where(CityCoordinator.user_id == user.id)))
    schools = set(db.session.scalars(select(SchoolClass.school_id).where(SchoolClass.teacher_id == user.id)))
    return set(db.session.scalars(select(Entry.id).join(SchoolClass).join(School).where(
        School.city_id.in_(cities) | School.id.in_(schools))))


def test_multi_role_jurors_reach_no_name_and_get_nothing_they_see_elsewhere(app, demo_with_roles, sign_in,
                                                                            monkeypatch):
    from judging.models import Assignment, Round

    for user in demo_with_roles["users"]:
        assert len(user.role_set) == 2, user.email
        rows = db.session.execute(select(Assignment.code, Assignment.entry_id).join(Round).where(
            Assignment.juror_id == user.id, Round.status == "open")).all()  # last year's closed round is not listed
        assert rows, f"{user.email} has nothing to score"
        elsewhere = seen_under_other_role(user)
        assert elsewhere, f"{user.email} sees no entry under the other role: the test would prove nothing"
        assert not {e for _c, e in rows} & elsewhere, f"{user.email} was given entries they see by name"
        # The user's own name greets them in the header: it is theirs, not an entry's.
        own = {leak.fold(user.name), leak.fold(user.name.split()[0])}
        needles = [n for n in demo_with_roles["names"] if n not in own]
        monkeypatch.setattr(leak, "needles", lambda needles=needles: needles)
        client = sign_in(app.test_client(), user)
        codes = {c for c, _e in rows}
        seen = leak.crawl(client, codes, other_roles=True)
        assert all(seen[f"/judging/entries/{code}"] == 200 for code in codes), user.email
        for code in codes:
            for variant in VARIANTS:
                response = client.get(f"/judging/entries/{code}/file/{variant}")
                if response.status_code == 404:
                    continue
                where = f"{user.email} {code} {variant}"
                data = response.get_data()
                if response.mimetype == "application/pdf":
                    files.check_pdf(where, data, needles)
                elif response.mimetype.startswith("image/"):
                    files.assert_bare_picture(where, data, needles)
                else:
                    assert not files.names_in_text(data.decode("utf-8"), needles), where
