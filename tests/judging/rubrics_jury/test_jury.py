"""The secretariat's jury page and jurors' profiles: languages, city, country, cap and juries."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role
from competition.models import City
from core.audit import AuditEvent
from core.db import db
from judging.models import Conflict, JurorProfile
from tests.clients import without_tokens
from tests.fixtures import NAMES
from tests.judging.rubrics_jury.form_fields import with_changes
from tests.rows import audit_actions


@pytest.fixture()
def oslo(app):
    city = City(name="Oslo", country_code="NO")
    db.session.add(city)
    db.session.commit()
    return city


def profile(user_id) -> JurorProfile | None:
    db.session.expire_all()
    return db.session.get(JurorProfile, user_id)


def test_jury_lists_jurors_with_their_profile_and_counts_and_nobody_else(
        client, secretariat, make_juror, make_user, make_entries, round1, assign, oslo):
    entries = make_entries(2)
    jonas = make_juror(languages=["en", "pt"], cap=12, final=True, city=oslo)
    p = db.session.get(JurorProfile, jonas.id)
    p.country_code = "NO"
    db.session.add(Conflict(juror=p, kind="city", city_id=oslo.id))
    db.session.commit()
    for entry in entries:
        assign(round1, entry, jonas)
    make_user("new.juror@example.org", roles=(Role.JUROR,), name="Nadia Newcomer")
    html = client.get("/judging/jury").get_data(as_text=True)
    assert "Jonas Juror" in html and "Nadia Newcomer" in html and "No profile yet" in html
    assert "English, Portuguese" in html and "Oslo, Norway" in html
    assert "Final jury" in html and ">12<" in html
    row = html.split("Jonas Juror")[1].split("</tr>")[0]
    assert [cell.strip() for cell in row.split("<td>")[-2:]] == ["1</td>", "2</td>"]
    assert "Tina Marquez" not in html and "Sofia Secretariat</a>" not in html
    assert 'href="/account/invitations"' in html


def test_a_french_viewer_reads_languages_and_countries_in_french(client, make_user, sign_in, make_juror, oslo):
    sign_in(client, make_user("sec@example.org", roles=(Role.SECRETARIAT,), language="fr"))
    juror = make_juror(languages=["en", "de"])
    html = client.get(f"/judging/jury/{juror.id}").get_data(as_text=True)
    assert "allemand" in html and "Norvège" in html


def test_editing_a_juror_without_a_profile_creates_it_and_saves_everything(
        secretariat, make_user, page_form, send, oslo):
    juror = make_user("new.juror@example.org", roles=(Role.JUROR,), name="Nadia Newcomer")
    url = f"/judging/jury/{juror.id}"
    fields = page_form(url)
    assert profile(juror.id) is not None  # shown with the defaults, which are what gets saved
    fields = [(k, v) for k, v in fields if k not in ("languages", "final_jury")]
    fields += [("languages", "fr"), ("languages", "pt"), ("final_jury", "y")]
    response = send(url, with_changes(fields, {"city_id": str(oslo.id), "country_code": "NO", "max_entries": "25",
                                               "round1": None}))
    assert response.status_code == 302
    saved = profile(juror.id)
    assert (saved.languages, saved.country_code, saved.max_entries, saved.round1, saved.final_jury, saved.active) == (
        ["fr", "pt"], "NO", 25, False, True, True)
    assert saved.city_id == oslo.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "juror.changed"))
    assert event.details["old"]["max_entries"] == 40 and event.details["new"]["max_entries"] == 25
    assert event.details["new"]["languages"] == "fr,pt"  # the audit shows the languages as it always has
    assert event.details["new"]["city_id"] == oslo.id


def test_a_juror_who_drops_out_is_made_inactive_and_their_unscored_entries_go_to_others(
        secretariat, make_juror, page_form, send, make_entries, round1, assign, outbox):
    from judging.models import Assignment

    juror = make_juror()
    other = make_juror("other@example.org", name="Olivia Other")
    entry = make_entries(1)[0]
    round1.jurors_per_entry = 1
    assign(round1, entry, juror)
    url = f"/judging/jury/{juror.id}"
    assert send(url, with_changes(page_form(url), {"active": None})).status_code == 302
    saved = profile(juror.id)
    assert saved.active is False and saved.languages == ["en", "fr"] and saved.max_entries == 40
    holders = db.session.scalars(select(Assignment.juror_id).where(Assignment.round_id == round1.id)).all()
    assert holders == [other.id]  # the round is open: the entry went to the juror still active
    assert outbox()[-1]["To"] == "other@example.org"


@pytest.mark.parametrize(("changes", "message"), [
    ({"max_entries": "-1"}, "Enter the most entries to score, a whole number from 0 to 1000."),
    ({"max_entries": "1001"}, "Enter the most entries to score, a whole number from 0 to 1000."),
    ({"max_entries": "abc"}, "Enter the most entries to score, a whole number from 0 to 1000."),
    ({"max_entries": ""}, "Enter the most entries to score, a whole number from 0 to 1000."),
    ({"languages": None}, "Choose at least one language."),
    ({"languages": "xx"}, "Choose languages from the list only."),
    ({"city_id": "999999"}, "Choose the city from the list."),
    ({"city_id": "inactive"}, "Choose the city from the list."),
    ({"country_code": "ZZ"}, "Choose the country from the list."),
    ({"country_code": "<b>"}, "Choose the country from the list."),
])
def test_bad_juror_input_is_explained_and_nothing_is_saved(secretariat, make_juror, page_form, send, changes, message):
    juror = make_juror()
    if changes.get("city_id") == "inactive":
        closed = City(name="Closed", country_code="FR", active=False)
        db.session.add(closed)
        db.session.commit()
        changes = {"city_id": str(closed.id)}
    url = f"/judging/jury/{juror.id}"
    fields = page_form(url)
    response = send(url, with_changes(fields, changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html and message in html
    saved = profile(juror.id)
    assert (saved.languages, saved.max_entries, saved.country_code) == (["en", "fr"], 40, "")
    assert audit_actions() == []


@pytest.mark.parametrize("who", ["teacher", "secretariat", "nobody"])
def test_only_jurors_have_a_juror_page(client, secretariat, make_user, who):
    target = {"teacher": lambda: make_user("t@example.org", roles=(Role.TEACHER,)), "secretariat": lambda: secretariat,
              "nobody": None}[who]
    user_id = target().id if target else 999999
    assert client.get(f"/judging/jury/{user_id}").status_code == 404
    assert db.session.get(JurorProfile, user_id) is None


def test_a_juror_sets_their_own_languages_city_and_country_but_not_their_cap(
        client, make_juror, sign_in, page_form, send, oslo, make_entries):
    make_entries(1)
    juror = make_juror()
    sign_in(client, juror)
    html = without_tokens(client.get("/judging/profile").get_data(as_text=True))
    for secret in (NAMES["teacher"], NAMES["school"], NAMES["class"], *(p[0] for p in NAMES["pupils"])):
        assert secret not in html
    assert "max_entries" not in html and "final_jury" not in html
    fields = [(k, v) for k, v in page_form("/judging/profile") if k != "languages"] + [("languages", "pt")]
    fields = with_changes(fields, {"city_id": str(oslo.id), "country_code": "NO"})
    assert send("/judging/profile", fields, max_entries="999", final_jury="y").status_code == 302
    saved = profile(juror.id)
    assert (saved.languages, saved.country_code, saved.max_entries, saved.final_jury) == (["pt"], "NO", 40, False)
    assert audit_actions() == ["juror.changed"]


def test_a_juror_who_accepted_an_invitation_gets_a_profile_on_their_page(client, make_user, sign_in):
    juror = make_user("fresh@example.org", roles=(Role.JUROR,))
    sign_in(client, juror)
    assert client.get("/judging/profile").status_code == 200
    assert profile(juror.id).active is True
