"""Properties of the shrinkage model behind "bias_adjusted" (judging.aggregation.model)."""
from __future__ import annotations

import math
import os
import statistics

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from judging.aggregation.bias import Design
from judging.aggregation.methods import (
    AggregationOptions,
    Criterion,
    ScoreSet,
    aggregate_group,
    fit_additive_bias,
    fit_model,
    rank,
)
from judging.aggregation.model import degenerate, estimate_penalties

SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 80)), deadline=None)
JURORS = "abcdef"

scores_st = st.dictionaries(st.tuples(st.sampled_from(JURORS), st.integers(0, 12)),
                            st.floats(0, 10, allow_nan=False).map(lambda x: round(x, 2)), min_size=6, max_size=50)


def _means(scores):
    by: dict = {}
    for (_, i), x in scores.items():
        by.setdefault(i, []).append(x)
    return {i: statistics.fmean(v) for i, v in by.items()}


def _same_up_to_a_constant(a: dict, b: dict, tol: float = 1e-6) -> None:
    assert set(a) == set(b)
    shift = [b[i] - a[i] for i in a]
    assert max(shift) - min(shift) <= tol, (min(shift), max(shift))


def _same_order(a: dict, b: dict, gap: float = 1e-5) -> None:
    """Every pair that ``a`` orders clearly, ``b`` orders the same way."""
    ids = list(a)
    for x in ids:
        for y in ids:
            if a[x] > a[y] + gap:
                assert b[x] > b[y], (x, y, a[x], a[y], b[x], b[y])


@SETTINGS
@given(scores_st, st.sampled_from(JURORS), st.floats(-5, 5).map(lambda c: round(c, 2)))
def test_adding_a_constant_to_one_juror_changes_no_ranking(scores, juror, c):
    """Except on degenerate data (no juror scored two entries differently), where the model falls back on
    least squares, which between unconnected parts of the design cannot be invariant (it takes their means)."""
    assume(any(j == juror for j, _ in scores))
    assume(not degenerate(Design(scores)))
    shifted = {(j, i): x + c if j == juror else x for (j, i), x in scores.items()}
    before, after = fit_model(scores), fit_model(shifted)
    assert after.entry_penalty == pytest.approx(before.entry_penalty, rel=1e-3, abs=1e-6)
    assert after.juror_weight == pytest.approx(before.juror_weight, rel=1e-4)  # each juror's noise: the same
    _same_up_to_a_constant(before.value, after.value)
    _same_order(before.value, after.value)


def test_a_constant_on_one_juror_changes_no_ranking_through_the_pages_path():
    rubric = [Criterion("overall", 1, 0, 10, 0.5)]
    rnd = np.random.default_rng(4)
    sets = [ScoreSet(f"j{j}", i, {"overall": float(np.clip(np.round(2 * rnd.normal(5, 1.5)) / 2, 1, 8))})
            for i in range(30) for j in rnd.choice(6, 3, replace=False)]
    moved = [ScoreSet(s.juror_id, s.entry_id, {"overall": s.values["overall"] + 2}) if s.juror_id == "j2" else s
             for s in sets]
    a, b = (rank(aggregate_group(rubric, x), "bias_adjusted") for x in (sets, moved))
    assert a.order() == b.order()
    assert [r.rank for r in a.entries] == [r.rank for r in b.entries]


@SETTINGS
@given(scores_st, st.randoms(use_true_random=False))
def test_permuting_jurors_or_entries_changes_nothing(scores, rnd):
    names = list(JURORS)
    rnd.shuffle(names)
    rename = dict(zip(JURORS, names))
    items = list(scores.items())
    rnd.shuffle(items)
    permuted = {(rename[j], i): x for (j, i), x in items}
    a, b = fit_model(scores), fit_model(permuted)
    for i in a.value:
        assert b.value[i] == pytest.approx(a.value[i], abs=1e-6)
    for j in a.bias:
        assert b.bias[rename[j]] == pytest.approx(a.bias[j], abs=1e-6)


@SETTINGS
@given(scores_st, st.sampled_from(["sum", "weighted"]))
def test_penalty_zero_is_least_squares_and_infinite_is_the_mean(scores, constraint):
    """With one noise for all jurors: plain least squares and the plain mean."""
    ls = fit_additive_bias(scores, constraint=constraint)
    zero = fit_model(scores, constraint=constraint, entry_penalty=0.0, juror_penalty=0.0, noise="pooled")
    for i in ls.mu:
        assert zero.value[i] == pytest.approx(ls.mu[i], abs=1e-9)
    for j in ls.bias:
        assert zero.bias[j] == pytest.approx(ls.bias[j], abs=1e-9)
    means = _means(scores)
    for entry_penalty in (0.0, 0.7):
        inf = fit_model(scores, constraint=constraint, entry_penalty=entry_penalty, juror_penalty=math.inf,
                        noise="pooled")
        assert all(v == 0 for v in inf.bias.values())
        for i in means:
            assert inf.value[i] == pytest.approx(means[i], abs=1e-9)
    # and it gets there continuously
    big = fit_model(scores, constraint=constraint, entry_penalty=0.7, juror_penalty=1e9, noise="pooled")
    for i in means:
        assert big.value[i] == pytest.approx(means[i], abs=1e-6)


def _weighted_least_squares(scores, weight):
    """Fitted values of x_ij = mu_i + b_j by numpy's lstsq, each score weighted by its juror's weight."""
    keys = list(scores)
    jurors = sorted({j for j, _ in keys})
    entries = sorted({i for _, i in keys})
    x = np.zeros((len(keys), len(entries) + len(jurors)))
    for s, (j, i) in enumerate(keys):
        x[s, entries.index(i)] = x[s, len(entries) + jurors.index(j)] = 1.0
    root = np.sqrt([weight[j] for j, _ in keys])
    coef = np.linalg.lstsq(x * root[:, None], root * np.array([scores[k] for k in keys]), rcond=None)[0]
    return dict(zip(keys, (x @ coef).tolist()))


@SETTINGS
@given(scores_st, st.sampled_from(["sum", "weighted"]))
def test_with_each_jurors_noise_penalty_zero_is_weighted_least_squares_and_infinite_the_weighted_mean(
        scores, constraint):
    zero = fit_model(scores, constraint=constraint, entry_penalty=0.0, juror_penalty=0.0)
    weight = dict(zip(zero.design.jurors, zero.juror_weight.tolist()))
    assert all(w > 0 and math.isfinite(w) for w in weight.values())
    fitted = _weighted_least_squares(scores, weight)
    for (j, i), f in fitted.items():
        assert zero.value[i] + zero.bias[j] == pytest.approx(f, abs=1e-6)
    for entry_penalty in (0.0, 0.7):
        inf = fit_model(scores, constraint=constraint, entry_penalty=entry_penalty, juror_penalty=math.inf)
        weight = dict(zip(inf.design.jurors, inf.juror_weight.tolist()))
        by: dict = {}
        for (j, i), x in scores.items():
            by.setdefault(i, []).append((weight[j], x))
        assert all(v == 0 for v in inf.bias.values())
        for i, wx in by.items():
            assert inf.value[i] == pytest.approx(sum(w * x for w, x in wx) / sum(w for w, _ in wx), abs=1e-9)


def test_small_penalties_approach_least_squares_on_a_linked_design():
    scores = {(j, i): float((3 * i + 7 * ord(j)) % 11) for i in range(20) for j in "abcd" if (i + ord(j)) % 4 != 0}
    ls = fit_additive_bias(scores)
    assert ls.connected
    near = fit_model(scores, entry_penalty=1e-8, juror_penalty=0.0)
    for i in ls.mu:
        assert near.value[i] == pytest.approx(ls.mu[i], abs=1e-5)


def test_reml_recovers_the_variance_components():
    rnd = np.random.default_rng(11)
    quality, bias = rnd.normal(5, 1.5, 600), rnd.normal(0, 1.5, 40)
    scores = {}
    for i in range(600):
        for j in rnd.choice(40, 4, replace=False):
            scores[(int(j), i)] = float(quality[i] + bias[j] + rnd.normal(0, 1.0))
    fit = fit_model(scores)
    assert fit.sigma_noise == pytest.approx(1.0, abs=0.05)
    assert fit.sigma_entry == pytest.approx(1.5, abs=0.12)
    b = np.array([fit.bias[j] for j in range(40)])
    assert np.corrcoef(b, bias)[0, 1] > 0.97
    both = fit_model(scores, juror_penalty="reml")
    assert math.sqrt(both.sigma_noise ** 2 / both.juror_penalty) == pytest.approx(float(np.std(bias)), rel=0.25)


def test_a_juror_alone_in_a_block_is_corrected_by_its_own_level():
    """Least squares cannot compare a block that shares no entry; the model uses
    the level of the entries each block scored (a random sample of the same field)."""
    rnd = np.random.default_rng(2)
    quality = rnd.normal(5, 1.5, 80)
    scores = {}
    for i in range(80):
        jurors = ("a", "b") if i < 40 else ("c", "d")
        for j in jurors:
            scores[(j, i)] = float(quality[i] + (-2.0 if j in "ab" else 0.0) + rnd.normal(0, 0.3))
    fit = fit_model(scores)
    assert fit.bias["a"] - fit.bias["c"] == pytest.approx(-2.0, abs=0.8)
    ls = fit_additive_bias(scores)
    assert not ls.connected and ls.bias["a"] - ls.bias["c"] == pytest.approx(0.0, abs=0.1)


@pytest.mark.parametrize("scores", [
    {("a", 1): 5.0, ("b", 1): 6.0, ("c", 2): 7.0, ("d", 2): 8.0},  # every juror once: the means
    {("a", 1): 5.0, ("a", 2): 5.0, ("b", 1): 5.0, ("b", 2): 5.0},  # no spread
    {("a", 1): 7.0},
])
def test_degenerate_data_falls_back_on_least_squares(scores):
    fit = fit_model(scores)
    ls = fit_additive_bias(scores)
    assert (fit.entry_penalty, fit.juror_penalty) == (0.0, 0.0)
    assert fit.value == pytest.approx(ls.mu)
    assert all(math.isfinite(v) for v in fit.value.values())


def test_empty_and_bad_input():
    assert fit_model({}).value == {}
    with pytest.raises(ValueError):
        fit_model({("a", 1): float("nan")})
    with pytest.raises(ValueError):
        fit_model({("a", 1): 1.0}, juror_penalty=-1)
    with pytest.raises(ValueError):
        fit_model({("a", 1): 1.0}, entry_penalty=-0.5)
    with pytest.raises(ValueError):
        fit_model({("a", 1): 1.0}, constraint="median")
    with pytest.raises(ValueError):
        fit_model({("a", 1): 1.0}, juror_penalty="guess")


def test_bias_adjusted_on_the_page_is_the_model_and_keeps_the_disconnection_warning():
    rubric = [Criterion("overall", 1, 0, 10, 1)]
    sets = [ScoreSet(j, i, {"overall": float((i * 3 + ord(j)) % 9 + 1)}) for i in range(8) for j in "ab"] + \
           [ScoreSet(j, 100 + i, {"overall": float((i * 5 + ord(j)) % 7 + 2)}) for i in range(8) for j in "cd"]
    g = aggregate_group(rubric, sets, AggregationOptions(), round_id=1, category="poem")
    totals = {(s.juror_id, s.entry_id): s.values["overall"] for s in sets}
    fit = fit_model(totals)
    assert {i: st.bias_adjusted for i, st in g.entries.items()} == pytest.approx(fit.value)
    assert {j: st.bias for j, st in g.jurors.items()} == pytest.approx(fit.bias)
    assert not g.bias.connected and g.bias.components == 2 and g.model is not None
    assert [w.code for w in g.warnings][:1] == ["design_not_linked"]
    assert estimate_penalties(Design(totals), 0.0, fit.juror_weight)[0] == pytest.approx(fit.entry_penalty)
