"""Simulation: jurors with known severities score entries of known quality
through the real assignment; severity normalisation must recover the true
order better than the raw mean.

Run with ``-s`` to see the Kendall tau table.
"""
from __future__ import annotations

import random
import statistics

from judging.aggregation.methods import AggregationOptions, Criterion, ScoreSet, aggregate_group, kendall_tau, rank
from judging.assignment.assign import EntrySpec, JurorSpec, assign

N_ENTRIES, N_JURORS, K = 60, 12, 3
BIAS_SD, NOISE_SD = 1.5, 0.7
SEEDS = range(12)
METHODS = ("mean", "median", "zscore", "bias_adjusted")
RUBRIC = [Criterion("content", 2, 0, 10, 0.5), Criterion("form", 1, 0, 10, 0.5)]


def _clip_step(x: float) -> float:
    return min(10.0, max(0.0, round(x * 2) / 2))


def simulate(seed: int):
    rnd = random.Random(seed)
    quality = {i: rnd.gauss(5.0, 1.5) for i in range(N_ENTRIES)}
    bias = {f"j{j}": rnd.gauss(0.0, BIAS_SD) for j in range(N_JURORS)}
    entries = [EntrySpec(i, "poem", frozenset({"en"})) for i in range(N_ENTRIES)]
    jurors = [JurorSpec(j, frozenset({"en"})) for j in bias]
    res = assign(entries, jurors, k=K, seed=seed)
    assert res.complete and not res.warnings
    sets = []
    for e, j in res.pairs:
        seen = quality[e] + bias[j] + rnd.gauss(0.0, NOISE_SD)
        # both criteria reflect the same impression, each with a little noise
        sets.append(ScoreSet(j, e, {"content": _clip_step(seen + rnd.gauss(0, 0.3)),
                                    "form": _clip_step(seen + rnd.gauss(0, 0.3))}))
    group = aggregate_group(RUBRIC, sets, AggregationOptions())
    truth = [quality[i] for i in range(N_ENTRIES)]
    taus = {}
    for m in METHODS:
        vals = {r.entry_id: r.value for r in rank(group, m).entries}
        taus[m] = kendall_tau(truth, [vals[i] for i in range(N_ENTRIES)])
    bias_tau = kendall_tau([bias[j] for j in sorted(bias)],
                           [group.jurors[j].bias for j in sorted(bias)])
    return taus, bias_tau, group


def test_normalisation_beats_raw_mean():
    rows = [simulate(s) for s in SEEDS]
    mean_tau = {m: statistics.fmean(r[0][m] for r in rows) for m in METHODS}
    print(f"\nKendall tau vs true quality ({len(SEEDS)} seeds, {N_ENTRIES} entries, "
          f"{N_JURORS} jurors, k={K}, bias sd {BIAS_SD}, noise sd {NOISE_SD})")
    print("seed " + " ".join(f"{m:>14}" for m in METHODS) + "   bias-recovery tau")
    for s, (taus, btau, _) in zip(SEEDS, rows):
        print(f"{s:>4} " + " ".join(f"{taus[m]:>14.3f}" for m in METHODS) + f"   {btau:.3f}")
    print("mean " + " ".join(f"{mean_tau[m]:>14.3f}" for m in METHODS))
    assert mean_tau["bias_adjusted"] > mean_tau["mean"] + 0.05
    assert mean_tau["zscore"] > mean_tau["mean"]
    wins = sum(r[0]["bias_adjusted"] > r[0]["mean"] for r in rows)
    assert wins >= 0.75 * len(rows), wins
    # the estimated severities themselves are close to the true ones
    assert statistics.fmean(r[1] for r in rows) > 0.7
    for _, _, group in rows:
        assert group.bias.connected and group.bias.converged
