"""The secretariat's final-round page: a proposal within a workload, bad workloads refused, the round created
from the proposal (extra jurors per entry, audited), assigned without the jurors who scored before, and the
final ranking on both rounds' scores."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from judging.models import Assignment, Round, ShortlistEntry
from tests.fixtures import add_scores, category_of


@pytest.fixture()
def final_jury(make_juror):
    return [make_juror(f"final{n}@example.org", name=f"Final juror {n}", final=True) for n in range(6)]


def url(round1, edition, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/judging/rounds/{round1.id}/final-round?category={category_of(edition).id}" + (f"&{q}" if q else "")


def test_the_page_explains_how_the_final_ranking_is_made(as_secretariat, scored, round1, edition):
    scored(12, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    html = as_secretariat.get(url(round1, edition)).get_data(as_text=True)
    assert "it uses every score from both rounds" in html and 'name="workload"' in html


def test_a_proposal_spends_at_most_the_workload_where_the_top_is_uncertain(as_secretariat, scored, round1, edition,
                                                                            final_jury):
    scored(14, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    html = as_secretariat.get(url(round1, edition, workload=9)).get_data(as_text=True)
    assert "more score sets proposed" in html or "more score set proposed" in html
    assert "(round 1: 42 score sets; workload: 9)" in html
    assert "Create the final round from this proposal" in html
    from judging.rounds import final_round as planner

    the_plan = planner.plan(round1, category_of(edition), 9)
    assert 0 < the_plan.proposal.total <= 9
    assert all(1 <= n <= planner.MAX_PER_ENTRY for n in the_plan.proposal.extra.values())


@pytest.mark.parametrize("workload, message", [
    ("0", "Enter a workload from 1 to 10000 score sets."),
    ("-5", "Enter a workload from 1 to 10000 score sets."),
    ("10001", "Enter a workload from 1 to 10000 score sets."),
    ("abc", "Enter the workload as a whole number of score sets, like 60."),
    ("2.5", "Enter the workload as a whole number of score sets, like 60."),
    ("", "Enter the workload as a whole number of score sets, like 60."),
])
def test_a_bad_workload_is_refused_with_a_message(as_secretariat, post, scored, round1, edition, workload, message):
    scored(6)
    shown = as_secretariat.get(url(round1, edition, workload=workload))
    assert shown.status_code == 400 and message in shown.get_data(as_text=True)
    created = post(f"/judging/rounds/{round1.id}/final-round?category={category_of(edition).id}",
                   {"workload": workload})
    assert created.status_code == 400 and message in created.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Round.id))) == 1
    assert db.session.scalar(select(func.count(ShortlistEntry.id))) == 0


def test_creating_the_final_round_stores_each_entrys_extra_jurors_and_audits_it(as_secretariat, post, scored, round1,
                                                                                edition, final_jury):
    scored(14, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    response = post(f"/judging/rounds/{round1.id}/final-round?category={category_of(edition).id}", {"workload": "9"})
    assert response.status_code == 302
    final = db.session.scalar(select(Round).where(Round.number == 2))
    items = db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == final.id)).all()
    assert items and all(i.extra_jurors >= 1 for i in items) and sum(i.extra_jurors for i in items) <= 9
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.final_proposal_used"))
    assert event.details["workload"] == 9 and sum(event.details["extra"].values()) == sum(i.extra_jurors for i in items)

    # the assignment gives each entry its extra jurors, none of whom scored it in round 1
    from judging.assignment import service as assignment_service

    outcome = assignment_service.run_assignment(final)
    db.session.commit()
    assert outcome.complete
    earlier = {(a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment).where(
        Assignment.round_id == round1.id))}
    for item in items:
        jurors = db.session.scalars(select(Assignment.juror_id).where(Assignment.round_id == final.id,
                                                                      Assignment.entry_id == item.entry_id)).all()
        assert len(jurors) == item.extra_jurors
        assert not {(item.entry_id, j) for j in jurors} & earlier


def test_the_final_ranking_fits_both_rounds_scores_and_counts_a_rescoring_juror_once(scored, round1, edition,
                                                                                    make_juror):
    from judging.results import service

    entries, jurors = scored(4, jurors=4, k=3)
    final = Round(edition_id=round1.edition_id, number=2, name="Final", jurors_per_entry=1)
    db.session.add(final)
    db.session.flush()
    db.session.add_all(ShortlistEntry(round_id=final.id, entry_id=e.id) for e in entries[:2])
    fresh = make_juror("fresh@example.org", final=True)
    add_scores(Assignment(round=final, entry=entries[0], juror=fresh, position=0), {k: 9 for k in
               ("relevance", "originality", "expression", "impression")})
    again = db.session.scalar(select(Assignment.juror_id).where(Assignment.round_id == round1.id,
                                                                 Assignment.entry_id == entries[1].id))
    add_scores(Assignment(round=final, entry=entries[1], juror_id=again, position=1), {k: 2 for k in
               ("relevance", "originality", "expression", "impression")})
    db.session.commit()
    res = service.load_category(final, entries[0].category)
    assert {r.entry_id for r in res.rows} == {entries[0].id, entries[1].id}  # only the final round's entries
    assert res.group.entries[entries[0].id].n == 4  # three round-1 scores and the new one
    assert res.group.entries[entries[1].id].n == 3  # the juror who scored it again counts once
    assert res.group.totals[(again, entries[1].id)] == 2.0  # with the later score
    assert res.submitted == 2 and res.combined_rounds == 2  # the round's own counts stay its own


def test_without_a_final_jury_the_proposal_says_it_assumes_enough_jurors(as_secretariat, scored, round1, edition):
    scored(14, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    html = as_secretariat.get(url(round1, edition, workload=9)).get_data(as_text=True)
    assert "No juror is in the final jury yet" in html and "Create the final round from this proposal" in html


def test_a_final_jury_that_scored_everything_leaves_nothing_to_propose(as_secretariat, scored, round1, edition):
    _entries, jurors = scored(6, jurors=3, k=3)
    from judging.models import JurorProfile

    for profile in db.session.scalars(select(JurorProfile)):
        profile.final_jury = True
    db.session.commit()
    html = as_secretariat.get(url(round1, edition, workload=9)).get_data(as_text=True)
    assert "No entry needs more scores in this category" in html


def test_the_first_wave_counts_only_the_jurors_the_assignment_can_give(as_secretariat, post, scored, round1,
                                                                         edition, make_juror):
    """As the second wave does: of six final jurors, two read no language of the poems and two are in conflict
    with their school, so no entry may be proposed more than two more jurors, and the assignment gives every
    proposed one."""
    from judging.assignment import service as assignment_service
    from judging.models import Conflict, ConflictKind
    from judging.rounds import final_round as planner

    entries, _people = scored(14, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    readers = [make_juror(f"final{n}@example.org", name=f"Final juror {n}", final=True) for n in range(4)]
    for n in range(2):
        make_juror(f"pt{n}@example.org", name=f"Portuguese juror {n}", languages=["pt"], final=True)
    unlimited = planner.plan(round1, category_of(edition), 40)
    assert max(unlimited.proposal.extra.values()) > 2  # the six jurors would be counted on, without the limits
    school_id = entries[0].school_class.school_id
    db.session.add_all(Conflict(juror_id=j.id, kind=ConflictKind.SCHOOL, school_id=school_id) for j in readers[:2])
    db.session.commit()
    the_plan = planner.plan(round1, category_of(edition), 40)
    assert the_plan.proposal.extra and max(the_plan.proposal.extra.values()) <= 2
    response = post(url(round1, edition), {"workload": "40"})
    assert response.status_code == 302
    final = db.session.scalar(select(Round).where(Round.number == 2))
    outcome = assignment_service.run_assignment(final)
    assert outcome.complete
    given = {j for (_e, j) in outcome.result.pairs}
    assert given <= {readers[2].id, readers[3].id}

