"""Each juror's own noise (judging.aggregation.noise) and how the model uses it."""
from __future__ import annotations

import math

import numpy as np
import pytest

from judging.aggregation import simulation as sim
from judging.aggregation.final_round import waves
from judging.aggregation.methods import fit_model
from judging.aggregation import noise
from judging.aggregation.noise import normalised_weights, piled_share, shrunk_variances, variance_prior, weight_caps
from judging.aggregation.uncertainty import posterior_moments


def test_the_prior_of_the_variances_is_recovered():
    rnd = np.random.default_rng(5)
    d0, s0 = 8.0, 1.3
    true_var = d0 * s0 / rnd.chisquare(d0, 2000)
    df = rnd.uniform(10, 30, 2000)
    rss = true_var * rnd.chisquare(df)
    est_d0, est_s0 = variance_prior(rss, df)
    assert est_d0 == pytest.approx(d0, rel=0.25)
    assert est_s0 == pytest.approx(s0, rel=0.05)
    var, *_ = shrunk_variances(rss, df)
    # the shrunk variances are nearer the truth than the jurors' own
    assert np.mean(np.log(var / true_var) ** 2) < 0.7 * np.mean(np.log(rss / df / true_var) ** 2)


def test_jurors_alike_keep_one_noise():
    rnd = np.random.default_rng(6)
    df = np.full(40, 20.0)
    rss = 1.7 * rnd.chisquare(20.0, 40)
    d0, s0 = variance_prior(rss, df)
    assert math.isinf(d0) and s0 == pytest.approx(1.7, rel=0.1)
    var, *_ = shrunk_variances(rss, df)
    assert np.ptp(var) == 0
    assert np.allclose(normalised_weights(var, np.full(40, 30.0)), 1.0)


def test_a_juror_noisier_than_the_typical_one_counts_for_less_and_a_steadier_one_for_more_up_to_a_cap():
    n = np.array([10.0, 30.0, 20.0, 5.0])
    w = normalised_weights(np.array([0.5, 1.0, 2.0, 4.0]), n)  # the typical juror (by scores): the second
    assert w.tolist() == [1.0, 1.0, 0.5, 0.25]
    assert np.array_equal(normalised_weights(np.zeros(3), n[:3]), np.ones(3))  # a perfect fit
    assert normalised_weights(np.array([0.0, 1.0, 1.0]), n[:3]).tolist() == [1.0, 1.0, 1.0]
    assert variance_prior(np.array([1.0, 2.0]), np.array([5.0, 5.0]))[0] == math.inf  # too few jurors
    caps = np.array([4.0, 1.0, 1.0, 1.0])
    assert normalised_weights(np.array([0.25, 1.0, 2.0, 4.0]), n, caps).tolist() == [4.0, 1.0, 0.5, 0.25]
    assert normalised_weights(np.array([0.1, 1.0, 2.0, 4.0]), n, caps).tolist() == [4.0, 1.0, 0.5, 0.25]


def test_the_cap_falls_to_1_as_a_jurors_scores_pile_up_at_their_own_ends():
    x = np.array([3, 5, 6, 8,  0, 0, 0, 0, 2, 5,  4, 4, 4, 4,  7, 7, 9, 9,  6], dtype=float)
    jj = np.array([0, 0, 0, 0,  1, 1, 1, 1, 1, 1,  2, 2, 2, 2,  3, 3, 3, 3,  4])
    share = piled_share(x, jj, 5)
    assert share.tolist() == pytest.approx([0.0, 3 / 6, 1.0, 2 / 4, 1.0])  # one value, or one score: all piled
    # the juror's own ends: a constant added to (or a stretch of) a juror's scores changes nothing
    moved = np.where(jj == 1, 2.5 * x + 3.17, np.where(jj == 0, x - 1.3, x))
    assert piled_share(moved, jj, 5).tolist() == pytest.approx(share.tolist())
    assert weight_caps(share).tolist() == [noise.MAX_WEIGHT, 1.0, 1.0, 1.0, 1.0]
    assert weight_caps(np.array([noise.PILED_SHARE / 2]))[0] == pytest.approx((noise.MAX_WEIGHT + 1) / 2)


def test_a_juror_who_piles_scores_at_an_end_of_the_scale_never_counts_for_more():
    """Severe or lenient jurors (severity sd 3) pile up at 0 or 10, where the scale keeps their residuals
    small: however steady they look, their weight stays at most 1; jurors clear of the ends may count for more."""
    sc = sim.Scenario(severity_sd=3.0, noise_range=(0.5, 1.5))
    w = sim.make_world(sc, 4)
    fit = fit_model(sim.score(w, sim.make_design(sc, 4), 4))
    d = fit.design
    share = piled_share(d.x, d.jj, len(d.jurors))
    piled = share >= noise.PILED_SHARE
    assert piled.sum() >= 3 and np.all(fit.juror_weight[piled] <= 1.0 + 1e-12)
    assert np.any(fit.juror_weight[~piled] > 1.1)


def test_the_model_learns_who_is_erratic():
    sc = sim.Scenario(entries=600, noise_range=(0.5, 1.5))  # 60 scores a juror
    w = sim.make_world(sc, 3)
    fit = fit_model(sim.score(w, sim.make_design(sc, 3), 3))
    noise = np.array([fit.noise[j] for j in range(sc.jurors)])
    assert np.corrcoef(noise, w.noise)[0, 1] > 0.8
    assert math.isfinite(fit.noise_prior_df)
    weight = dict(zip(fit.design.jurors, fit.juror_weight))
    erratic, steady = int(np.argmax(w.noise)), int(np.argmin(w.noise))
    assert weight[erratic] < 0.6 and weight[steady] > 1.3  # the steady juror counts for more (none pile up here)
    # an entry scored by erratic jurors is less certain
    _, sd = posterior_moments(fit)
    d = fit.design
    precision = d.entry_sums(1.0 / w.noise[np.array(d.jurors)][d.jj] ** 2)
    assert np.corrcoef(sd, 1.0 / np.sqrt(precision))[0, 1] > 0.6  # one noise for all: about 0


def test_a_jury_of_equal_noise_is_fitted_as_before():
    sc = sim.Scenario()
    w = sim.make_world(sc, 2)
    scores = sim.score(w, sim.make_design(sc, 2), 2)
    fit, pooled = fit_model(scores), fit_model(scores, noise="pooled")
    assert math.isinf(fit.noise_prior_df) and np.allclose(fit.juror_weight, 1.0)
    assert fit.value == pytest.approx(pooled.value, abs=1e-9)
    assert np.all(pooled.juror_weight == 1.0)
    with pytest.raises(ValueError):
        fit_model(scores, noise="each")


def test_two_waves_split_the_budget():
    assert waves(225) == ((150, 8), (75, 12))
    assert waves(0) == ((0, 8), (0, 12))
    with pytest.raises(ValueError):
        waves(-1)
