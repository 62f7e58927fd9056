"""Time the jury assignment on a competition-sized instance.

    .venv/bin/python bench/bench_assignment.py [--entries 10000] [--jurors 300] [--k 3]

Instance: 3 kinds (poem, essay, illustration) x 4 age bands = 12
categories; written entries in one of 6 languages (skewed: most in
English/French), a quarter with a translation; illustrations
language-independent; jurors read 1-3 languages; 40 cities, a third of
the jurors are tied to a city, entries from that city conflict with them,
plus a few declared conflicts; caps 1.6 x the average load for a fifth of
the jurors.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from judging.assignment import EntrySpec, JurorSpec, assign  # noqa: E402
from judging.assignment_linking import components  # noqa: E402

LANGS = ["en", "fr", "de", "es", "it", "pl"]
LANG_WEIGHTS = [40, 25, 12, 10, 8, 5]
KINDS = ["poem", "essay", "illustration"]
BANDS = ["5-8", "9-12", "13-15", "16-18"]


def make_instance(n_entries: int, n_jurors: int, k: int, seed: int = 2024):
    rng = random.Random(seed)
    cities = [f"city{i}" for i in range(40)]
    jurors, juror_city = [], {}
    avg = n_entries * k / n_jurors
    for j in range(n_jurors):
        langs = {rng.choices(LANGS, LANG_WEIGHTS)[0] for _ in range(rng.randint(1, 3))}
        langs.add("en") if rng.random() < 0.5 else None
        cap = int(avg * 1.6) if rng.random() < 0.2 else None
        jid = f"J{j:04d}"
        jurors.append(JurorSpec(jid, frozenset(langs), cap=cap))
        if rng.random() < 1 / 3:
            juror_city[jid] = rng.choice(cities)
    by_city: dict = {}
    for jid, city in juror_city.items():
        by_city.setdefault(city, set()).add(jid)
    jids = [j.id for j in jurors]
    entries = []
    for i in range(n_entries):
        kind = rng.choice(KINDS)
        category = f"{kind}:{rng.choice(BANDS)}"
        if kind == "illustration":
            langs = frozenset()
        else:
            langs = {rng.choices(LANGS, LANG_WEIGHTS)[0]}
            if rng.random() < 0.25:
                langs.add("en")
            langs = frozenset(langs)
        city = rng.choice(cities)
        conflicts = set(by_city.get(city, ()))
        if rng.random() < 0.02:
            conflicts.add(rng.choice(jids))
        entries.append(EntrySpec(f"E{i:05d}", category, langs, frozenset(conflicts)))
    return entries, jurors


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--jurors", type=int, default=300)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--candidates", type=int, default=8)
    args = ap.parse_args(argv)
    entries, jurors = make_instance(args.entries, args.jurors, args.k)
    t0, c0 = time.perf_counter(), time.process_time()
    res = assign(entries, jurors, k=args.k, seed=args.seed,
                 max_candidates=args.candidates or None)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    category_of = {e.id: e.category for e in entries}
    spreads = []
    linked = 0
    for c, loads in res.category_loads.items():
        spreads.append(max(loads.values()) - min(loads.values()))
        cat_pairs = [p for p in res.pairs if category_of[p[0]] == c]
        linked += len(components(cat_pairs)) == 1
    print(f"assignment of {args.entries} entries x {args.jurors} jurors, k={args.k}: "
          f"{elapsed:.2f} s wall, {cpu:.2f} s CPU")
    print(f"complete={res.complete} pairs={len(res.pairs)} problems={len(res.problems)} "
          f"warnings={[w.code for w in res.warnings]}")
    print(f"per-category max-min load (among jurors with load): {spreads}; "
          f"linked categories {linked}/{len(res.category_loads)}; "
          f"overall loads {min(res.loads.values())}..{max(res.loads.values())}")
    print(f"stats={res.stats}")
    return elapsed


if __name__ == "__main__":
    main()
