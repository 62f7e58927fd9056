"""Roles never mix: scope comes from appointments, and what a juror sees under another role is a conflict."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import Role
from core.db import db
from judging.assignment import service
from tests.clients import csrf_token_of
from tests.judging.rounds.assignments import pairs
from tests.judging.rounds.places import make_class, network


def add_juror_role(user, city=None):
    from judging.models import JurorProfile

    user.add_role(Role.JUROR)
    db.session.add(JurorProfile(user_id=user.id, languages=["en", "fr"], max_entries=40,
                                city_id=city.id if city is not None else None))
    db.session.commit()
    return user


def appoint(user, city):
    from competition.models import CityCoordinator

    db.session.add(CityCoordinator(user_id=user.id, city_id=city.id))
    db.session.commit()


def entries_of(*places):
    from competition.models import Entry, School, SchoolClass

    ids = set()
    for place in places:
        query = select(Entry.id).join(SchoolClass).join(School)
        query = query.where(School.city_id == place.id) if hasattr(place, "country_code") else (
            query.where(School.id == place.id))
        ids |= set(db.session.scalars(query))
    return ids


def given_to(judging_round, user) -> set[int]:
    return {e for e, j in pairs(judging_round.id) if j == user.id}


def test_juror_coordinator_changing_the_profile_city_gets_no_new_access(
        edition, round1, make_user, client, sign_in, post):
    places = network(edition, make_user)
    both = make_user("both@example.org", roles=(Role.COORDINATOR,), name="Bruno Both")
    add_juror_role(both, city=places["lisbon"])
    appoint(both, places["lisbon"])
    sign_in(client, both)
    porto_class = places["classes"]["Escola Ribeira"]
    lisbon_class = places["classes"]["Escola Camões"]
    assert client.get(f"/competition/classes/{lisbon_class.id}").status_code == 200  # the appointment's city
    assert client.get(f"/competition/classes/{porto_class.id}").status_code == 404
    form = client.get("/judging/profile").get_data(as_text=True)
    assert 'name="city_id"' in form
    response = post("/judging/profile", {"languages": "en", "city_id": str(places["porto"].id), "country_code": "PT"})
    assert response.status_code == 302
    db.session.expire_all()
    from judging.models import JurorProfile

    assert db.session.get(JurorProfile, both.id).city_id == places["porto"].id  # the fact is saved ...
    assert client.get(f"/competition/classes/{porto_class.id}").status_code == 404  # ... and grants nothing
    for entry in porto_class.entries:
        assert client.get(f"/competition/entries/{entry.id}").status_code == 404
    listing = client.get(f"/competition/entries/?city={places['porto'].id}").get_data(as_text=True)
    assert "C2 poem" not in listing and "Escola Ribeira" not in listing
    assert "C0 poem" in client.get("/competition/entries/").get_data(as_text=True)


def test_a_coordinator_role_without_an_appointment_sees_no_city(edition, make_user, client, sign_in):
    places = network(edition, make_user)
    coordinator = make_user("coord@example.org", roles=(Role.COORDINATOR,), name="Carla Coordinator")
    sign_in(client, coordinator)
    assert client.get(f"/competition/classes/{places['classes']['Escola Camões'].id}").status_code == 404
    assert "C0 poem" not in client.get("/competition/entries/").get_data(as_text=True)


def test_juror_teacher_is_never_given_their_schools_entries(edition, round1, make_user, make_juror):
    places = network(edition, make_user)
    teacher = db.session.get(type(places["classes"]["Escola Camões"].teacher), places["classes"]["Escola Camões"].teacher_id)
    add_juror_role(teacher)
    # A colleague's class in the same school: the teacher knows that school, so it is theirs too.
    colleague = make_user("colleague@example.org", roles=(Role.TEACHER,), name="Colleague")
    make_class(edition, colleague, places["camoes"], name="C9")
    for i in range(3):
        make_juror(f"j{i}@example.org", name=f"Juror {i}")
    assert service.run_assignment(round1).complete
    db.session.commit()
    given = given_to(round1, teacher)
    assert given, "the teacher-juror scores other schools' entries"
    assert not given & entries_of(places["camoes"])


def test_juror_coordinator_is_never_given_their_citys_entries(edition, round1, make_user, make_juror):
    places = network(edition, make_user)
    both = make_user("both@example.org", roles=(Role.COORDINATOR,), name="Bruno Both")
    add_juror_role(both)
    appoint(both, places["porto"])
    for i in range(3):
        make_juror(f"j{i}@example.org", name=f"Juror {i}")
    assert service.run_assignment(round1).complete
    db.session.commit()
    given = given_to(round1, both)
    assert given and not given & entries_of(places["porto"])


def test_an_appointment_after_the_assignment_takes_effect_at_the_next_reassignment(
        edition, round1, make_user, make_juror):
    places = network(edition, make_user)
    both = make_user("both@example.org", roles=(Role.COORDINATOR,), name="Bruno Both")
    add_juror_role(both)
    for i in range(3):
        make_juror(f"j{i}@example.org", name=f"Juror {i}")
    assert service.run_assignment(round1).complete
    db.session.commit()
    assert given_to(round1, both) & entries_of(places["lisbon"])
    appoint(both, places["lisbon"])
    service.reassign(round1)
    db.session.commit()
    assert not given_to(round1, both) & entries_of(places["lisbon"])


def test_juror_secretariat_is_given_nothing(edition, round1, make_user, make_juror):
    network(edition, make_user)
    staff = make_user("staff@example.org", roles=(Role.SECRETARIAT,), name="Sam Staff")
    add_juror_role(staff)
    for i in range(3):
        make_juror(f"j{i}@example.org", name=f"Juror {i}")
    assert service.run_assignment(round1).complete
    db.session.commit()
    assert given_to(round1, staff) == set()


def test_the_secretariat_appoints_through_the_city_page_only(edition, make_user, client, sign_in):
    places = network(edition, make_user)
    both = make_user("both@example.org", roles=(Role.COORDINATOR, Role.JUROR), name="Bruno Both")
    sign_in(client, both)
    token = csrf_token_of(client)
    response = client.post(f"/competition/admin/cities/{places['porto'].id}/coordinators",
                           data={"email": "both@example.org", "csrf_token": token})
    assert response.status_code == 404
    from competition.models import CityCoordinator

    assert db.session.scalar(select(CityCoordinator)) is None
