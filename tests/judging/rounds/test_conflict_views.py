"""A juror's conflicts of interest: cities, schools, and "I know this work"."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import Role
from core.db import db
from judging.assignment import service
from judging.models import Assignment, Conflict
from tests.judging.rounds.assignments import count_assignments, pairs


def test_juror_declares_a_city_and_a_school_and_deletes_one(round1, make_entries, make_juror, client, sign_in, post):
    entry = make_entries(1)[0]
    school = entry.school_class.school
    juror = make_juror()
    sign_in(client, juror)
    page = client.get("/judging/conflicts").get_data(as_text=True)
    assert "Lisbon" in page and school.name in page
    for secret in (entry.title, entry.reference, "Amira", "Tina Marquez"):
        assert secret not in page
    assert post("/judging/conflicts", {"city-city": str(school.city_id), "city-csrf_token": _token(client)}
                ).status_code == 302
    assert post("/judging/conflicts", {"school-school": str(school.id), "school-csrf_token": _token(client)}
                ).status_code == 302
    kinds = sorted(c.kind for c in db.session.scalars(select(Conflict)))
    assert kinds == ["city", "school"]
    city_conflict = db.session.scalar(select(Conflict).where(Conflict.kind == "city"))
    assert post(f"/judging/conflicts/{city_conflict.id}/delete").status_code == 302
    assert [c.kind for c in db.session.scalars(select(Conflict))] == ["school"]


def _token(client):
    from tests.clients import csrf_token_of

    return csrf_token_of(client)


def test_unknown_city_is_refused_with_a_message(round1, make_juror, client, sign_in, post):
    sign_in(client, make_juror())
    response = post("/judging/conflicts", {"city-city": "99999", "city-csrf_token": _token(client)})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_declaring_a_city_moves_the_jurors_entries_at_the_secretariats_reassignment(
        round1, make_entries, jurors, client, sign_in, post):
    entries = make_entries(2)
    team = jurors(4)
    service.run_assignment(round1)
    db.session.commit()
    leaving = team[0]
    before = pairs(round1.id)
    assert leaving.id in {j for _, j in before}
    sign_in(client, leaving)
    post("/judging/conflicts", {"city-city": str(entries[0].school_class.school.city_id),
                                "city-csrf_token": _token(client)})
    db.session.expire_all()
    assert pairs(round1.id) == before  # nothing at once: the declaration waits for the secretariat
    service.reassign(round1)
    db.session.commit()
    got = pairs(round1.id)
    assert leaving.id not in {j for _, j in got} and len(got) == 6


def test_i_know_this_work_removes_the_assignment_and_the_secretariat_refills(round1, make_entries, jurors, client,
                                                                            sign_in, post):
    entry = make_entries(1)[0]
    team = jurors(4)
    service.run_assignment(round1)
    db.session.commit()
    mine = db.session.scalar(select(Assignment).where(Assignment.juror_id.in_([j.id for j in team])))
    juror_id, code = mine.juror_id, mine.code
    sign_in(client, next(j for j in team if j.id == juror_id))
    response = post("/judging/conflicts/entry", {"code": code}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "taken off your list" in page
    for secret in (entry.title, entry.reference, "Lisbon"):
        assert secret not in page
    db.session.expire_all()
    conflict = db.session.scalar(select(Conflict))
    assert (conflict.kind, conflict.entry_id, conflict.juror_id) == ("entry", entry.id, juror_id)
    assert len(pairs(round1.id)) == 2  # only the work the juror named left; the slot waits for the secretariat
    service.reassign(round1)
    db.session.commit()
    got = pairs(round1.id)
    assert (entry.id, juror_id) not in got and len(got) == 3


def test_i_know_this_work_keeps_a_submitted_score(round1, make_entries, make_juror, assign, score, client, sign_in,
                                                  post):
    entry = make_entries(1)[0]
    juror = make_juror()
    assignment = assign(round1, entry, juror)
    score(assignment, "submitted")
    sign_in(client, juror)
    post("/judging/conflicts/entry", {"code": assignment.code})
    assert count_assignments() == 1 and db.session.scalar(select(Conflict)) is not None


def test_code_of_another_juror_is_404(round1, make_entries, make_juror, assign, client, sign_in, post):
    entry = make_entries(1)[0]
    owner = make_juror("owner@example.org")
    other = make_juror("other@example.org", name="Other")
    assignment = assign(round1, entry, owner)
    sign_in(client, other)
    assert post("/judging/conflicts/entry", {"code": assignment.code}).status_code == 404
    assert post("/judging/conflicts/entry", {"code": "NOSUCHCODE"}).status_code == 404
    assert count_assignments() == 1 and db.session.scalar(select(Conflict)) is None


def test_entry_conflict_needs_csrf(round1, make_entries, make_juror, assign, client, sign_in):
    entry = make_entries(1)[0]
    juror = make_juror()
    assignment = assign(round1, entry, juror)
    sign_in(client, juror)
    assert client.post("/judging/conflicts/entry", data={"code": assignment.code}).status_code == 400
    assert count_assignments() == 1


def test_teacher_cannot_reach_conflict_pages(round1, make_user, client, sign_in, post):
    sign_in(client, make_user())
    assert client.get("/judging/conflicts").status_code == 404
    assert post("/judging/conflicts/entry", {"code": "X"}).status_code == 404


def test_juror_cannot_delete_another_jurors_conflict(round1, make_entries, make_juror, client, sign_in, post):
    entry = make_entries(1)[0]
    owner = make_juror("owner@example.org")
    db.session.add(Conflict(juror_id=owner.id, kind="city", city_id=entry.school_class.school.city_id))
    db.session.commit()
    conflict = db.session.scalar(select(Conflict))
    sign_in(client, make_juror("other@example.org", name="Other"))
    assert post(f"/judging/conflicts/{conflict.id}/delete").status_code == 404


def test_the_juror_who_takes_over_is_told(round1, make_entries, jurors, client, sign_in, post, outbox, make_user):
    make_entries(1)
    team = jurors(4)
    service.run_assignment(round1)
    db.session.commit()
    mine = db.session.scalar(select(Assignment))
    taken = {a.juror_id for a in db.session.scalars(select(Assignment))}
    sign_in(client, next(j for j in team if j.id == mine.juror_id))
    post("/judging/conflicts/entry", {"code": mine.code})
    assert outbox() == []
    secretariat = make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sam Secretariat")
    sign_in(client, secretariat)
    post(f"/judging/rounds/{round1.id}/reassign")
    (spare,) = [j for j in team if j.id not in taken]
    assert [m["To"] for m in outbox()] == [spare.email]
