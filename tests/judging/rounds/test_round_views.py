"""The secretariat's round pages: create, check, save, open, close, hand edits, access."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role
from core.db import db
from judging.models import Assignment, Round
from tests.judging.rounds.assignments import count_assignments, pairs


def _new_round(post, **data):
    form = {"jurors_per_entry": "3", "seed": "2026", "closes_on": "", "closes_time": ""}
    form.update(data)
    return post("/judging/rounds/new", form)


def test_secretariat_creates_round_one(secretariat, edition, post, client):
    response = _new_round(post, closes_on="2026-12-01", closes_time="18:00")
    assert response.status_code == 302
    judging_round = db.session.scalar(select(Round))
    assert (judging_round.number, judging_round.jurors_per_entry, judging_round.status) == (1, 3, "setup")
    assert judging_round.closes_at.hour == 17  # 18:00 in Paris is 17:00 UTC in December
    page = client.get("/judging/dashboard").get_data(as_text=True)
    assert "Round 1" in page and "Being prepared" in page


@pytest.mark.parametrize("field, value, message", [
    ("jurors_per_entry", "0", "from 1 to 20"),
    ("jurors_per_entry", "21", "from 1 to 20"),
    ("jurors_per_entry", "three", "from 1 to 20"),
    ("seed", "abc", "whole number, like 2026"),
    ("seed", "", "whole number, like 2026"),
])
def test_bad_round_settings_are_explained(secretariat, edition, post, field, value, message):
    response = _new_round(post, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert f'href="#{field}"' in page
    assert db.session.scalar(select(Round)) is None


def test_too_few_jurors_is_reported_per_entry_and_nothing_saved(secretariat, round1, make_entries, jurors, post,
                                                                client):
    entries = make_entries(2, language="pt")
    jurors(2, languages=["pt", "en"])
    jurors(3, languages=["de"], prefix="d")
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert "2 entries cannot get enough jurors" in page
    assert "needs 3 more jurors who read Portuguese; only 2 jurors can take it" in page
    assert "3 do not read its language" in page
    assert entries[0].reference in page
    response = post(f"/judging/rounds/{round1.id}/assign")
    assert response.status_code == 409
    assert "Nothing has been saved" in response.get_data(as_text=True)
    assert count_assignments() == 0


def test_the_preview_says_how_many_readers_to_add(secretariat, round1, make_entries, jurors, client):
    make_entries(3, language="pt")
    jurors(2, languages=["pt", "en"])
    jurors(3, languages=["de"], prefix="d")
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert "What would make it possible" in page
    assert "Add 1 juror who reads Portuguese, each taking up to 40 entries (for " in page
    assert "Raise the limit" not in page  # no limit helps: there are two readers of Portuguese


def test_the_preview_says_which_limit_would_do_in_both_languages(secretariat, round1, make_entries, jurors, client):
    make_entries(4)
    jurors(3, cap=3)  # 12 places needed, 9 available
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert "Raise the limit of the 3 jurors below it to 4 entries in this round." in page
    assert "Or, with the limits as they are:" in page and "Either answer is enough on its own." in page
    assert "Add 1 juror who reads English, each taking up to 3 entries (for " in page
    secretariat.language = "fr"
    db.session.commit()
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert "Ce qui le rendrait possible" in page
    assert ("Relever à 4 participations dans ce tour la limite des 3 membres du jury qui sont en dessous."
            in page)
    assert "Ajouter 1 membre du jury qui lit anglais, chacun pouvant prendre jusqu’à 3 participations" in page


def test_assignment_is_previewed_then_saved_and_jurors_told(secretariat, round1, make_entries, jurors, post, client,
                                                           outbox):
    entries = make_entries(4)
    team = jurors(4)
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert "Every entry gets its jurors: 12 assignments in all." in page
    assert "Juror J1" in page and "pairs of jurors share entries" in page
    response = post(f"/judging/rounds/{round1.id}/assign")
    assert response.status_code == 302
    assert count_assignments(round1.id) == 12
    messages = outbox()
    assert sorted(m["To"] for m in messages) == sorted(j.email for j in team)
    body = messages[0].get_body(("plain",)).get_content()
    assert "entries have been given to you" in body and "/judging/" in body
    for secret in (entries[0].title, "Lisbon", "Camões", "Amira", "Tina"):
        assert secret not in body and secret not in messages[0]["Subject"]


def test_jurors_are_told_in_their_language(secretariat, round1, make_entries, make_juror, post, outbox):
    make_entries(1)
    for i in range(3):
        make_juror(f"fr{i}@example.org", name=f"Jury {i}")
    from accounts.models import User

    for user in db.session.scalars(select(User).where(User.email.like("fr%"))):
        user.language = "fr"
    db.session.commit()
    post(f"/judging/rounds/{round1.id}/assign")
    assert all("Bonjour" in m.get_body(("plain",)).get_content() for m in outbox())


def test_open_and_close_the_round(secretariat, round1, post):
    round1.status = "setup"
    db.session.commit()
    post(f"/judging/rounds/{round1.id}/open")
    db.session.expire_all()
    assert round1.status == "open"
    post(f"/judging/rounds/{round1.id}/close")
    db.session.expire_all()
    assert round1.status == "closed"
    response = post(f"/judging/rounds/{round1.id}/open", follow_redirects=True)
    assert "nothing was changed" in response.get_data(as_text=True)


def test_no_round_opens_while_the_results_are_public(secretariat, round1, post):
    from core.db import utcnow

    round1.status = "setup"
    round1.edition.results_published_at = utcnow()
    db.session.commit()
    response = post(f"/judging/rounds/{round1.id}/open", follow_redirects=True)
    assert "take them off the public page" in response.get_data(as_text=True)
    db.session.expire_all()
    assert round1.status == "setup"


def test_removing_an_assignment_with_a_submitted_score_is_refused(secretariat, round1, make_entries, make_juror,
                                                                 assign, score, post, client):
    entry = make_entries(1)[0]
    juror = make_juror()
    assignment = assign(round1, entry, juror)
    score(assignment, "submitted")
    response = post(f"/judging/assignments/{assignment.id}/remove", follow_redirects=True)
    assert "cannot be removed" in response.get_data(as_text=True)
    assert count_assignments() == 1


def test_removing_an_assignment_with_a_draft_warns_then_deletes(secretariat, round1, make_entries, make_juror,
                                                               assign, score, post, client):
    entry = make_entries(1)[0]
    assignment = assign(round1, entry, make_juror())
    score(assignment, "draft")
    page = client.get(f"/judging/assignments/{assignment.id}/remove").get_data(as_text=True)
    assert "has a draft score for this entry. It will be deleted." in page
    assert post(f"/judging/assignments/{assignment.id}/remove").status_code == 302
    assert count_assignments() == 0


def test_add_a_juror_by_hand(secretariat, round1, make_entries, jurors, make_juror, post, client):
    entry = make_entries(1)[0]
    team = jurors(2)
    local = make_juror("local@example.org", name="Local Juror", city=entry.school_class.school.city)
    page = client.get(f"/judging/rounds/{round1.id}/entries/{entry.id}").get_data(as_text=True)
    assert "Juror J1" in page and "Local Juror" not in page
    assert post(f"/judging/rounds/{round1.id}/entries/{entry.id}", {"juror": str(local.id)}).status_code == 400
    assert post(f"/judging/rounds/{round1.id}/entries/{entry.id}", {"juror": str(team[0].id)}).status_code == 302
    added = db.session.scalar(select(Assignment))
    assert added.manual and added.juror_id == team[0].id


def test_reminders_go_to_jurors_with_unfinished_work_only(secretariat, round1, make_entries, jurors, assign, score,
                                                         post, outbox):
    entries = make_entries(2)
    busy, done = jurors(2)
    assign(round1, entries[0], busy)
    score(assign(round1, entries[1], busy), "draft")
    score(assign(round1, entries[0], done), "submitted")
    response = post(f"/judging/rounds/{round1.id}/remind", {"juror": ""}, follow_redirects=True)
    assert "A reminder has been sent to 1 juror." in response.get_data(as_text=True)
    (message,) = outbox()
    assert message["To"] == busy.email
    body = message.get_body(("plain",)).get_content()
    assert "You have submitted 0 of your 2 scores. 2 are still to do." in body
    for secret in (entries[0].title, entries[0].reference, "Lisbon", "Camões", "Amira"):
        assert secret not in body
    post(f"/judging/rounds/{round1.id}/remind", {"juror": str(busy.id)})
    assert len(outbox()) == 2


def test_dashboard_shows_progress_per_juror_and_short_entries(secretariat, round1, make_entries, jurors, assign,
                                                             score, client):
    entries = make_entries(2)
    juror = jurors(1)[0]
    score(assign(round1, entries[0], juror), "submitted")
    page = client.get("/judging/dashboard").get_data(as_text=True)
    assert "1 of 1 scores submitted" in page
    assert "2 entries do not have all their jurors." in page
    assert "Remind Juror J1" not in page  # nothing left to do
    assert entries[1].reference in page


def test_reassign_button_fills_the_places_of_a_juror_who_left(secretariat, round1, make_entries, jurors, post):
    from judging.models import JurorProfile

    make_entries(3)
    team = jurors(4)
    post(f"/judging/rounds/{round1.id}/assign")
    db.session.get(JurorProfile, team[0].id).active = False
    db.session.commit()
    post(f"/judging/rounds/{round1.id}/reassign")
    db.session.expire_all()
    got = pairs(round1.id)
    assert len(got) == 9 and team[0].id not in {j for _, j in got}


SECRETARIAT_PAGES = [
    ("get", "/judging/dashboard"), ("get", "/judging/rounds/new"), ("get", "/judging/rounds/{r}"),
    ("get", "/judging/rounds/{r}/preview"), ("post", "/judging/rounds/{r}/assign"),
    ("post", "/judging/rounds/{r}/reassign"), ("post", "/judging/rounds/{r}/open"),
    ("post", "/judging/rounds/{r}/remind"), ("get", "/judging/rounds/{r}/entries/{e}"),
    ("get", "/judging/assignments/{a}/remove"), ("get", "/judging/rounds/{r}/edit"),
]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.JUROR, Role.COORDINATOR])
@pytest.mark.parametrize("method, url", SECRETARIAT_PAGES)
def test_other_roles_get_404_on_secretariat_pages(role, method, url, round1, make_entries, make_user, assign, client,
                                                 sign_in, csrf):
    entry = make_entries(1)[0]
    juror = make_user("someone@example.org", roles=(role,), name="Someone")
    assignment = assign(round1, entry, juror)
    sign_in(client, juror)
    path = url.format(r=round1.id, e=entry.id, a=assignment.id)
    response = client.get(path) if method == "get" else client.post(path, data={"csrf_token": csrf()})
    assert response.status_code == 404
    assert count_assignments() == 1


def test_jurors_are_told_when_scoring_opens_not_while_the_round_is_prepared(secretariat, round1, make_entries, jurors,
                                                                            post, outbox):
    round1.status = "setup"
    db.session.commit()
    make_entries(2)
    team = jurors(3)
    post(f"/judging/rounds/{round1.id}/assign")
    assert count_assignments(round1.id) == 6 and outbox() == []
    post(f"/judging/rounds/{round1.id}/open")
    messages = outbox()
    assert sorted(m["To"] for m in messages) == sorted(j.email for j in team)
    assert "You now have 2 entries in this round." in messages[0].get_body(("plain",)).get_content()


def test_change_the_round_settings(secretariat, round1, post, client):
    assert "Change the round" in client.get(f"/judging/rounds/{round1.id}/edit").get_data(as_text=True)
    assert post(f"/judging/rounds/{round1.id}/edit", {"jurors_per_entry": "21", "seed": "5"}).status_code == 400
    assert post(f"/judging/rounds/{round1.id}/edit", {"jurors_per_entry": "2", "seed": "5"}).status_code == 302
    db.session.expire_all()
    assert (round1.jurors_per_entry, round1.seed, round1.closes_at) == (2, 5, None)


def test_a_kept_assignment_warning_names_the_entry_and_the_juror(secretariat, round1, make_entries, jurors, make_juror,
                                                                 assign, score, client):
    entry = make_entries(1, language="pt")[0]
    jurors(3, languages=["pt"])
    reader = make_juror("english@example.org", name="Erin English", languages=["en"])
    score(assign(round1, entry, reader), "draft")  # scored: kept, though Erin does not read Portuguese
    page = client.get(f"/judging/rounds/{round1.id}/preview").get_data(as_text=True)
    assert (f"Entry {entry.reference} is kept with Erin English (scored or added by hand), who does not read its "
            "language.") in page
    assert "goes against a conflict or a language" not in page
