"""Drill-down, calibration, shortlist and awards: the pages, their bad input and their audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import Role
from core.audit import AuditEvent
from core.db import db
from tests.fixtures import category_of


def _actions(name):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)).all()


def test_drill_down_shows_every_juror_and_comment(as_secretariat, scored, round1):
    entries, jurors = scored(4, jurors=3, k=3)
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results/entries/{entries[0].id}").get_data(as_text=True)
    assert entries[0].reference in html and entries[0].title in html
    assert f"/entries/{entries[0].id}" in html  # link to the competition's entry page
    for juror in jurors:
        assert juror.name in html
    assert "On relevance." in html and "Relevance to the theme" in html


def test_drill_down_of_entry_outside_round_is_404(as_secretariat, scored, round1, make_entries):
    scored(2)
    other = make_entries(1, discipline="essay")[0]
    assert as_secretariat.get(f"/judging/rounds/{round1.id}/results/entries/{other.id}").status_code == 404
    assert as_secretariat.get(f"/judging/rounds/{round1.id}/results/entries/999999").status_code == 404


def test_calibration_draws_accessible_svg_charts(as_secretariat, scored, round1, edition):
    scored(8, jurors=4, k=3, severities=[0, -2, 0, 2])
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/calibration?category={category_of(edition).id}").get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 2
    assert "<title id=\"hist-t\">" in html and "<title id=\"jurors-t\">" in html
    assert "<style" not in html and "style=" not in html.split("<svg", 1)[1]
    assert "Juror 1" in html and "Severe" in html and "Lenient" in html


def test_calibration_without_scores_says_so(as_secretariat, round1):
    assert "No results yet" in as_secretariat.get(f"/judging/rounds/{round1.id}/calibration").get_data(as_text=True)


def test_shortlist_top_n_creates_the_final_round_once(as_secretariat, post, scored, round1):
    from judging.models import Round, ShortlistEntry

    scored(6)
    assert post(f"/judging/rounds/{round1.id}/shortlist", {"rule": "top", "top_n": "3"}).status_code == 302
    assert post(f"/judging/rounds/{round1.id}/shortlist", {"rule": "top", "top_n": "4"}).status_code == 302
    finals = db.session.scalars(select(Round).where(Round.number == 2)).all()
    assert len(finals) == 1 and finals[0].name == "Final"
    assert len(db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == finals[0].id)).all()) == 4
    assert len(_actions("round.shortlisted")) == 2 and len(_actions("round.created")) == 1


def test_shortlist_by_threshold(as_secretariat, post, scored, round1):
    from judging.models import ShortlistEntry
    from judging.results import service as results_service

    entries, _ = scored(6)
    res = results_service.load_category(round1, entries[0].category)
    cut = sorted(r.value for r in res.rows)[3]
    assert post(f"/judging/rounds/{round1.id}/shortlist", {"rule": "threshold", "threshold": f"{cut - 1e-7:.7f}"}).status_code == 302
    assert len(db.session.scalars(select(ShortlistEntry)).all()) == 3


@pytest.mark.parametrize("data, message", [
    ({"rule": "top", "top_n": "0"}, "Enter a number of entries from 1 to 10000"),
    ({"rule": "top", "top_n": "-1"}, "Enter a number of entries from 1 to 10000"),
    ({"rule": "top", "top_n": "abc"}, "as a whole number"),
    ({"rule": "top", "top_n": ""}, "as a whole number"),
    ({"rule": "threshold", "threshold": "11"}, "Enter a score from 0 to 10"),
    ({"rule": "threshold", "threshold": "-0.5"}, "Enter a score from 0 to 10"),
    ({"rule": "threshold", "threshold": "nan"}, "Enter the lowest score as a number"),
    ({"rule": "threshold", "threshold": "seven"}, "Enter the lowest score as a number"),
    ({"rule": "everything"}, "Choose how to pick the entries"),
])
def test_shortlist_bad_input_is_refused(as_secretariat, post, scored, round1, data, message):
    from judging.models import Round

    scored(3)
    response = post(f"/judging/rounds/{round1.id}/shortlist", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Round).where(Round.number == 2)) is None


def _award(post, round1, entry, kind, category=None):
    return post(f"/judging/rounds/{round1.id}/awards?category={category or entry.category_id}",
                {"entry": str(entry.id), "kind": kind, "note": ""})


def test_first_prize_is_given_and_audited(as_secretariat, post, scored, round1):
    from judging.models import Award

    entries, _ = scored(3)
    assert _award(post, round1, entries[0], "first").status_code == 302
    award = db.session.scalar(select(Award))
    assert (award.entry_id, award.kind) == (entries[0].id, "first")
    assert len(_actions("award.given")) == 1
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/awards?category={entries[0].category_id}").get_data(as_text=True)
    assert "1st prize" in html


def test_two_first_prizes_in_one_category_are_refused(as_secretariat, post, scored, round1):
    entries, _ = scored(3)
    assert _award(post, round1, entries[0], "first").status_code == 302
    response = _award(post, round1, entries[1], "first")
    assert response.status_code == 400
    assert "already has a 1st prize" in response.get_data(as_text=True)


def test_same_award_twice_for_one_entry_is_refused(as_secretariat, post, scored, round1):
    entries, _ = scored(2)
    assert _award(post, round1, entries[0], "special").status_code == 302
    assert _award(post, round1, entries[0], "special").status_code == 400
    assert _award(post, round1, entries[0], "publication").status_code == 302


def test_award_for_entry_of_another_category_is_refused(as_secretariat, post, scored, round1, make_entries, edition):
    scored(2)
    essay = make_entries(1, discipline="essay")[0]
    response = _award(post, round1, essay, "first", category=category_of(edition).id)
    assert response.status_code == 400
    assert "Choose an entry of this category" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["gold", "", "FIRST"])
def test_unknown_award_kind_is_refused(as_secretariat, post, scored, round1, kind):
    entries, _ = scored(2)
    assert _award(post, round1, entries[0], kind).status_code == 400


def test_award_can_be_removed(as_secretariat, post, scored, round1):
    from judging.models import Award

    entries, _ = scored(2)
    _award(post, round1, entries[0], "first")
    award = db.session.scalar(select(Award))
    assert post(f"/judging/rounds/{round1.id}/awards/{award.id}/remove").status_code == 302
    assert db.session.scalar(select(Award)) is None and len(_actions("award.removed")) == 1


PAGES = ["/judging/results/", "/judging/rounds/{r}/results", "/judging/rounds/{r}/results/entries/{e}",
         "/judging/rounds/{r}/calibration", "/judging/rounds/{r}/shortlist", "/judging/rounds/{r}/awards"]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.JUROR, Role.COORDINATOR])
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_get_404(app, make_user, sign_in, scored, round1, role, path):
    entries, _ = scored(2)
    user = make_user(f"{role.value}-x@example.org", roles=(role,))
    client = sign_in(app.test_client(), user)
    assert client.get(path.format(r=round1.id, e=entries[0].id)).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, scored, round1, path):
    entries, _ = scored(1)
    response = client.get(path.format(r=round1.id, e=entries[0].id))
    assert response.status_code == 302 and "/login" in response.location
