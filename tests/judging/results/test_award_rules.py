"""An award needs the entry to be ranked in the round, or a reason typed by the secretariat, kept in the audit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db
from judging.models import Assignment, Award


def award(post, round1, entry, kind="special", reason=None):
    data = {"entry": str(entry.id), "kind": kind, "note": ""}
    if reason is not None:
        data["reason"] = reason
    return post(f"/judging/rounds/{round1.id}/awards?category={entry.category_id}", data)


@pytest.fixture()
def unranked(scored, round1, make_entries, make_juror):
    """Three ranked poems, and a fourth assigned in the round whose juror has not scored it yet."""
    entries, _jurors = scored(3)
    late = make_entries(1)[0]
    db.session.add(Assignment(round=round1, entry=late, juror=make_juror("late@example.org"), position=9))
    db.session.commit()
    return entries, late


def test_a_ranked_entry_needs_no_reason_once_scoring_is_finished(as_secretariat, post, scored, round1):
    entries, _jurors = scored(3)
    assert award(post, round1, entries[0]).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "award.given"))
    assert "exceptions" not in event.details and "reason" not in event.details


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_unranked_entry_without_a_reason_is_refused(as_secretariat, post, unranked, round1, reason):
    _entries, late = unranked
    response = award(post, round1, late, reason=reason)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"{late.reference} is not ranked in this round" in text and "type the reason for this award" in text
    assert 'id="reason-error"' in text
    assert db.session.scalar(select(Award)) is None


def test_an_unranked_entry_with_a_reason_is_awarded_and_the_reason_audited(as_secretariat, post, unranked, round1):
    _entries, late = unranked
    reason = "Its juror fell ill; the final jury read it and agreed unanimously."
    assert award(post, round1, late, "publication", reason=reason).status_code == 302
    given = db.session.scalar(select(Award))
    assert (given.entry_id, given.kind) == (late.id, "publication")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "award.given"))
    assert event.details["exceptions"] == ["not_ranked", "scoring_open"] and event.details["reason"] == reason


def test_the_form_offers_unranked_entries_of_the_round_with_a_warning(as_secretariat, client, unranked, round1):
    _entries, late = unranked
    page = client.get(f"/judging/rounds/{round1.id}/awards?category={late.category_id}").get_data(as_text=True)
    assert f"{late.reference} · {late.title} (not ranked: needs a reason)" in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("status", ["draft", "withdrawn", "disqualified"])
def test_an_entry_out_of_the_competition_gets_no_award_even_with_a_reason(as_secretariat, post, unranked, round1,
                                                                        status):
    entries, _late = unranked
    entries[0].status = status
    db.session.commit()
    response = award(post, round1, entries[0], reason="Because.")
    assert response.status_code == 400 and "Only an entry still in the competition can get an award" in \
        response.get_data(as_text=True)
    assert db.session.scalar(select(Award)) is None


def test_a_reason_too_long_is_refused(as_secretariat, post, unranked, round1):
    _entries, late = unranked
    response = award(post, round1, late, reason="x" * 1001)
    assert response.status_code == 400 and "Enter at most 1000 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(Award)) is None


def test_give_award_itself_refuses_an_exception_without_a_reason(unranked, round1):
    from judging.results import operations, service

    _entries, late = unranked
    exceptions = service.award_exceptions(service.load_category(round1, late.category), late)
    assert exceptions == [service.NOT_RANKED, service.SCORING_OPEN]
    with pytest.raises(ValueError):
        operations.give_award(round1.edition_id, late.category, late, "special", "", None, exceptions=exceptions)
