"""The secretariat decides a tie the rubric leaves: a full order and a reason, audited; the ranking then follows it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from judging.models import TieOrder
from tests.fixtures import add_scores, category_of

KEYS = ("relevance", "originality", "expression", "impression")


@pytest.fixture()
def tied(round1, make_entries, make_juror, assign):
    entries = make_entries(3)
    juror = make_juror()
    for entry, v in zip(entries, (8, 8, 5)):
        add_scores(assign(round1, entry, juror), {k: v for k in KEYS})
    db.session.commit()
    return entries


def tie_url(round1, edition, rank=1):
    return f"/judging/rounds/{round1.id}/ties/{rank}?category={category_of(edition).id}"


def test_the_ranking_links_to_deciding_the_tie(as_secretariat, tied, round1, edition):
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(
        as_text=True)
    assert f"/judging/rounds/{round1.id}/ties/1?category=" in html and "Decide the order" in html


def test_a_decided_order_ranks_the_tie_and_is_audited(as_secretariat, post, tied, round1, edition):
    a, b, _c = tied
    response = post(tie_url(round1, edition), {"place-1": str(b.id), "place-2": str(a.id),
                                               "reason": "Second reading by the whole jury."})
    assert response.status_code == 302
    from judging.results import service

    res = service.load_category(round1, a.category)
    assert [r.entry_id for r in res.rows][:2] == [b.id, a.id]
    assert res.row(b.id).ranked.resolution == "manual" and res.row(a.id).ranked.rank == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.tie_decided"))
    assert event.details["order"] == [b.reference, a.reference] and event.details["reason"].startswith("Second")
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(
        as_text=True)
    assert "Tie decided by the secretariat" in html and "Unbroken tie across place 1" not in html
    # the tie is decided: its page is gone, and a 1st prize needs no tie reason any more
    assert as_secretariat.get(tie_url(round1, edition)).status_code == 404
    assert service.award_exceptions(res, b, "first") == []


@pytest.mark.parametrize("places, reason, message", [
    ({"place-1": "A", "place-2": "A"}, "Because.", "Choose each tied entry once, one for each place."),
    ({"place-1": "A"}, "Because.", "Choose each tied entry once, one for each place."),
    ({"place-1": "A", "place-2": "C"}, "Because.", "Choose each tied entry once, one for each place."),
    ({"place-1": "A", "place-2": "99999999999999999999"}, "Because.", "Choose each tied entry once"),
    ({"place-1": "A", "place-2": "B"}, "", "Type the reason for this order"),
    ({"place-1": "A", "place-2": "B"}, "   ", "Type the reason for this order"),
    ({"place-1": "A", "place-2": "B"}, "x" * 1001, "Enter at most 1000 characters."),
])
def test_a_bad_order_or_no_reason_is_refused_and_nothing_saved(as_secretariat, post, tied, round1, edition, places,
                                                               reason, message):
    ids = {"A": str(tied[0].id), "B": str(tied[1].id), "C": str(tied[2].id)}
    data = {k: ids.get(v, v) for k, v in places.items()}
    data["reason"] = reason
    response = post(tie_url(round1, edition), data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TieOrder.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "round.tie_decided")) == 0


def test_no_tie_at_that_place_is_a_404(as_secretariat, tied, round1, edition):
    assert as_secretariat.get(tie_url(round1, edition, rank=3)).status_code == 404
