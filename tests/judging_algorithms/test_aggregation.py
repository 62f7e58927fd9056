"""Unit and property tests of judging.aggregation.methods."""
from __future__ import annotations

import math
import os
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.aggregation.methods import (
    AggregationOptions,
    Criterion,
    ScoreSet,
    aggregate,
    aggregate_group,
    fit_additive_bias,
    kendall_tau,
    rank,
    rank_entries,
    weighted_total,
    zscore_normalise,
)

SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 80)), deadline=None)
ONE = [Criterion("overall", 1.0, 0, 10, 0.5)]
RUBRIC = [Criterion("content", 2.0, 0, 10, 1), Criterion("form", 1.0, 1, 5, 1)]


def ss(j, e, v, **kw):
    return ScoreSet(j, e, {"overall": v} if not isinstance(v, dict) else v, **kw)


# -- totals and validation ---------------------------------------------------------
def test_weighted_total_lives_on_the_scale():
    assert weighted_total(RUBRIC, {"content": 10, "form": 5}) == pytest.approx(10)
    assert weighted_total(RUBRIC, {"content": 0, "form": 1}) == pytest.approx(0)
    # content 5/10 -> .5 (weight 2), form 3 on 1..5 -> .5 (weight 1)
    assert weighted_total(RUBRIC, {"content": 5, "form": 3}) == pytest.approx(5)
    assert weighted_total(RUBRIC, {"content": 10, "form": 1}) == pytest.approx(20 / 3)
    assert weighted_total(RUBRIC, {"content": 10, "form": 1}, scale=(0, 20)) == \
        pytest.approx(40 / 3)
    assert weighted_total(ONE, {"overall": Decimal("7.5")}) == 7.5


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_values_are_rejected(bad):
    with pytest.raises(ValueError):
        weighted_total(ONE, {"overall": bad})
    with pytest.raises(ValueError):
        aggregate_group(ONE, [ss("a", 1, bad)])
    with pytest.raises(ValueError):
        fit_additive_bias({("a", 1): bad})
    with pytest.raises(ValueError):
        kendall_tau([1.0, bad], [1.0, 2.0])


@pytest.mark.parametrize("values", [
    {"overall": 10.5}, {"overall": -1}, {"overall": 7.3}, {}, {"overall": 5, "x": 1},
    {"overall": "7"}, {"overall": True}, {"overall": None}])
def test_invalid_values_are_rejected(values):
    with pytest.raises(ValueError):
        weighted_total(ONE, values)


@pytest.mark.parametrize("crit", [
    [], [Criterion("a", -1)], [Criterion("a", 0)], [Criterion("a", 1, 5, 5)],
    [Criterion("a"), Criterion("a")], [Criterion("a", 1, 0, 10, 0)],
    [Criterion("a", float("nan"))]])
def test_invalid_rubrics_are_rejected(crit):
    with pytest.raises(ValueError):
        weighted_total(crit, {"a": 1})


def test_duplicate_score_set_is_rejected():
    with pytest.raises(ValueError):
        aggregate_group(ONE, [ss("a", 1, 5), ss("a", 1, 6)])


# -- per-entry statistics ------------------------------------------------------------
def test_entry_statistics_and_disagreement():
    g = aggregate_group(ONE, [ss("a", 1, 2), ss("b", 1, 8), ss("c", 1, 5),
                              ss("a", 2, 6), ss("b", 2, 6.5), ss("c", 2, 7)],
                        AggregationOptions(sd_threshold=2.0, range_threshold=4.0))
    e1, e2 = g.entries[1], g.entries[2]
    assert (e1.n, e1.mean, e1.median, e1.min, e1.max, e1.range) == (3, 5, 5, 2, 8, 6)
    assert e1.sd == pytest.approx(3.0)
    assert e1.disagreement and not e2.disagreement
    assert e2.sd == pytest.approx(0.5)
    assert [w.code for w in g.warnings] == ["scores_disagree"]
    assert g.warnings[0].params["entry_id"] == 1
    assert g.entries[1].criterion_means == {"overall": 5}


def test_disagreement_by_range_only_and_thresholds_off():
    sets = [ss("a", 1, 3), ss("b", 1, 7.5)]  # sd 3.18, range 4.5
    assert aggregate_group(ONE, sets, AggregationOptions(
        sd_threshold=None, range_threshold=4.0)).entries[1].disagreement
    assert not aggregate_group(ONE, sets, AggregationOptions(
        sd_threshold=None, range_threshold=None)).entries[1].disagreement


def test_single_score_entry():
    g = aggregate_group(ONE, [ss("a", 1, 6), ss("a", 2, 4), ss("b", 2, 8)])
    e = g.entries[1]
    assert (e.n, e.mean, e.median, e.sd, e.range, e.disagreement) == (1, 6, 6, 0.0, 0, False)
    assert math.isfinite(e.zscore) and math.isfinite(e.bias_adjusted)


# -- z-scores ----------------------------------------------------------------------------
def test_zscore_maps_back_with_overall_mean_and_sd():
    totals = {("a", 1): 2.0, ("a", 2): 4.0, ("a", 3): 6.0,
              ("b", 1): 6.0, ("b", 2): 8.0, ("b", 3): 10.0}
    out, modes = zscore_normalise(totals)
    assert modes == {"a": "scaled", "b": "scaled"}
    # both jurors rank the entries alike: normalised totals coincide
    for i in (1, 2, 3):
        assert out[("a", i)] == pytest.approx(out[("b", i)])
    vals = list(totals.values())
    m = sum(vals) / 6
    assert sum(out.values()) / 6 == pytest.approx(m)
    sd_all = math.sqrt(sum((v - m) ** 2 for v in vals) / 6)
    assert out[("a", 3)] == pytest.approx(m + sd_all * (6 - 4) / math.sqrt(8 / 3))


def test_zero_variance_and_single_score_jurors():
    totals = {("flat", 1): 5.0, ("flat", 2): 5.0, ("flat", 3): 5.0,
              ("one", 1): 9.0,
              ("x", 1): 3.0, ("x", 2): 6.0, ("x", 3): 9.0}
    out, modes = zscore_normalise(totals)
    assert modes == {"flat": "centred", "one": "raw", "x": "scaled"}
    big_m = sum(totals.values()) / len(totals)
    assert out[("flat", 1)] == pytest.approx(big_m)  # centred, no division by 0
    assert out[("one", 1)] == 9.0
    assert all(math.isfinite(v) for v in out.values())


def test_all_equal_scores_do_not_divide_by_zero():
    g = aggregate_group(ONE, [ss(j, e, 5) for j in "abc" for e in (1, 2)])
    assert all(st.zscore == 5 and st.bias_adjusted == pytest.approx(5)
               for st in g.entries.values())


# -- additive bias -------------------------------------------------------------------------
def test_bias_fit_recovers_exact_biases():
    mu = {1: 4.0, 2: 6.0, 3: 7.5, 4: 3.0}
    b = {"a": -1.0, "b": 0.5, "c": 0.5}
    design = [("a", 1), ("b", 1), ("b", 2), ("c", 2), ("c", 3), ("a", 3), ("a", 4), ("b", 4)]
    fit = fit_additive_bias({(j, i): mu[i] + b[j] for j, i in design})
    assert fit.connected and fit.converged and fit.components == 1
    for j in b:
        assert fit.bias[j] == pytest.approx(b[j], abs=1e-9)
    for i in mu:
        assert fit.mu[i] == pytest.approx(mu[i], abs=1e-9)
    assert fit.residual_sd == pytest.approx(0, abs=1e-9)


def test_weighted_constraint():
    design = [("a", 1), ("b", 1), ("a", 2), ("b", 2), ("a", 3), ("c", 3)]
    fit = fit_additive_bias({(j, i): float(i + len(j)) for j, i in design},
                            constraint="weighted")
    n = {"a": 3, "b": 2, "c": 1}
    assert sum(n[j] * fit.bias[j] for j in n) == pytest.approx(0, abs=1e-9)


@SETTINGS
@given(st.dictionaries(st.tuples(st.sampled_from("abcdef"), st.integers(0, 12)),
                       st.floats(0, 10), min_size=1, max_size=50))
def test_bias_fit_is_the_least_squares_solution(scores):
    """Normal equations: residuals sum to zero for every entry and every
    juror; biases sum to zero in every component."""
    fit = fit_additive_bias(scores)
    res_e, res_j = {}, {}
    for (j, i), x in scores.items():
        r = x - fit.mu[i] - fit.bias[j]
        res_e[i] = res_e.get(i, 0.0) + r
        res_j[j] = res_j.get(j, 0.0) + r
    assert all(abs(v) < 1e-6 for v in res_e.values())
    assert all(abs(v) < 1e-6 for v in res_j.values())
    comp_sum = {}
    for j, c in fit.component_of.items():
        comp_sum[c] = comp_sum.get(c, 0.0) + fit.bias[j]
    assert all(abs(v) < 1e-9 for v in comp_sum.values())


def test_disconnected_design_is_reported():
    sets = [ss("a", 1, 5), ss("b", 1, 6), ss("c", 2, 7), ss("d", 2, 8)]
    g = aggregate_group(ONE, sets, round_id="r1", category="poem")
    assert not g.bias.connected and g.bias.components == 2
    assert any(w.code == "design_not_linked" and w.params["components"] == 2
               for w in g.warnings)
    r = rank(g, "bias_adjusted")
    assert r.warnings[0].code == "design_not_linked"


def test_calibration_against_others():
    sets = [ss("hard", 1, 3), ss("soft", 1, 7), ss("mid", 1, 5),
            ss("hard", 2, 4), ss("soft", 2, 8), ss("mid", 2, 6)]
    g = aggregate_group(ONE, sets)
    hard = g.jurors["hard"]
    assert (hard.n, hard.mean) == (2, 3.5)
    assert hard.sd == pytest.approx(math.sqrt(0.5))
    assert hard.others_mean == pytest.approx(6.5)
    assert hard.mean_difference == pytest.approx(-3)
    assert hard.n_shared == 2
    assert g.jurors["hard"].bias == pytest.approx(-2)
    assert g.jurors["soft"].bias == pytest.approx(2)


def test_groups_by_round_and_category():
    sets = [ss("a", 1, 5, round=1, category="poem"), ss("a", 2, 6, round=1, category="essay"),
            ss("b", 1, 7, round=2, category="poem")]
    groups = aggregate(ONE, sets)
    assert set(groups) == {(1, "poem"), (1, "essay"), (2, "poem")}
    assert groups[(2, "poem")].entries[1].mean == 7


# -- ranking and ties ------------------------------------------------------------------------
def test_ranking_methods_and_unknown_method():
    g = aggregate_group(ONE, [ss("a", 1, 8), ss("b", 1, 7), ss("a", 2, 6), ss("b", 2, 9.5)])
    assert rank(g, "mean").order() == [2, 1]
    assert rank(g, "median").order() == [2, 1]
    assert set(rank(g, "zscore").order()) == {1, 2}
    with pytest.raises(ValueError):
        rank(g, "best")


def test_ties_are_detected_after_rounding():
    r = rank_entries({1: 7.0, 2: 7.0000001, 3: 8.0, 4: 6.0}, precision=6)
    assert r.order()[0] == 3
    tied = [x for x in r.entries if x.tie_group is not None]
    assert {x.entry_id for x in tied} == {1, 2}
    assert all(x.rank == 2 and x.resolution == "secretariat_decides" for x in tied)
    assert r.entries[-1].rank == 4  # competition ranking 1, 2, 2, 4
    assert [w.code for w in r.warnings] == ["tie_secretariat_decides"]
    assert r.warnings[0].params["entries"] == [1, 2]
    # with more precision they are not tied
    r = rank_entries({1: 7.0, 2: 7.0000001}, precision=9)
    assert r.order() == [2, 1] and not r.warnings


def test_tie_broken_by_named_criterion_then_left_to_secretariat():
    rubric = [Criterion("content", 1, 0, 10, 1), Criterion("form", 1, 0, 10, 1)]
    sets = [ScoreSet("a", 1, {"content": 8, "form": 6}),   # total 7, content 8
            ScoreSet("a", 2, {"content": 6, "form": 8}),   # total 7, content 6
            ScoreSet("a", 3, {"content": 8, "form": 6}),   # total 7, content 8
            ScoreSet("a", 4, {"content": 10, "form": 10})]
    g = aggregate_group(rubric, sets)
    opts = AggregationOptions(tie_break_criteria=("content",))
    r = rank(g, "mean", opts)
    assert r.order()[0] == 4
    by = {x.entry_id: x for x in r.entries}
    assert by[1].rank == by[3].rank == 2  # still tied on content
    assert by[1].resolution == by[3].resolution == "secretariat_decides"
    assert by[2].rank == 4 and by[2].resolution == "criterion"
    assert by[2].tie_break_values == {"content": 6}
    assert len(r.warnings) == 1 and r.warnings[0].params["entries"] == [1, 3]
    # the secretariat's manual order settles it
    r = rank(g, "mean", opts, manual_order=[3, 1])
    by = {x.entry_id: x for x in r.entries}
    assert r.order() == [4, 3, 1, 2]
    assert (by[3].rank, by[1].rank) == (2, 3)
    assert by[3].resolution == "manual" and not r.warnings
    with pytest.raises(ValueError):
        rank(g, "mean", AggregationOptions(tie_break_criteria=("style",)))


def test_no_tie_no_flag():
    r = rank_entries({1: 3.0, 2: 2.0})
    assert all(x.tie_group is None and x.resolution is None for x in r.entries)
    assert [x.rank for x in r.entries] == [1, 2]


# -- Kendall tau --------------------------------------------------------------------------------
def test_kendall_tau():
    assert kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]) == 1
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1
    assert kendall_tau([1, 2, 3, 4], [1, 2, 2, 3]) == pytest.approx(5 / math.sqrt(30))
    assert math.isnan(kendall_tau([1, 1], [1, 2]))
    with pytest.raises(ValueError):
        kendall_tau([1, 2], [1])
