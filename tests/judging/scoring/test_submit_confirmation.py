""""Submit scores" saves the draft and asks first: submitted scores are final."""
from __future__ import annotations

from tests.fixtures import GOOD, score_sets, token_of


def test_submit_asks_first_then_submits(assignments, juror_client):
    code = assignments[0].code
    url = f"/judging/entries/{code}"
    response = juror_client.post(url, data={**GOOD, "action": "submit", "csrf_token": token_of(juror_client, url)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/judging/entries/{code}/submit")
    (score_set,) = score_sets()
    assert score_set.status == "draft"  # kept, not yet final
    page = juror_client.get(f"{url}/submit").get_data(as_text=True)
    assert "Submitted scores are final" in page and "entries are left to score" in page
    assert ": 8" in page  # the scores about to be submitted are listed
    confirmed = juror_client.post(f"{url}/submit", data={"csrf_token": token_of(juror_client, f"{url}/submit")})
    assert confirmed.status_code == 302
    (score_set,) = score_sets()
    assert score_set.status == "submitted"


def test_the_confirmation_without_a_token_changes_nothing(assignments, juror_client):
    code = assignments[0].code
    url = f"/judging/entries/{code}"
    juror_client.post(url, data={**GOOD, "action": "submit", "csrf_token": token_of(juror_client, url)})
    assert juror_client.post(f"{url}/submit", data={}).status_code in (200, 400)
    (score_set,) = score_sets()
    assert score_set.status == "draft"


def test_another_juror_gets_404_on_the_confirmation(assignments, app, make_juror, sign_in):
    other = sign_in(app.test_client(), make_juror("other@example.org"))
    assert other.get(f"/judging/entries/{assignments[0].code}/submit").status_code == 404
