"""The ranking page shows the evidence behind each place: chance of the top N, rank interval, unsettled places,
weak links between city blocks with what would fix them, boundary ties, thin evidence; awards respect them."""
from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from competition.models import City
from core.audit import AuditEvent
from core.db import db
from judging.models import Assignment, Award
from tests.fixtures import add_scores, category_of

KEYS = ("relevance", "originality", "expression", "impression")


@pytest.fixture()
def city_blocks(round1, make_entries, make_juror):
    """Two city blocks of 3 jurors, 8 poems each scored by its block, joined by a single shared entry."""
    rng = random.Random(3)
    blocks = []
    for name, severity in (("Porto", -1.5), ("Dublin", 1.5)):
        city = City(name=name, country_code="PT" if name == "Porto" else "IE")
        db.session.add(city)
        db.session.flush()
        jurors = [make_juror(f"{name.lower()}{n}@example.org", name=f"{name} juror {n}", city=city) for n in range(3)]
        blocks.append((jurors, severity))
    entries = make_entries(16)
    for i, entry in enumerate(entries):
        jurors, severity = blocks[0] if i < 8 else blocks[1]
        panel = list(jurors)
        if i == 0:  # the one entry scored across the two blocks
            panel[2] = blocks[1][0][0]
        for n, juror in enumerate(panel):
            a = Assignment(round=round1, entry=entry, juror=juror, position=i)
            db.session.add(a)
            base = 5 + (i % 8) * 0.4 + severity + rng.uniform(-1, 1)
            add_scores(a, {k: max(0, min(10, round(base))) for k in KEYS})
    db.session.commit()
    return entries


def page(client, round1, edition):
    return client.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)


def test_weak_link_between_city_blocks_is_shown_with_its_fix(as_secretariat, city_blocks, round1, edition):
    html = page(as_secretariat, round1, edition)
    assert 'id="weak-links"' in html
    assert re.search(r"more entr(y|ies) scored across (Porto and Dublin|Dublin and Porto) jurors", html)
    assert "(1 entry shared now)" in html


def test_each_row_has_a_chance_bar_and_a_place_interval(as_secretariat, city_blocks, round1, edition):
    html = page(as_secretariat, round1, edition)
    assert html.count('<meter class="chance"') == 16
    assert "Chance of the top 10" in html
    assert "Place not settled" in html  # 16 entries close together: some places around 10th are open
    assert "places " in html


def test_a_well_linked_category_shows_no_weak_link(as_secretariat, scored, round1, edition):
    scored(8, jurors=4, k=3)
    html = page(as_secretariat, round1, edition)
    assert 'id="weak-links"' not in html and '<meter class="chance"' in html


def test_entries_with_fewer_score_sets_than_k_are_flagged(as_secretariat, round1, edition, make_entries, make_juror,
                                                         assign):
    entries = make_entries(3)
    jurors = [make_juror(f"j{n}@example.org") for n in range(3)]
    for i, entry in enumerate(entries):
        for juror in jurors[:3 if i else 1]:  # the first entry has one submitted score set of k = 3
            add_scores(assign(round1, entry, juror), {k: 5 + i for k in KEYS})
    db.session.commit()
    html = page(as_secretariat, round1, edition)
    assert "1 score set, fewer than 3" in html
    assert "1 entry has fewer submitted score sets than the round" in html and "3 jurors per entry: its place rests on thin evidence" in html


def test_unsubmitted_assignments_are_counted_on_the_page(as_secretariat, scored, round1, edition, make_juror, assign):
    entries, _ = scored(3)
    assign(round1, entries[0], make_juror("late@example.org"))
    html = page(as_secretariat, round1, edition)
    assert "Scoring is not finished: 1 assignment has no submitted score set." in html


def award(post, round1, entry, kind, reason=None):
    data = {"entry": str(entry.id), "kind": kind, "note": ""}
    if reason is not None:
        data["reason"] = reason
    return post(f"/judging/rounds/{round1.id}/awards?category={entry.category_id}", data)


@pytest.fixture()
def tied_at_first(round1, make_entries, make_juror, assign):
    """Two entries with identical scores at the top (no criterion breaks it), one below."""
    entries = make_entries(3)
    juror = make_juror()
    for entry, v in zip(entries, (8, 8, 5)):
        add_scores(assign(round1, entry, juror), {k: v for k in KEYS})
    db.session.commit()
    return entries


def test_the_ranking_shows_a_tie_across_a_prize_place(as_secretariat, tied_at_first, round1, edition):
    html = page(as_secretariat, round1, edition)
    assert "Unbroken tie across place 1:" in html
    assert tied_at_first[0].reference in html and tied_at_first[1].reference in html


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_a_place_award_across_an_unbroken_tie_needs_a_reason(as_secretariat, post, tied_at_first, round1, reason):
    response = award(post, round1, tied_at_first[0], "first", reason)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is in a tie that the rubric does not break, across a prize place" in text
    assert db.session.scalar(select(Award)) is None


def test_a_place_award_across_a_tie_with_a_reason_is_audited(as_secretariat, post, tied_at_first, round1):
    reason = "The final jury read both again and preferred this one."
    assert award(post, round1, tied_at_first[1], "first", reason).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "award.given"))
    assert event.details["exceptions"] == ["tie_at_boundary"] and event.details["reason"] == reason


def test_a_special_award_to_a_tied_entry_needs_no_reason(as_secretariat, post, tied_at_first, round1):
    assert award(post, round1, tied_at_first[0], "special").status_code == 302


@pytest.mark.parametrize("reason", [None, ""])
def test_an_award_while_scoring_is_open_needs_a_reason(as_secretariat, post, scored, round1, make_juror, assign,
                                                       reason):
    entries, _ = scored(3)
    assign(round1, entries[1], make_juror("late@example.org"))
    response = award(post, round1, entries[0], "special", reason)
    assert response.status_code == 400
    assert "Scoring is not finished in this category: 1 assignment has no submitted score set." in \
        response.get_data(as_text=True)
    assert db.session.scalar(select(Award)) is None


def test_an_award_while_scoring_is_open_with_a_reason_is_audited(as_secretariat, post, scored, round1, make_juror,
                                                                 assign):
    entries, _ = scored(3)
    assign(round1, entries[1], make_juror("late@example.org"))
    assert award(post, round1, entries[0], "publication", "The juror withdrew; the rest is complete.").status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "award.given"))
    assert event.details["exceptions"] == ["scoring_open"]


def test_manual_order_decides_a_tie(tied_at_first, round1):
    from judging.results import service

    category = tied_at_first[0].category
    a, b = tied_at_first[0].id, tied_at_first[1].id
    plain = service.load_category(round1, category)
    assert plain.row(a).ranked.resolution == "secretariat_decides"
    decided = service.load_category(round1, category, manual_order=[b, a])
    assert [r.entry_id for r in decided.rows][:2] == [b, a]
    assert decided.row(b).ranked.resolution == "manual" and decided.row(a).ranked.rank == 2


def test_the_awards_page_warns_before_an_award_needs_a_reason(as_secretariat, tied_at_first, round1, edition,
                                                             make_juror, assign):
    assign(round1, tied_at_first[2], make_juror("late@example.org"))
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/awards?category={category_of(edition).id}").get_data(
        as_text=True)
    assert "Unbroken tie across place 1:" in html and tied_at_first[0].reference in html
    assert "Scoring is not finished: 1 assignment has no submitted score set." in html
