"""The final round's second wave (judging/rounds/second_wave.py): proposed on both rounds' scores within the rest of
the workload, confirmed by the secretariat, assigned by the assignment service and mailed; refused when the round
is closed, the results are public or the workload is spent; the juror sees new codes and nothing else."""
from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db, utcnow
from core.queue_model import QueuedTask
from judging.aggregation.final_round import SECOND_WAVE_MAX_PER_ENTRY, waves
from judging.assignment import service as assignment_service
from judging.models import Assignment, FinalRoundWorkload, Round, ShortlistEntry
from judging.rounds import second_wave
from judging.rounds.operations import RoundRefused
from tests.fixtures import add_scores, category_of, token_of

WORKLOAD = 30
KEYS = ("relevance", "originality", "expression", "impression")


def page_url(round1, edition):
    return f"/judging/rounds/{round1.id}/final-round?category={category_of(edition).id}"


def confirm_url(round1, edition):
    return f"/judging/rounds/{round1.id}/final-round/second-wave?category={category_of(edition).id}"


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def queued_mails() -> int:
    return db.session.scalar(select(func.count()).select_from(QueuedTask).where(QueuedTask.name == "mail"))


def final_assignments(final) -> set[tuple[int, int]]:
    return {(a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment).where(
        Assignment.round_id == final.id))}


@pytest.fixture()
def first_wave(as_secretariat, post, scored, round1, edition, make_juror):
    """Round 1 scored, the final round made from a proposal of WORKLOAD, assigned, opened and its first wave
    scored; returns (final round, round-1 entries)."""
    entries, _people = scored(14, jurors=5, k=3, severities=[0, -1.5, 1, 2, -0.5])
    for n in range(10):
        make_juror(f"final{n}@example.org", name=f"Final juror {n}", final=True)
    response = post(page_url(round1, edition), {"workload": str(WORKLOAD)})
    assert response.status_code == 302
    final = db.session.scalar(select(Round).where(Round.number == 2))
    assert assignment_service.run_assignment(final).complete
    final.status = "open"
    rng = random.Random(3)
    for a in db.session.scalars(select(Assignment).where(Assignment.round_id == final.id)):
        add_scores(a, {k: rng.randint(4, 8) for k in KEYS})
    db.session.commit()
    return final, entries


def test_the_first_wave_spends_two_thirds_of_the_workload_and_records_it(first_wave, edition):
    final, _entries = first_wave
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.final_proposal_used"))
    first = waves(WORKLOAD)[0][0]
    assert event.details["workload"] == WORKLOAD and event.details["first_wave"] == first
    assert 0 < event.details["score_sets"] <= first
    budget = second_wave.budget(final, category_of(edition))
    assert (budget.workload, budget.spent) == (WORKLOAD, event.details["score_sets"])
    assert budget.remaining == WORKLOAD - event.details["score_sets"] >= WORKLOAD - first
    stored = db.session.scalar(select(FinalRoundWorkload).where(FinalRoundWorkload.round_id == final.id))
    assert (stored.category_id, stored.workload, stored.spent) == (category_of(edition).id, WORKLOAD,
                                                                   event.details["score_sets"])
    event.details_json = "{}"  # the budget is the stored row's, not the audit trail's
    assert second_wave.budget(final, category_of(edition)) == budget


def test_the_second_wave_is_planned_on_both_rounds_within_the_rest_of_the_workload(first_wave, edition):
    final, _entries = first_wave
    wave = second_wave.plan(final, category_of(edition))
    assert wave.refusal is None and wave.proposal.extra
    assert 0 < wave.proposal.total <= wave.budget.remaining
    shortlisted = set(db.session.scalars(select(ShortlistEntry.entry_id).where(ShortlistEntry.round_id == final.id)))
    assert set(wave.proposal.extra) <= shortlisted  # only entries already in the final round
    assert all(1 <= n <= SECOND_WAVE_MAX_PER_ENTRY for n in wave.proposal.extra.values())
    # the same model as the final ranking: round 1's scores and the final round's, for the final round's entries
    some = next(iter(wave.proposal.extra))
    assert wave.res.combined_rounds == 2
    assert wave.res.group.entries[some].n == 3 + len([p for p in final_assignments(final) if p[0] == some])


def test_adding_the_second_wave_flushes_assigns_mails_audits_and_a_rollback_undoes_it(first_wave, edition):
    final, _entries = first_wave
    category = category_of(edition)
    before = final_assignments(final)
    wanted_before = dict(db.session.execute(select(ShortlistEntry.entry_id, ShortlistEntry.extra_jurors).where(
        ShortlistEntry.round_id == final.id)).all())
    mails_before = queued_mails()
    wave = second_wave.plan(final, category)
    outcome = second_wave.add(wave)

    after = final_assignments(final)  # flushed: visible in the transaction
    new = after - before
    assert new and {a.entry_id for a in outcome.created} <= set(wave.proposal.extra)
    assert len(new) == wave.proposal.total and not outcome.result.unassigned
    for entry_id, n in wave.proposal.extra.items():
        assert len([p for p in new if p[0] == entry_id]) == n
    earlier = {(a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment).where(
        Assignment.round_id != final.id))}
    assert not new & earlier and not new & before  # never a juror who scored or has the entry already
    assert all(a.position is not None and a.code for a in outcome.created)  # the round's secret list order
    assert queued_mails() == mails_before + len({a.juror_id for a in outcome.created})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.second_wave_added"))
    assert event.details["score_sets"] == wave.proposal.total and event.details["category"] == category.id
    assert event.details["created"] == len(new)
    assert second_wave.budget(final, category).remaining == wave.budget.remaining - wave.proposal.total

    db.session.rollback()
    assert final_assignments(final) == before
    assert audited("round.second_wave_added") == 0 and queued_mails() == mails_before
    assert dict(db.session.execute(select(ShortlistEntry.entry_id, ShortlistEntry.extra_jurors).where(
        ShortlistEntry.round_id == final.id)).all()) == wanted_before


def test_the_secretariat_confirms_on_the_page_and_the_jurors_see_new_codes_only(first_wave, edition, round1, post,
                                                                              client, app, sign_in, outbox):
    final, entries = first_wave
    html = client.get(page_url(round1, edition)).get_data(as_text=True)
    assert "Second wave" in html and "Confirm the second wave" in html
    assert "planned in two waves" in html and "both rounds' scores combined" in html
    before = final_assignments(final)
    sent_before = len(outbox())

    response = post(confirm_url(round1, edition))
    assert response.status_code == 302
    db.session.expire_all()
    new = final_assignments(final) - before
    assert new and audited("round.second_wave_added") == 1
    told = {m["To"] for m in outbox()[sent_before:]}
    from accounts.models import User

    emails = {db.session.get(User, j).email for _e, j in new}
    assert told == emails
    page = client.get(page_url(round1, edition)).get_data(as_text=True)
    assert "more assignments made for the second wave" in page or "more assignment made for the second wave" in page

    # a juror given a new entry sees its code in their list, and nothing that names the entry or its makers
    entry_id, juror_id = sorted(new)[0]
    juror_client = app.test_client()
    sign_in(juror_client, db.session.get(User, juror_id))
    listing = juror_client.get("/judging/entries").get_data(as_text=True)
    codes = set(db.session.scalars(select(Assignment.code).where(Assignment.round_id == final.id,
                                                                  Assignment.juror_id == juror_id)))
    assert codes and all(code in listing for code in codes)
    for entry in entries:
        assert entry.reference not in listing
        assert not re.search(re.escape(entry.title), listing)
        assert entry.school_class.school.name not in listing


def test_the_french_page_explains_the_two_waves(first_wave, edition, round1, client, secretariat):
    secretariat.language = "fr"
    db.session.commit()
    html = client.get(page_url(round1, edition)).get_data(as_text=True)
    assert "deux vagues" in html and "Confirmer la seconde vague" in html


@pytest.mark.parametrize("state, message", [
    ("closed", "The round is closed (reopen it first); nothing was changed."),
    ("published", "The results are public: take them off the public page"),
    ("spent", "The workload set for this category&#39;s final round is spent"),
])
def test_refusals_are_clear_and_change_nothing(first_wave, edition, round1, post, client, state, message):
    final, _entries = first_wave
    if state == "closed":
        final.status = "closed"
    elif state == "published":
        final.edition.results_published_at = utcnow()
    else:
        stored = db.session.scalar(select(FinalRoundWorkload).where(FinalRoundWorkload.round_id == final.id))
        stored.spent = WORKLOAD  # as if the first wave had spent it all
    db.session.commit()
    before = final_assignments(final)
    shown = client.get(page_url(round1, edition)).get_data(as_text=True)
    assert message in shown and "Confirm the second wave" not in shown
    response = post(confirm_url(round1, edition))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert final_assignments(final) == before and audited("round.second_wave_added") == 0
    with pytest.raises(RoundRefused):
        second_wave.add(second_wave.plan(final, category_of(edition)))


def test_the_budget_is_spent_after_the_second_wave(first_wave, edition, round1, post, client):
    final, _entries = first_wave
    assert post(confirm_url(round1, edition)).status_code == 302
    wave = second_wave.plan(final, category_of(edition))
    assert (wave.budget.workload, wave.budget.spent) == (WORKLOAD, WORKLOAD)  # first wave + second wave = workload
    assert wave.refusal == second_wave.BUDGET_SPENT and wave.proposal is None
    response = post(confirm_url(round1, edition))
    assert response.status_code == 400 and "is spent" in response.get_data(as_text=True)
    assert audited("round.second_wave_added") == 1


def test_a_juror_may_not_confirm_a_second_wave(first_wave, edition, round1, app, sign_in):
    from accounts.models import User

    juror = db.session.scalar(select(User).where(User.email == "final0@example.org"))
    other = app.test_client()
    sign_in(other, juror)
    response = other.post(confirm_url(round1, edition), data={"csrf_token": token_of(other, "/judging/entries")})
    assert response.status_code == 404
    assert audited("round.second_wave_added") == 0


def test_jurors_the_assignment_could_not_use_are_not_counted_on(first_wave, edition):
    """An entry conflicted (here by a declared school conflict) with every final juror who has not had it gets
    no extra juror in the proposal: the planner counts only the jurors the assignment could give it."""
    from judging.models import Conflict, ConflictKind, JurorProfile

    final, entries = first_wave
    wave = second_wave.plan(final, category_of(edition))
    target = wave.proposal.order()[0]
    school_id = next(e for e in entries if e.id == target).school_class.school_id
    for profile in db.session.scalars(select(JurorProfile).where(JurorProfile.final_jury.is_(True))):
        db.session.add(Conflict(juror_id=profile.user_id, kind=ConflictKind.SCHOOL, school_id=school_id))
    db.session.commit()
    again = second_wave.plan(final, category_of(edition))
    blocked = {e.id for e in entries if e.school_class.school_id == school_id}
    assert not blocked & set(again.proposal.extra if again.proposal else {})
    if blocked >= set(wave.res.group.entries):  # every entry of the final round is of that school
        assert again.refusal == second_wave.NOTHING
