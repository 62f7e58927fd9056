"""The assignment service: from the database to the algorithm and back, all or nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import db
from judging.assignment import service
from judging.models import Assignment, Conflict, JurorProfile, order_key
from tests.judging.rounds.assignments import count_assignments, pairs


def test_assignment_gives_every_entry_k_distinct_jurors_with_shuffled_positions(round1, make_entries, jurors):
    entries = make_entries(6)
    jurors(4)
    outcome = service.run_assignment(round1)
    db.session.commit()
    assert outcome.complete and len(outcome.created) == 18
    for entry in entries:
        assert len({j for e, j in pairs(round1.id) if e == entry.id}) == 3
    positions = {}
    for a in db.session.scalars(select(Assignment)):
        positions.setdefault(a.juror_id, []).append(a.position)
    # Each place is the keyed hash of the id with the round's secret (test_juror_order checks the statistics).
    assert all(a.position == order_key(round1.order_secret, a.id) for a in db.session.scalars(select(Assignment)))
    assert all(len(set(p)) == len(p) for p in positions.values())


def test_too_few_jurors_saves_nothing_and_explains(round1, make_entries, jurors, make_juror):
    entries = make_entries(2)
    jurors(2)
    city = entries[0].school_class.school.city
    make_juror("local@example.org", name="Local Juror", city=city)
    before = count_assignments()
    outcome = service.run_assignment(round1)
    db.session.flush()
    assert not outcome.complete
    assert count_assignments() == before == 0
    problem = outcome.result.problems[0]
    assert problem.code == "too_few_eligible_jurors"
    assert problem.params["excluded_conflict"] == 1 and problem.params["eligible"] == 2


def test_same_seed_gives_the_same_assignment(round1, make_entries, jurors):
    make_entries(8)
    jurors(6)
    service.run_assignment(round1)
    db.session.commit()
    first = pairs(round1.id)
    db.session.query(Assignment).delete()
    db.session.commit()
    service.run_assignment(round1)
    db.session.commit()
    assert pairs(round1.id) == first


@pytest.mark.parametrize("kind", ["city", "school", "entry", "home_city"])
def test_conflicted_juror_is_never_assigned(round1, make_entries, jurors, make_juror, kind):
    entries = make_entries(3)
    jurors(3)
    school = entries[0].school_class.school
    if kind == "home_city":
        odd = make_juror("odd@example.org", name="Odd", city=school.city)
    else:
        odd = make_juror("odd@example.org", name="Odd")
        target = {"city": {"city_id": school.city_id}, "school": {"school_id": school.id},
                  "entry": {"entry_id": entries[0].id}}[kind]
        db.session.add(Conflict(juror_id=odd.id, kind=kind, **target))
        db.session.commit()
    service.run_assignment(round1)
    db.session.commit()
    assigned = pairs(round1.id)
    if kind == "entry":
        assert (entries[0].id, odd.id) not in assigned
    else:
        assert odd.id not in {j for _, j in assigned}


def test_written_entries_need_a_reader_illustrations_do_not(round1, make_entries, jurors):
    poems = make_entries(2, language="pt")
    drawings = make_entries(2, discipline="illustration", language="pt")
    jurors(3, languages=["en"], prefix="e")
    readers = jurors(3, languages=["pt"], prefix="p")
    service.run_assignment(round1)
    db.session.commit()
    got = pairs(round1.id)
    reader_ids = {r.id for r in readers}
    assert all(j in reader_ids for e, j in got if e in {p.id for p in poems})
    assert len([1 for e, _ in got if e in {d.id for d in drawings}]) == 6


def test_translation_language_counts(round1, make_entries, jurors):
    entries = make_entries(1, language="pt")
    entries[0].translation_language = "en"
    db.session.commit()
    jurors(3, languages=["en"])
    assert service.run_assignment(round1).complete


def test_rerun_keeps_scored_and_manual_assignments(round1, make_entries, jurors, score):
    make_entries(4)
    jurors(5)
    service.run_assignment(round1)
    db.session.commit()
    scored, manual = db.session.scalars(select(Assignment).order_by(Assignment.id).limit(2)).all()
    score(scored, "draft")
    manual.manual = True
    round1.seed = 7
    db.session.commit()
    kept = {(scored.entry_id, scored.juror_id, scored.code), (manual.entry_id, manual.juror_id, manual.code)}
    service.run_assignment(round1)
    db.session.commit()
    now = {(a.entry_id, a.juror_id, a.code) for a in db.session.scalars(select(Assignment))}
    assert kept <= now and count_assignments(round1.id) == 12


def test_reassign_after_a_juror_drops_out_keeps_submitted_scores(round1, make_entries, jurors, score):
    make_entries(4)
    team = jurors(5)
    service.run_assignment(round1)
    db.session.commit()
    leaving = team[0]
    theirs = db.session.scalars(select(Assignment).where(Assignment.juror_id == leaving.id)).all()
    assert len(theirs) >= 2
    score(theirs[0], "submitted")
    db.session.get(JurorProfile, leaving.id).active = False
    db.session.commit()
    outcome = service.reassign(round1)
    db.session.commit()
    assert outcome.removed == len(theirs) - 1
    remaining = db.session.scalars(select(Assignment).where(Assignment.juror_id == leaving.id)).all()
    assert [a.id for a in remaining] == [theirs[0].id]
    assert count_assignments(round1.id) == 12  # every slot is filled again


def test_final_round_uses_the_shortlist_and_the_final_jury(round1, make_entries, jurors, edition):
    from judging.models import Round, ShortlistEntry

    entries = make_entries(4)
    jurors(3, prefix="a")
    final = jurors(3, prefix="f", final=True)
    final_round = Round(edition=edition, number=2, name="Final", jurors_per_entry=3)
    db.session.add(final_round)
    db.session.flush()
    db.session.add_all([ShortlistEntry(round_id=final_round.id, entry_id=e.id) for e in entries[:2]])
    db.session.commit()
    assert service.run_assignment(final_round).complete
    db.session.commit()
    got = pairs(final_round.id)
    assert {e for e, _ in got} == {entries[0].id, entries[1].id}
    assert {j for _, j in got} == {f.id for f in final}


def test_a_pair_removed_by_hand_is_not_put_back_by_a_later_run(round1, make_entries, jurors):
    from judging.models import RemovedPair

    make_entries(2)
    jurors(4)
    round1.jurors_per_entry = 2
    service.run_assignment(round1)
    db.session.commit()
    removed = db.session.scalars(select(Assignment).where(Assignment.round_id == round1.id)).first()
    pair = (removed.entry_id, removed.juror_id)
    service.remove(removed)
    db.session.commit()
    assert db.session.scalars(select(RemovedPair)).one()
    service.reassign(round1)
    service.run_assignment(round1)
    db.session.commit()
    assert pair not in pairs(round1.id)
    assert count_assignments(round1.id) == 4  # the slot was filled by another juror
    # Adding the juror back by hand lifts the ban.
    from accounts.models import User
    from competition.models import Entry

    service.add_manual(round1, db.session.get(Entry, pair[0]), db.session.get(User, pair[1]))
    db.session.commit()
    assert db.session.scalars(select(RemovedPair)).first() is None and pair in pairs(round1.id)
