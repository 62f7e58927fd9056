"""Every form of the three journeys saves twice, unchanged, as a browser would send it (issue 10, point 9).

Each page is loaded, its form read back from the HTML (inputs, ticked boxes, chosen options, text areas and
the submit button), and sent twice as it is. Saving a form unchanged must always work: no 500, no error.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from core.db import db


class _Forms(HTMLParser):
    """The POST forms of a page: (action, [(name, value), ...]) with what a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list]] = []
        self._form = None
        self._textarea = None
        self._select = None
        self._submit_taken = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = (a.get("action", ""), [])
            self._submit_taken = False
            return
        if self._form is None:
            return
        fields = self._form[1]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind == "submit":
                if not self._submit_taken:
                    fields.append((name, a.get("value", "")))
                    self._submit_taken = True
            elif kind != "file":
                fields.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit" and not self._submit_taken:
            self._submit_taken = True
            if name:
                fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1][1:] if self._textarea[1].startswith("\n") else self._textarea[1]
            self._form[1].append((self._textarea[0], value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select[2] if self._select[2] is not None else self._select[1]
            if chosen is not None:
                self._form[1].append((self._select[0], chosen))
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def forms_of(html: str):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def save_twice(client, url: str, action: str | None = None, button: str | None = None):
    """Load ``url``, pick its form posting to ``action`` (default: the page itself), send it twice unchanged."""
    from werkzeug.datastructures import MultiDict

    for attempt in (1, 2):
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        target = action or url
        candidates = [f for f in forms_of(page.get_data(as_text=True))
                      if (f[0] or url).split("?")[0] == target and any(n.endswith("csrf_token") for n, _v in f[1])]
        assert candidates, f"no form posting to {target} on {url}"
        fields = candidates[0][1]
        if button:
            fields = [(n, v) for n, v in fields if n != button.split("=")[0]] + [tuple(button.split("=", 1))]
        response = client.post(target, data=MultiDict(fields))
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 302), (url, attempt, response.status_code, body[:1500])
        assert "There is a problem" not in body, (url, attempt, body[:3000])


@pytest.fixture()
def demo(app):
    from demo.build import load_demo

    load_demo("demo password for tests")
    db.session.commit()


def _user(email):
    from accounts.models import User

    return db.session.scalar(select(User).where(User.email == email))


def test_the_teachers_forms_save_twice_unchanged(app, demo, sign_in):
    from competition.models import Edition, Entry, SchoolClass

    client = sign_in(app.test_client(), _user("teacher@example.org"))
    six_b = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "6B",
                                                        SchoolClass.edition_id == Edition.current().id))
    draft = db.session.scalar(select(Entry).where(Entry.class_id == six_b.id, Entry.status == "draft"))
    assert draft.authors, "the draft has a pupil: the case that answered 500"
    save_twice(client, f"/competition/classes/{six_b.id}/edit")
    save_twice(client, f"/competition/classes/{six_b.id}/pupils")
    save_twice(client, f"/competition/entries/{draft.id}/details")
    save_twice(client, f"/competition/entries/{draft.id}/work", action=f"/competition/entries/{draft.id}/work/text")
    save_twice(client, f"/competition/entries/{draft.id}/translation")
    save_twice(client, f"/competition/entries/{draft.id}/consent")
    save_twice(client, "/account/settings", action="/account/settings/profile")


def test_the_jurors_forms_save_twice_unchanged(app, demo, sign_in):
    from judging.models import Assignment, Round, ScoreSet

    juror = _user("juror@example.org")
    client = sign_in(app.test_client(), juror)
    draft = db.session.scalar(select(Assignment).join(ScoreSet).join(Round).where(
        Assignment.juror_id == juror.id, ScoreSet.status == "draft", Round.status == "open"))
    save_twice(client, "/judging/profile")
    save_twice(client, f"/judging/entries/{draft.code}", button="action=save")
    save_twice(client, "/account/settings", action="/account/settings/profile")


def test_the_secretariats_forms_save_twice_unchanged(app, demo, sign_in):
    from competition.models import City, Edition, School
    from judging.models import Round

    client = sign_in(app.test_client(), _user("secretariat@example.org"))
    edition = Edition.current()
    city = db.session.scalar(select(City).where(City.name == "Lisbon"))
    school = db.session.scalar(select(School).where(School.city_id == city.id).order_by(School.id))
    round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id))
    save_twice(client, f"/competition/admin/editions/{edition.id}")
    save_twice(client, f"/competition/admin/cities/{city.id}")
    save_twice(client, f"/competition/admin/schools/{school.id}")
    save_twice(client, f"/judging/rounds/{round_.id}/edit")
    save_twice(client, f"/judging/jury/{_user('juror2@example.org').id}")
    save_twice(client, f"/judging/rubrics/{edition.categories[0].id}")
    save_twice(client, "/account/settings", action="/account/settings/profile")
