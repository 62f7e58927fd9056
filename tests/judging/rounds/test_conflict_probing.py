"""Conflict declarations are not an oracle; "I know this work" is refused once the round is closed.

A juror who declares a city, compares their list and withdraws the declaration learns nothing: the list is
identical throughout. At the secretariat's next reassignment every unstarted entry of theirs is given out
again, so the entries that left are not the ones the declaration matched.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from core.db import db
from judging.assignment import service
from tests.clients import csrf_token_of, without_tokens
from tests.judging.rounds.assignments import pairs
from tests.judging.rounds.places import network


def listed(client) -> list[str]:
    page = client.get("/judging/entries").get_data(as_text=True)
    return re.findall(r'<a class="code" href="/judging/entries/([A-Z0-9]+)"', page)


def page_of(client, code) -> str:
    return without_tokens(client.get(f"/judging/entries/{code}").get_data(as_text=True))


def test_declare_compare_undeclare_leaves_the_list_identical(edition, round1, make_user, make_juror, client, sign_in):
    from judging.models import Conflict

    places = network(edition, make_user)
    team = [make_juror(f"j{i}@example.org", name=f"Juror {i}") for i in range(4)]
    assert service.run_assignment(round1).complete
    db.session.commit()
    prober = team[0]
    sign_in(client, prober)
    before = listed(client)
    pages = {code: page_of(client, code) for code in before}
    assert len(before) >= 3
    for place, field in ((places["lisbon"], "city"), (places["camoes"], "school")):
        token = csrf_token_of(client)
        response = client.post("/judging/conflicts", data={f"{field}-{field}": str(place.id),
                                                            f"{field}-csrf_token": token})
        assert response.status_code == 302
        assert listed(client) == before
        assert {code: page_of(client, code) for code in before} == pages  # progress, neighbours: all the same
        conflict = db.session.scalar(select(Conflict).where(Conflict.juror_id == prober.id))
        client.post(f"/judging/conflicts/{conflict.id}/delete", data={"csrf_token": csrf_token_of(client)})
        assert db.session.scalar(select(Conflict)) is None
        assert listed(client) == before


def test_the_reassignment_renews_every_unstarted_entry_not_just_the_matched_ones(
        edition, round1, make_user, make_juror, client, sign_in, score):
    from judging.models import Assignment

    places = network(edition, make_user)  # 6 poems in Lisbon, 3 in Porto
    # Caps that add up to exactly 9 x 3 slots: the prober gets all nine entries.
    prober = make_juror("prober@example.org", name="Prober", cap=9)
    for i in range(3):
        make_juror(f"j{i}@example.org", name=f"Juror {i}", cap=6)
    assert service.run_assignment(round1).complete
    db.session.commit()
    mine = list(db.session.scalars(select(Assignment).where(Assignment.juror_id == prober.id).order_by(Assignment.id)))
    assert len(mine) == 9
    make_juror("spare@example.org", name="Spare", cap=9)  # joins later: room to take what the prober releases
    started = next(a for a in mine if a.entry.school_class.school.city_id == places["lisbon"].id)
    score(started, "draft")
    sign_in(client, prober)
    before = set(listed(client))
    client.post("/judging/conflicts", data={"city-city": str(places["porto"].id),
                                            "city-csrf_token": csrf_token_of(client)})
    assert set(listed(client)) == before
    service.reassign(round1)
    db.session.commit()
    # Every unstarted entry left, the five Lisbon ones the declaration did not match as well as Porto's three.
    assert set(listed(client)) == {started.code}
    assert {e for e, j in pairs(round1.id) if j == prober.id} == {started.entry_id}
    assert len(pairs(round1.id)) == 27


def test_i_know_this_work_is_refused_on_a_closed_round(round1, make_entries, make_juror, assign, client, sign_in):
    from judging.models import Assignment, Conflict

    entry = make_entries(1)[0]
    juror = make_juror()
    assignment = assign(round1, entry, juror)
    sign_in(client, juror)
    assert "I know this work" in client.get(f"/judging/entries/{assignment.code}").get_data(as_text=True)
    round1.status = "closed"
    db.session.commit()
    page = client.get(f"/judging/entries/{assignment.code}").get_data(as_text=True)
    assert "I know this work" not in page
    response = client.post("/judging/conflicts/entry", data={"code": assignment.code,
                                                             "csrf_token": csrf_token_of(client)},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Scoring for this round is closed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Conflict)) is None
    assert db.session.scalar(select(Assignment.code)) == assignment.code


def test_a_small_jury_gets_the_unmatched_entries_back_under_new_codes(
        edition, round1, make_user, make_juror, client, sign_in):
    """Three jurors for k = 3: nobody else can take the released entries, so the prober gets the ones the
    declaration did not match back; still every code changes, and no entry is left short but the matched."""
    places = network(edition, make_user)
    prober = make_juror("prober@example.org", name="Prober", cap=9)
    for i in range(2):
        make_juror(f"j{i}@example.org", name=f"Juror {i}", cap=9)
    assert service.run_assignment(round1).complete
    db.session.commit()
    sign_in(client, prober)
    before = set(listed(client))
    assert len(before) == 9
    client.post("/judging/conflicts", data={"city-city": str(places["porto"].id),
                                            "city-csrf_token": csrf_token_of(client)})
    outcome = service.reassign(round1)
    db.session.commit()
    after = set(listed(client))
    assert len(after) == 6 and not after & before  # Lisbon's six, all under new codes
    porto = {e.id for e in places["classes"]["Escola Ribeira"].entries}  # Porto's only class
    assert not {e for e, j in pairs(round1.id) if j == prober.id} & porto
    assert set(outcome.result.unassigned) == porto  # only Porto's entries lack their third juror
