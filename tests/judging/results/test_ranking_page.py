"""The ranking page: every method, the method named beside each result, ties, disagreements, method changes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import db
from tests.fixtures import add_scores, category_of


def test_ranking_lists_entries_best_first_with_method_named(as_secretariat, scored, round1, edition):
    entries, _ = scored(6)
    category = category_of(edition)
    page = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Adjusted for each juror&#39;s bias (regularised least squares)" in html
    assert html.count('<span class="hint">Bias-adjusted</span>') >= 6  # beside every result
    for entry in entries:
        assert entry.reference in html


def test_results_home_redirects_to_first_round(as_secretariat, round1):
    response = as_secretariat.get("/judging/results/")
    assert response.status_code == 302
    assert f"/judging/rounds/{round1.id}/results" in response.location


def test_results_without_scores_say_so(as_secretariat, round1, make_entries):
    make_entries(2)
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results").get_data(as_text=True)
    assert "No results yet" in html
    assert "Drafts are not counted" in html


def test_drafts_are_not_counted(as_secretariat, round1, make_entries, make_juror, assign, edition):
    entry = make_entries(1)[0]
    a = assign(round1, entry, make_juror())
    add_scores(a, {"relevance": 5, "originality": 5, "expression": 5, "impression": 5}, status="draft")
    db.session.commit()
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert "No results yet" in html


def test_unresolved_tie_is_flagged_for_the_secretariat(as_secretariat, round1, make_entries, make_juror, assign, edition):
    e1, e2 = make_entries(2)
    juror = make_juror()
    same = {"relevance": 7, "originality": 6, "expression": 5, "impression": 8}
    add_scores(assign(round1, e1, juror), same)
    add_scores(assign(round1, e2, juror), same)
    db.session.commit()
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert "Tie: the secretariat decides" in html
    assert "the secretariat decides" in html and e1.reference in html


def test_tie_is_broken_by_the_named_criterion_first(as_secretariat, round1, make_entries, make_juror, assign, edition):
    e1, e2 = make_entries(2)
    juror = make_juror()
    # The same weighted total (5.6), but e2 is better on relevance, the round's tie criterion.
    add_scores(assign(round1, e1, juror), {"relevance": 5, "originality": 5, "expression": 5, "impression": 8})
    add_scores(assign(round1, e2, juror), {"relevance": 7, "originality": 5, "expression": 5, "impression": 5})
    db.session.commit()
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert html.index(e2.reference) < html.index(e1.reference)
    assert "Tie broken by criteria, Relevance to the theme first" in html  # the criterion by its title, not its key
    assert "Tie: the secretariat decides" not in html


def test_invalid_stored_scores_are_left_out_not_fatal(as_secretariat, round1, make_entries, make_juror, assign, edition):
    e1, e2 = make_entries(2)
    juror = make_juror()
    add_scores(assign(round1, e1, juror), {"relevance": 5, "originality": 6.5, "expression": 5, "impression": 5})
    add_scores(assign(round1, e2, juror), {"relevance": 7, "originality": 5, "expression": 5, "impression": 5})
    db.session.commit()
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert "1 submitted score set is left out" in html
    assert e2.reference in html


def test_disagreement_is_flagged(as_secretariat, round1, make_entries, make_juror, assign, edition):
    entry = make_entries(1)[0]
    low = {"relevance": 1, "originality": 1, "expression": 1, "impression": 1}
    high = {"relevance": 9, "originality": 9, "expression": 9, "impression": 9}
    add_scores(assign(round1, entry, make_juror("a@example.org")), low)
    add_scores(assign(round1, entry, make_juror("b@example.org")), high)
    db.session.commit()
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert "Jurors disagree" in html


@pytest.mark.parametrize("method", ["mean", "median", "zscore", "bias_adjusted"])
def test_changing_the_method_is_audited(as_secretariat, post, round1, scored, method):
    scored(4)
    before = round1.method
    response = post(f"/judging/rounds/{round1.id}/method", {"method": method})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(round1), round1.id).method == method
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.method_changed")).all()
    assert len(events) == (0 if method == before else 1)


@pytest.mark.parametrize("bad", ["best", "", "MEAN", "mean; drop table rounds"])
def test_unknown_method_is_refused(as_secretariat, post, round1, bad):
    response = post(f"/judging/rounds/{round1.id}/method", {"method": bad})
    assert response.status_code == 400
    assert "Choose a ranking method from the list" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(round1), round1.id).method == "bias_adjusted"


def test_method_change_needs_csrf(as_secretariat, client, round1):
    assert client.post(f"/judging/rounds/{round1.id}/method", data={"method": "mean"}).status_code == 400


def test_severe_juror_is_corrected_by_normalisation(app, scored, round1, edition):
    from judging.results import service as results_service

    scored(12, jurors=4, k=2, severities=[0, 0, -3, 0], seed=3)
    res = results_service.load_category(round1, category_of(edition))
    severe = min(res.group.jurors.values(), key=lambda j: j.bias)
    assert res.jurors[severe.juror_id] == "Juror 2"
    assert severe.mean_difference < -1.5


def test_unknown_round_or_category_is_404(as_secretariat, round1):
    assert as_secretariat.get("/judging/rounds/99999/results").status_code == 404
    assert as_secretariat.get(f"/judging/rounds/{round1.id}/results?category=99999").status_code == 404


def test_a_changed_score_is_never_served_from_the_cache(app, scored, round1, edition):
    from judging.models import ScoreValue
    from judging.results import service as results_service

    scored(3)
    category = category_of(edition)
    first = results_service.load_category(round1, category)
    again = results_service.load_category(round1, category)
    assert again.group is first.group  # same input: reused
    value = db.session.scalars(select(ScoreValue)).first()
    value.value = 0 if value.value >= 5 else 10
    db.session.commit()
    changed = results_service.load_category(round1, category)
    assert changed.group is not first.group
    assert changed.group.totals != first.group.totals


def test_agreement_between_methods_is_shown(as_secretariat, scored, round1, edition):
    scored(8, jurors=4, k=3, severities=[0, -2, 0, 2])
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category_of(edition).id}").get_data(as_text=True)
    assert "Kendall" in html
    assert re.search(r"Bias-adjusted -?[01]\.\d\d", html)


def test_the_method_and_award_choices_follow_the_readers_language(as_secretariat, secretariat, scored, round1, edition):
    """The choices are built when the form is rendered, not when the module is imported (they were English in French)."""
    scored(3)
    secretariat.language = "fr"
    db.session.commit()
    category = category_of(edition)
    html = as_secretariat.get(f"/judging/rounds/{round1.id}/results?category={category.id}").get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "Ajustée selon le biais de chaque membre du jury (moindres carrés régularisés)" in html
    assert "Adjusted for each juror" not in html
