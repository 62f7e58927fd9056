"""Fixtures for the rubric and jury pages: a signed-in secretariat, and the form of a page read as a browser would."""
from __future__ import annotations

import pytest

from accounts.models import Role
from tests.judging.rubrics_jury.form_fields import form_fields


@pytest.fixture()
def secretariat(app, make_user, client, sign_in):
    user = make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia Secretariat")
    sign_in(client, user)
    return user


@pytest.fixture()
def page_form(client):
    """``page_form(url)``: the fields of the page's form as the browser would post them."""

    def _read(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return form_fields(response.get_data(as_text=True))

    return _read


@pytest.fixture()
def send(client):
    """POST a list of (name, value) pairs, as ``page_form`` returned them (they carry the CSRF token)."""
    from werkzeug.datastructures import MultiDict

    def _send(url, fields, **extra):
        data = MultiDict(fields)
        for key, value in extra.items():
            data.add(key, value)
        return client.post(url, data=data)

    return _send
