"""Fixtures for blind scoring: a juror with a few assignments in an open round, signed in."""
from __future__ import annotations

import pytest

from tests.fixtures import token_of


@pytest.fixture()
def assignments(make_entries, juror, round1, assign):
    entries = make_entries(3)
    # Positions deliberately not in id order: the list follows the shuffle, not the ids.
    return [assign(round1, entry, juror, position=pos) for entry, pos in zip(entries, (2, 0, 1))]


@pytest.fixture()
def juror_client(client, juror, sign_in):
    return sign_in(client, juror)


@pytest.fixture()
def send(juror_client):
    """POST the scoring form of ``code`` (``action`` save or submit, or to the autosave URL)."""

    def _send(code, data=None, action="save", autosave=False, client=None):
        client = client or juror_client
        url = f"/judging/entries/{code}"
        form = {"csrf_token": token_of(client, url), **(data or {})}
        if autosave:
            return client.post(url + "/autosave", data=form)
        form["action"] = action
        if action == "submit":
            form["confirmed"] = "1"  # as from the confirmation page's flow (tested in test_submit_confirmation.py)
        return client.post(url, data=form)

    return _send
