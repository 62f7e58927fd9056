"""Ranking methods against the truth on simulated juries, the final round, and speed at 10,000 entries.

    .venv/bin/python bench/bench_rankings.py [--seeds 10] [--final-seeds 100] [--skip grid,final,speed]

1. The grid (judging/aggregation/simulation.py, 300 entries, 30 jurors unless said): Kendall's tau and top-10
   precision against the true qualities, mean over seeds, for the mean, the median, z-scores, least squares
   (the first bias-adjusted), the previous model (shrinkage, one noise for all jurors: ``noise="pooled"``),
   the new model (each juror's own noise, the default: a steadier juror counts for more, up to a cap that
   falls to 1 as their scores pile up at their own ends, judging/aggregation/noise.weight_caps), the
   bias-blind reference (knows everything but the severities: the best any bias estimate can do) and the
   ceiling (knows every juror's severity, spread and noise, models rounding and clipping).  The model with
   juror biases shrunk toward 0 too (``juror_penalty="reml"``) was measured before and did no better; it is
   no longer in the table.
2. The final round (base design): top-10 precision after round 1, after the naive shortlist (top 30,
   6 more jurors each), after the previous proposal (one go, the previous model) and after the proposal
   of judging/aggregation/final_round.py in two waves, with the extra score sets.
3. Speed at 10,000 entries, 300 jurors, k = 3: the hand-written least squares and z-scores
   (bench/legacy_aggregation.py) against numpy/scipy, and the new pieces, in the same run.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import legacy_aggregation as legacy  # noqa: E402
import numpy as np  # noqa: E402

from judging.aggregation import simulation as sim  # noqa: E402
from judging.aggregation import final_round as fr  # noqa: E402
from judging.aggregation.final_round import combine_rounds, propose_final_round  # noqa: E402
from judging.aggregation.links import diagnose_links  # noqa: E402
from judging.aggregation.methods import fit_additive_bias, fit_model, zscore_normalise  # noqa: E402
from judging.aggregation.uncertainty import rank_uncertainty  # noqa: E402

BASE = sim.Scenario()
DESIGNS = [
    BASE.but(name="well linked (base)"),
    BASE.but(name="5 cities, 10 shared", blocks=5, shared=10),
    BASE.but(name="5 cities, 30 shared", blocks=5, shared=30),
    BASE.but(name="5 cities, 100 shared", blocks=5, shared=100),
    BASE.but(name="10 cities, 18 shared", blocks=10, shared=18),
    BASE.but(name="k = 2", k=2),
    BASE.but(name="k = 4", k=4),
    BASE.but(name="severity sd 0.5", severity_sd=0.5),
    BASE.but(name="severity sd 3", severity_sd=3.0),
    BASE.but(name="part of the scale (spread .4-1)", spread=(0.4, 1.0)),
    BASE.but(name="uneven noise (.5-1.5)", noise_range=(0.5, 1.5)),
]
METHODS = ("mean", "median", "zscore", "least squares", "previous model", "new model", "bias-blind", "ceiling")


def by_entry(scores, transform=None):
    out: dict = {}
    for (j, i), x in scores.items():
        out.setdefault(i, []).append(x)
    return out


def estimates(w, scores) -> dict:
    groups = by_entry(scores)
    z, _ = zscore_normalise(scores)
    return {"mean": {i: statistics.fmean(v) for i, v in groups.items()},
            "median": {i: statistics.median(v) for i, v in groups.items()},
            "zscore": {i: statistics.fmean(v) for i, v in by_entry(z).items()},
            "least squares": fit_additive_bias(scores).mu,
            "previous model": fit_model(scores, noise="pooled").value,
            "new model": fit_model(scores).value,
            "bias-blind": sim.bias_blind_values(w, scores),
            "ceiling": sim.ceiling_values(w, scores)}


def grid(seeds: int, designs=DESIGNS) -> None:
    print(f"\n## 1. Methods against the truth: Kendall tau / top-10 precision, mean of {seeds} seeds "
          f"(300 entries, 30 jurors, k = 3, severity sd 1.5, noise sd 1, integer scores 0-10 unless said)\n")
    print("| design | " + " | ".join(METHODS) + " | new - best(mean, z) | ceiling - previous | ceiling - new "
          "| ceiling - bias-blind |")
    print("|" + " --- |" * (len(METHODS) + 5))
    for sc in designs:
        taus: dict = {m: [] for m in METHODS}
        tops: dict = {m: [] for m in METHODS}
        for seed in range(seeds):
            w = sim.make_world(sc, seed)
            scores = sim.score(w, sim.make_design(sc, seed), seed)
            for m, values in estimates(w, scores).items():
                est = sim.as_array(values, sc.entries)
                taus[m].append(sim.tau(w.quality, est))
                tops[m].append(sim.top_precision(w.quality, est))
        t = {m: float(np.mean(v)) for m, v in taus.items()}
        p = {m: float(np.mean(v)) for m, v in tops.items()}
        diff = [a - max(b, c) for a, b, c in zip(taus["new model"], taus["mean"], taus["zscore"])]
        margin = f"{np.mean(diff):+.3f} (min seed {min(diff):+.3f})"
        gap = [c - n for c, n in zip(taus["ceiling"], taus["new model"])]
        print(f"| {sc.name} | " + " | ".join(f"{t[m]:.3f} / {p[m]:.2f}" for m in METHODS)
              + f" | {margin} | {t['ceiling'] - t['previous model']:.3f} | {np.mean(gap):.3f} ± "
              f"{sim.mean_sd(gap)[1]:.3f} | {t['ceiling'] - t['bias-blind']:.3f} |", flush=True)


def final(seeds: int) -> None:
    sc = BASE
    n1 = sc.entries * sc.k
    print(f"\n## 2. Final round, base design, {seeds} seeds: top-10 precision (± s.e.) and tau, "
          f"round 1 = {n1} score sets\n")
    previous = dict(noise="pooled")  # the previous model and planner: one go, at most 8 per entry, sd as is
    plans = {  # name: ([(budget, max per entry) of each wave], fit options, planning sd)
        "previous proposal, 225 more in one go (previous model)": ([(225, 8)], previous, 1.0),
        "proposal, 225 more in one go": ([(225, fr.MAX_PER_ENTRY)], {}, fr.PLANNING_SD),
        "proposal, 180 more in two waves (120, then 60)": (fr.waves(180), {}, fr.PLANNING_SD),
        "proposal, 225 more in two waves (150, then 75)": (fr.waves(225), {}, fr.PLANNING_SD),
    }
    rows: dict = {name: ([], [], []) for name in ("after round 1 (previous model)", "after round 1 (new model)",
                                                  "after round 1 (ceiling)", "naive: top 30, 6 more jurors each")}
    for seed in range(seeds):
        w = sim.make_world(sc, seed)
        pairs = sim.make_design(sc, seed)
        s1 = sim.score(w, pairs, seed)
        fits = {"previous": fit_model(s1, **previous), "new": fit_model(s1)}
        v1 = sim.as_array(fits["new"].value, sc.entries)
        naive = sim.add_jurors(sc, pairs, {int(e): 6 for e in sim.top(v1, 30)}, seed)
        s_naive, _ = combine_rounds(s1, sim.score(w, naive, seed, stream=5))
        for name, values, extra in (
                ("after round 1 (previous model)", fits["previous"].value, 0),
                ("after round 1 (new model)", fits["new"].value, 0),
                ("after round 1 (ceiling)", sim.ceiling_values(w, s1), 0),
                ("naive: top 30, 6 more jurors each", fit_model(s_naive).value, len(naive))):
            est = sim.as_array(values, sc.entries)
            rows[name][0].append(sim.top_precision(w.quality, est))
            rows[name][1].append(sim.tau(w.quality, est))
            rows[name][2].append(extra)
        for name, (waves, options, planning_sd) in plans.items():
            all_pairs, scores = list(pairs), dict(s1)
            fit = fits["previous" if options else "new"]
            saved, fr.PLANNING_SD = fr.PLANNING_SD, planning_sd
            try:
                for n, (wave, cap) in enumerate(waves):
                    extra = propose_final_round(fit, 10, wave, max_per_entry=cap).extra
                    add = sim.add_jurors(sc, all_pairs, extra, seed + 1000 * n)
                    all_pairs += add
                    scores, _ = combine_rounds(scores, sim.score(w, add, seed, stream=5 + n))
                    fit = fit_model(scores, **options)
            finally:
                fr.PLANNING_SD = saved
            est = sim.as_array(fit.value, sc.entries)
            row = rows.setdefault(name, ([], [], []))
            row[0].append(sim.top_precision(w.quality, est))
            row[1].append(sim.tau(w.quality, est))
            row[2].append(len(scores) - n1)
    print("| procedure | extra score sets | top-10 precision | tau |")
    print("| --- | --- | --- | --- |")
    for name, (top, taus, extra) in rows.items():
        m, se = sim.mean_sd(top)
        print(f"| {name} | {np.mean(extra):.0f} ({np.mean(extra) / n1:.0%}) | {m:.3f} ± {se:.3f} | "
              f"{np.mean(taus):.3f} |", flush=True)
    two, one = rows["proposal, 225 more in two waves (150, then 75)"][0], rows[
        "previous proposal, 225 more in one go (previous model)"][0]
    diff = [a - b for a, b in zip(two, one)]
    print(f"\nTwo waves against the previous proposal, same seeds: {np.mean(diff):+.3f} ± {sim.mean_sd(diff)[1]:.3f}")


def timed(fn, repeat=3):
    best = math.inf
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def speed() -> None:
    sc = BASE.but(entries=10_000, jurors=300)
    w = sim.make_world(sc, 1)
    pairs = sim.make_design(sc, 1)
    scores = sim.score(w, pairs, 1)
    print(f"\n## 3. Speed at {sc.entries:,} entries, {sc.jurors} jurors, k = {sc.k} ({len(scores):,} scores); "
          "best of 3, seconds\n")
    print("| step | hand-written (old) | numpy/scipy (new) | max difference |")
    print("| --- | --- | --- | --- |")
    t_old, old = timed(lambda: legacy.fit_additive_bias(scores), repeat=1)
    t_new, new = timed(lambda: fit_additive_bias(scores))
    diff = max(abs(old.mu[i] - new.mu[i]) for i in new.mu)
    print(f"| least-squares bias fit | {t_old:.2f} | {t_new:.3f} | {diff:.1e} |")
    t_old, (zo, _) = timed(lambda: legacy.zscore_normalise(scores), repeat=1)
    t_new, (zn, _) = timed(lambda: zscore_normalise(scores))
    print(f"| z-scores | {t_old:.2f} | {t_new:.3f} | {max(abs(zo[k] - zn[k]) for k in zn):.1e} |")
    print("\n| new step | seconds |")
    print("| --- | --- |")
    t, _ = timed(lambda: fit_model(scores, noise="pooled"))
    print(f"| shrinkage model, one noise for all (the previous bias_adjusted) | {t:.3f} |")
    t, fit = timed(lambda: fit_model(scores))
    print(f"| shrinkage model with each juror's noise (the new bias_adjusted) | {t:.3f} |")
    uneven = sc.but(noise_range=(0.5, 1.5))
    w2 = sim.make_world(uneven, 1)
    scores2 = sim.score(w2, pairs, 1)
    t, _ = timed(lambda: fit_model(scores2))
    print(f"| the same, jurors of uneven noise (.5-1.5) | {t:.3f} |")
    t, _ = timed(lambda: rank_uncertainty(fit, 13, boundaries=(1, 2, 3), draws=400, seed=1))
    print(f"| uncertainty: 400 posterior draws, top-13 probability, rank intervals | {t:.3f} |")
    t, _ = timed(lambda: diagnose_links(list(scores)))
    print(f"| weak-link diagnosis (bias s.e., connectivity, blocks) | {t:.3f} |")
    t, _ = timed(lambda: propose_final_round(fit, 10, 7_500))
    print(f"| final-round proposal (budget 7,500 = 25%) | {t:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--final-seeds", type=int, default=100)
    ap.add_argument("--skip", default="")
    ap.add_argument("--designs", default="", help="indices of the grid's designs to run (default: all), e.g. 0,1,2")
    args = ap.parse_args()
    skip = set(args.skip.split(","))
    np.seterr(all="ignore")
    if "grid" not in skip:
        grid(args.seeds, [DESIGNS[int(n)] for n in args.designs.split(",")] if args.designs else DESIGNS)
    if "final" not in skip:
        final(args.final_seeds)
    if "speed" not in skip:
        speed()


if __name__ == "__main__":
    main()
