"""Saving drafts (with and without JavaScript), submitting, totals, the audit trail and other jurors' scores."""
from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db
from tests.fixtures import GOOD, score_sets


def events(action):
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_draft_saves_without_javascript_and_may_leave_criteria_empty(send, assignments):
    code = assignments[0].code
    response = send(code, {"score_relevance": "8", "comment_relevance": "Strong idea"})
    assert response.status_code == 302
    (score_set,) = score_sets()
    assert score_set.status == "draft"
    values = {v.criterion.key: v for v in score_set.values}
    assert values["relevance"].value == Decimal(8) and values["relevance"].comment == "Strong idea"
    assert score_set.total == Decimal(8)


def test_autosave_answers_json_and_audits_old_and_new_values(send, assignments):
    code = assignments[0].code
    response = send(code, {"score_relevance": "5"}, autosave=True)
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True and body["at"] and body["message"].startswith("Saved at")
    send(code, {"score_relevance": "6"}, autosave=True)
    saved = events("score.saved")
    assert [e.details["changes"]["relevance"] for e in saved] == [[None, "5"], ["5", "6"]]
    assert saved[0].details["assignment"] == code


def test_autosave_with_nothing_typed_creates_nothing(send, assignments):
    assert send(assignments[0].code, {}, autosave=True).get_json()["saved"] is True
    assert score_sets() == []


def test_autosave_reports_field_errors_and_saves_nothing(send, assignments):
    response = send(assignments[0].code, {"score_relevance": "11", "score_originality": "4"}, autosave=True)
    assert response.status_code == 400
    body = response.get_json()
    assert body["saved"] is False and "score_relevance" in body["errors"]
    assert score_sets() == []


def test_submit_stores_weighted_total_and_is_final(send, assignments, juror_client):
    code = assignments[0].code
    assert send(code, GOOD, action="submit").status_code == 302
    (score_set,) = score_sets()
    assert score_set.status == "submitted" and score_set.submitted_at is not None
    expected = (Decimal("0.3") * 8 + Decimal("0.25") * 7 + Decimal("0.25") * 6 + Decimal("0.2") * 9)
    assert score_set.total == expected.quantize(Decimal("0.0001"))
    submitted = events("score.submitted")
    assert len(submitted) == 1
    assert submitted[0].details["changes"]["relevance"] == [None, "8"]
    assert submitted[0].details["changes"]["status"] == ["draft", "submitted"]
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert "They are final" in page and "Submit scores" not in page and "1 of 3 scored" in page
    # No reopening: a later save or submit changes nothing.
    again = send(code, {**GOOD, "score_relevance": "2"}, action="submit")
    assert again.status_code == 302
    follow = juror_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "already submitted" in follow
    assert send(code, {"score_relevance": "2"}, autosave=True).status_code == 409
    (score_set,) = score_sets()
    assert {v.criterion.key: v.value for v in score_set.values}["relevance"] == Decimal(8)
    assert len(events("score.submitted")) == 1


def test_submit_after_draft_audits_the_change(send, assignments):
    code = assignments[0].code
    send(code, {**GOOD, "score_relevance": "3"})
    send(code, GOOD, action="submit")
    (submitted,) = events("score.submitted")
    assert submitted.details["changes"]["relevance"] == ["3", "8"]


def test_list_shows_draft_and_submitted_status_and_progress(send, assignments, juror_client):
    send(assignments[0].code, {"score_relevance": "3"})
    send(assignments[1].code, GOOD, action="submit")
    page = juror_client.get("/judging/entries").get_data(as_text=True)
    assert "1 of 3 scored" in page and "Draft" in page and "Submitted" in page and "Not started" in page


def test_html_in_comments_is_escaped(send, assignments, juror_client):
    code = assignments[0].code
    send(code, {**GOOD, "comment_relevance": "<script>alert(1)</script>", "overall_comment": "<b>bold</b>"},
         action="submit")
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def _second_juror_scores(app, client, sign_in, make_juror, round1, assignments, assign, send):
    other = make_juror("juror2@example.org", name="Julia Juror")
    theirs = assign(round1, assignments[0].entry, other)
    send(theirs.code, {**GOOD, "score_relevance": "4"}, action="submit", client=sign_in(app.test_client(), other))
    return theirs


def test_other_scores_shown_anonymously_after_submit_when_round_allows(
        app, client, sign_in, make_juror, round1, assignments, assign, send, juror_client):
    _second_juror_scores(app, client, sign_in, make_juror, round1, assignments, assign, send)
    round1.show_other_scores = True
    db.session.commit()
    code = assignments[0].code
    assert "Other jurors" not in juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    send(code, GOOD, action="submit")
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert "Other jurors" in page and "Juror A" in page and "Julia" not in page
    assert "Jonas Juror" in page  # only in the header: the juror's own name


def test_other_scores_hidden_when_round_does_not_allow(
        app, client, sign_in, make_juror, round1, assignments, assign, send, juror_client):
    _second_juror_scores(app, client, sign_in, make_juror, round1, assignments, assign, send)
    code = assignments[0].code
    send(code, GOOD, action="submit")
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    assert "Other jurors" not in page and "Juror A" not in page


def test_audit_details_are_json(send, assignments):
    send(assignments[0].code, GOOD)
    (event,) = events("score.saved")
    assert json.loads(event.details_json)["changes"]["impression"] == [None, "9"]


def test_weighted_total_normalises_weights_and_skips_empty_criteria():
    from types import SimpleNamespace as C

    from judging.scoring.operations import weighted_total

    rubric = C(criteria=[C(key="a", weight=Decimal(2)), C(key="b", weight=Decimal(1)), C(key="c", weight=Decimal(1))])
    assert weighted_total(rubric, {"a": Decimal(10), "b": Decimal(4), "c": Decimal(6)}) == Decimal("7.5")
    assert weighted_total(rubric, {"a": Decimal(9), "b": None, "c": Decimal(6)}) == Decimal(8)
    assert weighted_total(rubric, {"a": None}) is None


def test_i_know_this_work_form_posts_the_code_when_declaring_is_available(app, juror_client, assignments):
    code = assignments[0].code
    page = juror_client.get(f"/judging/entries/{code}").get_data(as_text=True)
    if "judging.declare_entry_conflict" in app.view_functions:
        assert f'<input type="hidden" name="code" value="{code}">' in page and "I know this work" in page
    else:
        assert "I know this work" not in page
