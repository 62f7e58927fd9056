"""The jury assignment on OR-Tools against the hand-written min-cost flow it replaced, side by side.

    .venv/bin/python bench/bench_assignment.py                 # 300/30, 3,000/150, 10,000/300 and the impossible case
    .venv/bin/python bench/bench_assignment.py --sizes 3000/150 --baseline-ref none   # OR-Tools only

The hand-written solver (``judging/mincostflow.py``) was deleted when OR-Tools replaced it; the baseline is
the ``judging`` package of ``--baseline-ref`` (default: the last commit that had it), extracted with
``git archive`` into a temporary folder. Every run is a fresh process (same instance, same seed), so both
pay their own imports; CPU seconds are the process's, wall seconds include a machine shared with others.

Instance: 3 kinds (poem, essay, illustration) x 4 age bands = 12 categories; written entries in one of 6
languages (skewed: most in English/French), a quarter with a translation; illustrations language-independent;
jurors read 1-3 languages (at least 2k read each language); 40 cities, a third of the jurors are tied to a city, entries from that city
conflict with them, plus a few declared conflicts; caps 1.6 x the average load for a fifth of the jurors.
The impossible case: 3,000 entries, 150 jurors all capped at 40 (6,000 places for 9,000 units).

Quality columns: ``balance`` is the primary objective of both solvers, the sum over jurors and categories
of load * (load + 1) / 2 (lower is more even), then the largest overall load and the largest
per-category spread, and how many categories form one linked design.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BASELINE_REF = "cd7e2f4d1fe04bc2626d8210abd5567fc3015d08"  # main before OR-Tools: judging/mincostflow.py

LANGS = ["en", "fr", "de", "es", "it", "pl"]
LANG_WEIGHTS = [40, 25, 12, 10, 8, 5]
KINDS = ["poem", "essay", "illustration"]
BANDS = ["5-8", "9-12", "13-15", "16-18"]


def make_instance(EntrySpec, JurorSpec, n_entries: int, n_jurors: int, k: int, seed: int = 2024):
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
    for lang in LANGS:  # small juries: at least 2k readers of every language, so the instance is feasible
        readers = [j for j in jurors if lang in j.languages]
        for i, j in enumerate(list(jurors)):
            if len(readers) >= 2 * k:
                break
            if lang not in j.languages:
                jurors[i] = JurorSpec(j.id, j.languages | {lang}, cap=j.cap)
                readers.append(jurors[i])
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


def worker(args) -> None:
    """One run in this process, with ``judging`` imported from ``args.code``; prints JSON."""
    sys.path.insert(0, args.code)
    from judging.assignment.assign import EntrySpec, JurorSpec, assign
    from judging.assignment.linking import components

    entries, jurors = make_instance(EntrySpec, JurorSpec, args.entries, args.jurors, args.k)
    if args.cap:
        jurors = [dataclasses.replace(j, cap=args.cap) for j in jurors]
    t0, c0 = time.perf_counter(), time.process_time()
    res = assign(entries, jurors, k=args.k, seed=1)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    category_of = {e.id: e.category for e in entries}
    linked = sum(len(components([p for p in res.pairs if category_of[p[0]] == c])) == 1
                 for c in res.category_loads)
    print(json.dumps({
        "wall": wall, "cpu": cpu, "complete": res.complete, "pairs": len(res.pairs),
        "unassigned": len(res.unassigned),
        "balance": sum(n * (n + 1) // 2 for loads in res.category_loads.values() for n in loads.values()),
        "max_load": max(res.loads.values(), default=0),
        "spread": max((max(v.values()) - min(v.values()) for v in res.category_loads.values() if v), default=0),
        "linked": f"{linked}/{len(res.category_loads)}" if res.pairs else "-",
        "remedies": [[r.code, r.params.get("cap"), r.params.get("count"), r.params.get("language")]
                     for r in getattr(res, "remedies", [])]}))


def run(code: str, entries: int, jurors: int, k: int, cap: int) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", "--code", code,
                          "--entries", str(entries), "--jurors", str(jurors), "--k", str(k), "--cap", str(cap)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="300/30,3000/150,10000/300", help="entries/jurors, comma-separated")
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--impossible", default="3000/150/40", help="entries/jurors/cap of every juror ('' to skip)")
    ap.add_argument("--baseline-ref", default=BASELINE_REF, help="git commit of the hand-written solver, or none")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--code", default=ROOT, help=argparse.SUPPRESS)
    ap.add_argument("--entries", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--jurors", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--cap", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    cases = [(int(n), int(m), 0) for n, m in (s.split("/") for s in args.sizes.split(",") if s)]
    if args.impossible:
        cases.append(tuple(int(x) for x in args.impossible.split("/")))
    with tempfile.TemporaryDirectory() as tmp:
        solvers = [("OR-Tools", ROOT)]
        if args.baseline_ref != "none":
            archive = subprocess.run(["git", "-C", ROOT, "archive", args.baseline_ref, "judging"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            solvers.insert(0, ("hand-written", tmp))
        header = (f"{'case':<24} {'solver':<13} {'wall s':>8} {'CPU s':>8} {'complete':>8} {'pairs':>6} "
                  f"{'short':>5} {'balance':>9} {'max load':>8} {'spread':>6} {'linked':>6}  remedies")
        print(f"jury assignment, k={args.k}, seed 1 (each row a fresh process)")
        print(header)
        print("-" * len(header))
        for n, m, cap in cases:
            name = f"{n}/{m}" + (f" cap {cap} (impossible)" if cap else "")
            rows = []
            for label, code in solvers:
                r = run(code, n, m, args.k, cap)
                rows.append(r)
                print(f"{name:<24} {label:<13} {r['wall']:>8.2f} {r['cpu']:>8.2f} {str(r['complete']):>8} "
                      f"{r['pairs']:>6} {r['unassigned']:>5} {r['balance']:>9} {r['max_load']:>8} "
                      f"{r['spread']:>6} {r['linked']:>6}  {r['remedies'] or ''}", flush=True)
            if len(rows) == 2:
                same = all(rows[0][x] == rows[1][x] for x in ("complete", "balance", "max_load", "unassigned"))
                print(f"{'':<24} {'ratio':<13} {rows[0]['wall'] / rows[1]['wall']:>7.1f}x "
                      f"{rows[0]['cpu'] / rows[1]['cpu']:>7.1f}x  same balance, max load and shortfall: {same}")


if __name__ == "__main__":
    main()
