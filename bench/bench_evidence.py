"""What the ranking page's evidence costs next to the aggregation it sits on, and what the link preference does.

    .venv/bin/python bench/bench_evidence.py [--repeat 5]

1. Time per category (median of ``--repeat``) for judging.results.ranking_evidence.category_evidence (400 posterior
   draws, the weak-link diagnosis, boundary ties) against the baseline measured in the same run:
   aggregation.aggregate_group + rank, which every results page already pays. Sizes: the demo (8 entries,
   6 jurors), a city (60, 12), the issue's simulation (300, 30), a big category (1,000, 60).
2. The assignment with and without the link preference (judging.assignment.preference, wired into
   judging.assignment.assign.assign) on city-block instances: cross-block entries still missing (sum of
   ``needed`` of diagnose_links), swaps made and time, same instances, same run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from judging.aggregation import methods as agg  # noqa: E402
from judging.aggregation import simulation as sim  # noqa: E402
from judging.aggregation.links import diagnose_links  # noqa: E402
from judging.assignment.assign import EntrySpec, JurorSpec, assign  # noqa: E402
from judging.results.ranking_evidence import category_evidence, top_n_for  # noqa: E402

CRIT = [agg.Criterion("q", 1.0, 0.0, 10.0)]
SIZES = [(8, 6), (60, 12), (300, 30), (1000, 60)]


def timed(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def speed(repeat):
    print("| entries | jurors | baseline: aggregate + rank (ms) | evidence (ms) | ratio |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for entries, jurors in SIZES:
        sc = sim.Scenario().but(entries=entries, jurors=jurors)
        world = sim.make_world(sc, 1)
        scores = sim.score(world, sim.make_design(sc, 1), 1)
        sets = [agg.ScoreSet(j, e, {"q": v}) for (j, e), v in scores.items()]

        def base():
            group = agg.aggregate_group(CRIT, sets)
            return group, agg.rank(group, "bias_adjusted")

        t_base, (group, ranking) = timed(base, repeat)
        n = top_n_for(entries, 10)
        t_ev, _ = timed(lambda: category_evidence(group, ranking, k=3, top_n=n), repeat)
        print(f"| {entries} | {jurors} | {t_base * 1000:.1f} | {t_ev * 1000:.1f} | {t_ev / t_base:.2f} |")


def blocks_instance(entries_per_block, jurors_per_block, blocks=2, translated=0.0):
    """Entries in the block's language (jurors read their own and English); a few English entries join them;
    ``translated``: the share of entries that also have an English translation (any juror may read them)."""
    langs = ["pt", "it", "fr", "de"][:blocks]
    entries = [EntrySpec(f"{b}-{i}", "poem", frozenset({langs[b], "en"} if i < translated * entries_per_block
                                                       else {langs[b]}))
               for b in range(blocks) for i in range(entries_per_block)]
    entries += [EntrySpec(f"x-{i}", "poem", frozenset({"en"})) for i in range(2)]
    jurors = [JurorSpec(f"{b}-{j}", frozenset({langs[b], "en"})) for b in range(blocks) for j in range(jurors_per_block)]
    return entries, jurors


def linking(repeat):
    print()
    print("| instance | preference | missing cross entries | swaps | time (ms) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, args in (("2 blocks of 40 entries and 5 jurors, untranslated", (40, 5)),
                       ("2 blocks of 40 entries and 5 jurors, 10% translated", (40, 5, 2, 0.1)),
                       ("3 blocks of 60 entries and 6 jurors, 10% translated", (60, 6, 3, 0.1))):
        entries, jurors = blocks_instance(*args)
        for prefer in (False, True):
            t, res = timed(lambda: assign(entries, jurors, k=3, seed=1, prefer_links=prefer), repeat)
            report = diagnose_links([(j, e) for e, j in res.pairs])
            missing = sum(lk.needed for lk in report.links)
            swaps = res.stats["link_operations"]
            print(f"| {name} | {'on' if prefer else 'off (baseline)'} | {missing} | {swaps} | {t * 1000:.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    speed(args.repeat)
    linking(max(1, args.repeat // 2))
