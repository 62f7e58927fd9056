"""The goals of the bias model on seeded simulated juries (judging/aggregation/simulation.py).

The ceiling estimator (``sim.ceiling_values``) is the reference: it knows every juror's true severity, spread and
noise and models the rounding and clipping to the scale.  The heavier grid, with more designs and seeds, is
``bench/bench_rankings.py``.  Run with ``-s`` to see the table.
"""
from __future__ import annotations

import statistics

import pytest

from judging.aggregation import simulation as sim
from judging.aggregation.methods import fit_additive_bias, fit_model, zscore_normalise

SEEDS = range(5)
BASE = sim.Scenario()
DESIGNS = [
    BASE.but(name="well linked"),
    BASE.but(name="5 cities joined by 10 entries", blocks=5, shared=10),
    BASE.but(name="10 cities joined by 18 entries", blocks=10, shared=18),
    BASE.but(name="part of the scale", spread=(0.4, 1.0)),
    BASE.but(name="severity sd 0.5", severity_sd=0.5),
    BASE.but(name="k = 2", k=2),
    BASE.but(name="uneven noise", noise_range=(0.5, 1.5)),
]
WITH_CEILING = ("well linked", "uneven noise", "10 cities joined by 18 entries")


def _taus(sc: sim.Scenario, seed: int, ceiling: bool) -> dict:
    w = sim.make_world(sc, seed)
    scores = sim.score(w, sim.make_design(sc, seed), seed)
    by_entry: dict = {}
    for (_, i), x in scores.items():
        by_entry.setdefault(i, []).append(x)
    z_by_entry: dict = {}
    for (_, i), x in zscore_normalise(scores)[0].items():
        z_by_entry.setdefault(i, []).append(x)
    values = {"mean": {i: statistics.fmean(v) for i, v in by_entry.items()},
              "zscore": {i: statistics.fmean(v) for i, v in z_by_entry.items()},
              "least squares": fit_additive_bias(scores).mu,
              "pooled noise": fit_model(scores, noise="pooled").value,
              "model": fit_model(scores).value,
              "bias-blind": sim.bias_blind_values(w, scores)}
    if ceiling:
        values["ceiling"] = sim.ceiling_values(w, scores)
    return {m: sim.tau(w.quality, sim.as_array(v, sc.entries)) for m, v in values.items()}


@pytest.fixture(scope="module")
def table():
    out = {}
    for sc in DESIGNS:
        rows = [_taus(sc, seed, ceiling=sc.name in WITH_CEILING) for seed in SEEDS]
        out[sc.name] = {m: statistics.fmean(r[m] for r in rows) for m in rows[0]}
    print(f"\nKendall tau, mean of {len(SEEDS)} seeds (300 entries, 30 jurors)")
    for name, t in out.items():
        print(f"{name:32s} " + "  ".join(f"{m} {v:.3f}" for m, v in t.items()))
    return out


@pytest.mark.parametrize("design", [d.name for d in DESIGNS])
def test_the_model_is_never_worse_than_the_mean_or_zscores(table, design):
    t = table[design]
    assert t["model"] >= max(t["mean"], t["zscore"]), t


def test_the_model_is_within_015_of_the_ceiling_on_a_well_linked_jury(table):
    t = table["well linked"]
    assert t["ceiling"] == pytest.approx(0.758, abs=0.012)  # the reference figure
    assert t["ceiling"] - t["model"] <= 0.015, t
    assert t["model"] >= t["least squares"] - 0.003  # as good as before where least squares was good


def test_weak_links_no_longer_wreck_the_bias_adjustment(table):
    t = table["5 cities joined by 10 entries"]
    assert t["least squares"] < t["zscore"] - 0.05  # the failure of issue 15
    assert t["model"] > t["least squares"] + 0.07
    # as good as an estimator that knows everything but the biases (what weak links leave within reach)
    assert t["model"] >= t["bias-blind"] - 0.004, t


def test_the_goal_of_015_is_out_of_reach_of_any_bias_estimate_where_many_cities_are_weakly_joined(table):
    """Why the model misses the .015 goal in this one design: the bias-blind reference, which knows every juror's
    spread and noise and the severities' distribution, all but the severities themselves, is itself more than
    .015 short of the ceiling (bench/bench_rankings.py, 100 seeds: .019), so no estimate of the biases can meet
    it; the model does as well as that reference."""
    t = table["10 cities joined by 18 entries"]
    assert t["ceiling"] - t["bias-blind"] > 0.015, t
    assert t["model"] >= t["bias-blind"] - 0.004, t


def test_each_jurors_noise_is_learnt_when_jurors_differ(table):
    t = table["uneven noise"]
    # one noise for all (the previous model) loses to it; the .015 goal against the ceiling is measured
    # over 100 seeds by bench/bench_rankings.py (5 seeds vary by about as much as the goal's margin)
    assert t["model"] >= t["pooled noise"] + 0.004, t
    for design in ("well linked", "k = 2", "severity sd 0.5"):  # jurors alike: nothing lost
        assert table[design]["model"] >= table[design]["pooled noise"] - 0.002, table[design]


def test_the_simulation_is_seeded_and_balanced():
    sc = BASE.but(blocks=5, shared=10)
    assert sim.make_design(sc, 3) == sim.make_design(sc, 3)
    pairs = sim.make_design(sc, 3)
    loads = [sum(1 for _, j in pairs if j == juror) for juror in range(sc.jurors)]
    assert max(loads) - min(loads) <= 1 and len(set(pairs)) == sc.entries * sc.k
    cross = sum(1 for e in range(sc.entries) if len({j % 5 for ee, j in pairs if ee == e}) > 1)
    assert cross == 10
    w = sim.make_world(sc, 3)
    assert sim.score(w, pairs, 1) == sim.score(w, pairs, 1)
    assert all(v in range(11) for v in sim.score(w, pairs, 1).values())
