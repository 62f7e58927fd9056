"""Bad input is refused with a message that says how to fix it, and nothing is saved or half-saved."""
from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db, utcnow
from tests.clients import RequestIsolatedClient
from tests.fixtures import GOOD, score_sets, token_of


@pytest.mark.parametrize("raw, message", [
    ("-1", "from 0 to 10"), ("11", "from 0 to 10"), ("NaN", "as a number"), ("nan", "as a number"),
    ("inf", "as a number"), ("-Infinity", "as a number"), ("1e309", "as a number"), ("1e1", "as a number"),
    ("abc", "as a number"), ("7.5", "whole number"), ("0x7", "as a number"), ("7,5", "whole number"),
])
@pytest.mark.parametrize("action", ["save", "submit", "autosave"])
def test_bad_scores_are_refused_and_nothing_saved(send, assignments, raw, message, action):
    data = {**GOOD, "score_originality": raw}
    response = send(assignments[0].code, data, action=action, autosave=action == "autosave")
    assert response.status_code == 400
    if action == "autosave":
        assert message in " ".join(response.get_json()["errors"]["score_originality"])
    else:
        page = response.get_data(as_text=True)
        assert message in page and 'href="#score_originality"' in page  # error summary links to the field
    assert score_sets() == []


def test_half_points_accepted_on_a_half_point_scale(send, assignments):
    from judging.models import Criterion

    criterion = db.session.scalar(select(Criterion).where(Criterion.key == "originality",
                                                          Criterion.rubric.has(category_id=assignments[0].entry.category_id)))
    criterion.step = Decimal("0.5")
    db.session.commit()
    assert send(assignments[0].code, {**GOOD, "score_originality": "4.5"}, action="submit").status_code == 302
    (score_set,) = score_sets()
    assert {v.criterion.key: v.value for v in score_set.values}["originality"] == Decimal("4.5")
    assert send(assignments[1].code, {**GOOD, "score_originality": "4.25"}).status_code == 400


def test_required_criterion_missing_on_submit_is_refused_but_draft_may_leave_it(send, assignments):
    data = {k: v for k, v in GOOD.items() if k != "score_expression"}
    response = send(assignments[0].code, data, action="submit")
    assert response.status_code == 400
    assert "Enter a score for Expression before you submit" in response.get_data(as_text=True)
    assert score_sets() == []
    assert send(assignments[0].code, data).status_code == 302
    (score_set,) = score_sets()
    assert score_set.status == "draft"


@pytest.mark.parametrize("field", ["comment_relevance", "overall_comment"])
@pytest.mark.parametrize("text, message", [("bad\x00byte", "control characters"), ("x" * 5001, "5000 characters")])
def test_bad_comments_are_refused(send, assignments, field, text, message):
    response = send(assignments[0].code, {**GOOD, field: text}, action="submit")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert score_sets() == []


def test_a_comment_of_exactly_5000_characters_is_fine(send, assignments):
    assert send(assignments[0].code, {**GOOD, "overall_comment": "x" * 5000}).status_code == 302


def test_missing_csrf_token_saves_nothing(juror_client, assignments):
    code = assignments[0].code
    juror_client.get(f"/judging/entries/{code}")
    assert juror_client.post(f"/judging/entries/{code}", data={**GOOD, "action": "submit"}).status_code == 400
    assert juror_client.post(f"/judging/entries/{code}/autosave", data=GOOD).status_code == 400
    assert score_sets() == []


@pytest.mark.parametrize("closing", ["status", "closes_at"])
def test_scoring_after_the_round_closed_is_refused(send, assignments, round1, juror_client, closing):
    code = assignments[0].code
    token = token_of(juror_client, f"/judging/entries/{code}")
    send(code, {"score_relevance": "5"})
    if closing == "status":
        round1.status = "closed"
    else:
        round1.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert "Scoring for this round is closed" in page and "Submit scores" not in page
    response = juror_client.post(f"/judging/entries/{code}", data={**GOOD, "action": "submit", "confirmed": "1", "csrf_token": token})
    assert response.status_code == 302
    assert "Nothing was saved" in juror_client.get(response.headers["Location"]).get_data(as_text=True)
    autosave = juror_client.post(f"/judging/entries/{code}/autosave", data={**GOOD, "csrf_token": token})
    assert autosave.status_code == 409 and "closed" in autosave.get_json()["message"]
    (score_set,) = score_sets()
    assert score_set.status == "draft" and {v.criterion.key: v.value for v in score_set.values} == {"relevance": 5}
    # The list shows open rounds only.
    assert code not in juror_client.get("/judging/entries").get_data(as_text=True)


def test_parallel_submits_give_one_submitted_set(app, assignments, juror, sign_in):
    code = assignments[0].code
    clients = [sign_in(app.test_client(), juror) for _ in range(4)]
    tokens = [token_of(c, f"/judging/entries/{code}") for c in clients]
    db.session.remove()  # the threads use their own connections; keep none open here (SQLite locks)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def run(client, token):
        barrier.wait()
        with app.app_context():
            response = client.post(f"/judging/entries/{code}", data={**GOOD, "action": "submit", "confirmed": "1", "csrf_token": token})
            statuses.append(response.status_code)
            db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302] * len(clients)
    (score_set,) = score_sets()
    assert score_set.status == "submitted"
    count = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "score.submitted"))
    assert count == 1
    assert isinstance(clients[0], RequestIsolatedClient)
