"""Uncertainty per entry, the final-round proposal and ties at award boundaries."""
from __future__ import annotations

import math

import numpy as np
import pytest

from judging.aggregation import simulation as sim
from judging.aggregation.final_round import combine_rounds, expected_error, propose_final_round
from judging.aggregation.methods import fit_model, rank_entries
from judging.aggregation.ranking import boundary_ties
from judging.aggregation.uncertainty import posterior_moments, rank_uncertainty


@pytest.fixture(scope="module")
def base():
    sc = sim.Scenario()
    w = sim.make_world(sc, 3)
    pairs = sim.make_design(sc, 3)
    scores = sim.score(w, pairs, 3)
    return sc, w, pairs, scores, fit_model(scores)


# -- uncertainty ------------------------------------------------------------------------------------------
def test_top_probabilities_add_up_and_intervals_hold_the_truth(base):
    sc, w, _, _, fit = base
    u = rank_uncertainty(fit, 13, boundaries=(1, 2, 3), draws=300, seed=5)
    p = [e.p_top for e in u.entries.values()]
    assert sum(p) == pytest.approx(13)  # every draw has exactly 13 entries in its top 13
    assert all(0 <= x <= 1 for x in p)
    for e in u.entries.values():
        assert 1 <= e.rank_low <= e.rank_high <= sc.entries
        assert e.p_within[1] <= e.p_within[2] <= e.p_within[3] <= e.p_within[13]
        assert e.settled == all(v <= 0.1 or v >= 0.9 for v in e.p_within.values())
    truth = np.empty(sc.entries, dtype=int)
    truth[np.argsort(-w.quality)] = np.arange(1, sc.entries + 1)
    cover = np.mean([u.entries[i].rank_low <= truth[i] <= u.entries[i].rank_high for i in range(sc.entries)])
    assert 0.85 <= cover <= 0.99  # a 90% interval
    assert 5 <= len(u.unsettled) <= 60
    assert u.unsettled == sorted(u.unsettled, key=lambda i: -fit.value[i])


def test_uncertainty_is_seeded(base):
    fit = base[4]
    a = rank_uncertainty(fit, 10, draws=100, seed=1)
    b = rank_uncertainty(fit, 10, draws=100, seed=1)
    c = rank_uncertainty(fit, 10, draws=100, seed=2)
    assert a.entries == b.entries
    assert a.entries != c.entries


def test_entries_far_apart_are_settled():
    scores = {(j, i): float(i) + (0.1 if j == "a" else -0.1) for i in range(8) for j in "abc"}
    u = rank_uncertainty(fit_model(scores), 3, draws=200)
    assert all(e.settled for e in u.entries.values()) and not u.unsettled
    assert [u.entries[i].p_top for i in range(8)] == [0, 0, 0, 0, 0, 1, 1, 1]
    assert [(u.entries[i].rank_low, u.entries[i].rank_high) for i in (7, 0)] == [(1, 1), (8, 8)]


@pytest.mark.parametrize("penalties", [dict(entry_penalty=0.0, juror_penalty=0.0),
                                       dict(entry_penalty=0.5, juror_penalty=math.inf),
                                       dict(juror_penalty="reml")])
def test_every_kind_of_fit_gives_a_posterior(base, penalties):
    fit = fit_model(base[3], **penalties)
    mean, sd = posterior_moments(fit)
    assert np.all(np.isfinite(mean)) and np.all(sd > 0)
    u = rank_uncertainty(fit, 10, draws=50)
    assert sum(e.p_top for e in u.entries.values()) == pytest.approx(10)


def test_uncertainty_rejects_bad_settings(base):
    for kw in (dict(top_n=0), dict(top_n=3, draws=0), dict(top_n=3, level=1.0), dict(top_n=3, margin=0.5)):
        with pytest.raises(ValueError):
            rank_uncertainty(base[4], **kw)
    assert rank_uncertainty(fit_model({}), 3).entries == {}


# -- final round ------------------------------------------------------------------------------------------
def test_expected_error_falls_with_more_scores():
    mean, sd = np.array([5.0, 5.2, 7.0]), np.array([0.6, 0.6, 0.6])
    errs = [expected_error(mean, sd, 5.1, 1.0, np.full(3, m)) for m in range(6)]
    assert all(np.all(a >= b) for a, b in zip(errs, errs[1:]))
    assert errs[0][2] < 0.01 < errs[0][0]


def test_the_proposal_spends_the_budget_around_the_boundary(base):
    fit = base[4]
    p = propose_final_round(fit, 10, 120, boundaries=(1, 2, 3), max_per_entry=6)
    assert p.total == sum(p.extra.values()) <= 120 and p.total >= 100
    assert max(p.extra.values()) <= 6 and p.boundaries == (1, 2, 3, 10)
    assert p.expected_errors_after < p.expected_errors_before
    u = rank_uncertainty(fit, 10, boundaries=(1, 2, 3), draws=300)
    ordered = sorted(fit.value, key=lambda i: -fit.value[i])
    assert not set(p.extra) & set(ordered[60:])  # never the bottom of the field
    assert all(0.001 < u.entries[i].p_top < 0.999 or u.entries[i].p_within[3] < 0.999 for i in p.extra)
    assert p.reasons[0].code == "final_round_proposed" and p.reasons[0].params["score_sets"] == p.total
    assert p.order()[0] in p.extra


def test_the_proposal_respects_who_is_available_and_small_budgets(base):
    fit = base[4]
    first = propose_final_round(fit, 10, 40)
    blocked = {i: 0 for i in first.extra}
    again = propose_final_round(fit, 10, 40, available=blocked)
    assert not set(again.extra) & set(first.extra) and again.total > 0
    assert propose_final_round(fit, 10, 0).extra == {}
    assert propose_final_round(fit, 400, 10).extra == {}  # everyone is in the top 400
    with pytest.raises(ValueError):
        propose_final_round(fit, 0, 10)
    with pytest.raises(ValueError):
        propose_final_round(fit, 10, -1)


def test_final_round_settles_more_than_the_naive_shortlist():
    """Seeded: the same extra workload (180 score sets, 20%) spent by the proposal
    beats "the top 30 get 6 more jurors each"."""
    sc = sim.Scenario()
    naive, mine, first = [], [], []
    for seed in range(12):
        w = sim.make_world(sc, seed)
        pairs = sim.make_design(sc, seed)
        s1 = sim.score(w, pairs, seed)
        f1 = fit_model(s1)
        v1 = sim.as_array(f1.value, sc.entries)
        first.append(sim.top_precision(w.quality, v1))
        for out, extra in ((naive, {int(e): 6 for e in sim.top(v1, 30)}),
                           (mine, propose_final_round(f1, 10, 180).extra)):
            add = sim.add_jurors(sc, pairs, extra, seed)
            assert len(add) == 180
            merged, reason = combine_rounds(s1, sim.score(w, add, seed, stream=5))
            assert reason.params == {"rounds": 2, "entries": sc.entries, "score_sets": 1080}
            out.append(sim.top_precision(w.quality, sim.as_array(fit_model(merged).value, sc.entries)))
    assert np.mean(mine) > np.mean(naive) > np.mean(first) + 0.05


def test_combining_rounds_keeps_a_jurors_later_score():
    merged, reason = combine_rounds({("a", 1): 5.0, ("b", 1): 6.0}, {("a", 1): 7.0, ("c", 2): 4.0})
    assert merged == {("a", 1): 7.0, ("b", 1): 6.0, ("c", 2): 4.0}
    assert reason.code == "final_combines_rounds" and reason.params["score_sets"] == 3


# -- ties at award boundaries -----------------------------------------------------------------------------
def test_ties_across_award_boundaries_are_reported_with_their_entries():
    r = rank_entries({1: 9.0, 2: 8.0, 3: 8.0, 4: 7.0, 5: 6.0, 6: 6.0, 7: 6.0, 8: 5.0, 9: 5.0},
                     context={"round": 1, "category": 2})
    ties = boundary_ties(r, (1, 2, 3, 5, 8))
    assert [(t.boundary, t.rank, t.entries) for t in ties] == [(2, 2, (2, 3)), (5, 5, (5, 6, 7)), (8, 8, (8, 9))]
    assert ties[0].value == 8.0
    reason = ties[1].reason(round=1)
    assert reason.code == "tie_at_award_boundary" and reason.params["entries"] == [5, 6, 7]
    # a tie inside one award (8th and 9th when the award goes to the first 9) is no boundary tie
    assert boundary_ties(r, (9, 4)) == []


def test_ties_broken_as_configured_leave_no_boundary_tie():
    values = {1: 8.0, 2: 8.0, 3: 7.0}
    content = {1: 9.0, 2: 7.0, 3: 5.0}
    r = rank_entries(values, tie_break=[("content", content)])
    assert r.order() == [1, 2, 3] and boundary_ties(r, (1, 2)) == []
    r = rank_entries(values, manual_order=[2, 1])
    assert r.order() == [2, 1, 3] and boundary_ties(r, (1,)) == []
    r = rank_entries(values)
    assert [t.entries for t in boundary_ties(r, (1,))] == [(1, 2)]
