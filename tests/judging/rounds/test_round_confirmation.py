"""Closing a round shows what is unfinished first; a closed round can be reopened (audited) until publication."""
from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db, utcnow


def _unfinished_round(round1, make_entries, jurors, assign, score):
    entries = make_entries(3)
    a, b = jurors(2)
    assign(round1, entries[0], a)  # not started
    assign(round1, entries[1], a)  # not started
    score(assign(round1, entries[2], a), "draft")
    score(assign(round1, entries[0], b), "submitted")


def test_closing_the_round_is_confirmed_with_counts(secretariat, round1, make_entries, jurors, assign, score, client,
                                                    post):
    _unfinished_round(round1, make_entries, jurors, assign, score)
    detail = client.get(f"/judging/rounds/{round1.id}").get_data(as_text=True)
    assert f'href="/judging/rounds/{round1.id}/close/confirm"' in detail  # a link to the page, not a one-click button
    page = client.get(f"/judging/rounds/{round1.id}/close/confirm").get_data(as_text=True)
    for text in ("2 score sets not started", "1 draft", "1 score set submitted",
                 "3 score sets are unfinished", f'action="/judging/rounds/{round1.id}/close"'):
        assert text in page
    db.session.expire_all()
    assert round1.status == "open"  # showing the page changes nothing
    post(f"/judging/rounds/{round1.id}/close")
    db.session.expire_all()
    assert round1.status == "closed"


def test_the_close_page_in_french(secretariat, round1, make_entries, jurors, assign, score, client):
    _unfinished_round(round1, make_entries, jurors, assign, score)
    secretariat.language = "fr"
    db.session.commit()
    page = client.get(f"/judging/rounds/{round1.id}/close/confirm").get_data(as_text=True)
    assert "2 fiches de notes non commencées" in page and "1 brouillon" in page
    assert "Clôturer Tour 1" in page and "Round 1" not in page  # the round's default name, in French


def test_a_closed_round_is_reopened_and_audited(secretariat, round1, client, post):
    round1.status = "closed"
    db.session.commit()
    detail = client.get(f"/judging/rounds/{round1.id}").get_data(as_text=True)
    assert "Reopen the round" in detail
    assert "Reopen" in client.get(f"/judging/rounds/{round1.id}/reopen/confirm").get_data(as_text=True)
    response = post(f"/judging/rounds/{round1.id}/reopen", follow_redirects=True)
    assert "The round is open again" in response.get_data(as_text=True)
    db.session.expire_all()
    assert round1.status == "open"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round_reopen")) is not None


def test_reopening_is_refused_once_the_results_are_public(secretariat, round1, client, post):
    round1.status = "closed"
    round1.edition.results_published_at = utcnow()
    db.session.commit()
    assert "Reopen the round" not in client.get(f"/judging/rounds/{round1.id}").get_data(as_text=True)
    refused = client.get(f"/judging/rounds/{round1.id}/reopen/confirm", follow_redirects=True).get_data(as_text=True)
    assert "take them off the public page" in refused
    response = post(f"/judging/rounds/{round1.id}/reopen", follow_redirects=True)
    assert "take them off the public page" in response.get_data(as_text=True)
    db.session.expire_all()
    assert round1.status == "closed"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round_reopen")) is None


def test_reopening_an_open_round_changes_nothing(secretariat, round1, post):
    response = post(f"/judging/rounds/{round1.id}/reopen", follow_redirects=True)
    assert "nothing was changed" in response.get_data(as_text=True)
