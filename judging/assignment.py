"""Jury assignment: which jurors score which entries.

Pure algorithm (no Flask, no database): dataclasses in, dataclasses out::

    result = assign(entries, jurors, k=3, seed=2025)
    if result.complete:
        save(result.pairs)
    else:
        show(result.problems)     # Reason(code, params) each

How (details in :mod:`judging.assignment_flow`):

* one min-cost flow (successive shortest paths with potentials,
  :mod:`judging.mincostflow`) for all categories; each entry sends
  ``k - kept`` units to distinct eligible jurors, caps are capacities;
* the cost is lexicographic: first the per-category balance (identical
  strictly convex costs per juror load, which yields the "decreasingly
  minimal" load vector: it minimises the largest load and maximises the
  smallest one at once, so loads differing by at most one are found
  whenever they exist), then the tier of a seeded random rank per
  (entry, juror) so that juror overlaps are spread and the same seed gives
  the same result;
* to keep the graph small each entry starts with a seeded random sample of
  ``max_candidates`` eligible jurors; the node potentials then prove the
  flow optimal over *all* eligible pairs or the arcs that violate it are
  added and the flow re-optimised (column generation), and a failed search
  adds the eligible arcs leaving the region it explored before giving up:
  exact, not greedy;
* then, moves that keep every juror's per-category load multiset (so
  balance and caps stay as they are) even out the overall loads and join
  disconnected designs (:mod:`judging.assignment_linking`).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping

from .assignment_flow import FlowState
from .assignment_instance import Instance, below, pair_key
from .assignment_linking import components, rebalance_overall, repair_links
from .reason import Reason, sort_key

__all__ = [
    "EntrySpec", "JurorSpec", "AssignmentResult", "assign", "Reason",
    "STRICT", "PARTIAL",
]

TIE_TIER = 4  # candidates per tie-break cost level
STRICT = "strict"
PARTIAL = "partial"


@dataclass(frozen=True)
class EntrySpec:
    """An entry to assign.  ``languages``: languages a juror may read it in
    (original and translations); empty = language-independent (illustration).
    ``conflicts``: juror ids that must not judge it."""
    id: Hashable
    category: str
    languages: frozenset = frozenset()
    conflicts: frozenset = frozenset()


@dataclass(frozen=True)
class JurorSpec:
    """A juror.  ``cap``: maximum entries overall (None = no limit), counting
    kept pairs.  ``category_caps``: maximum per category (missing = no limit,
    0 = does not judge it).  ``categories``: categories judged (None = all)."""
    id: Hashable
    languages: frozenset = frozenset()
    cap: int | None = None
    category_caps: Mapping[str, int] | None = field(default=None, hash=False)
    categories: frozenset | None = None


@dataclass
class AssignmentResult:
    complete: bool
    pairs: list[tuple]  # all pairs to store, kept ones included, sorted
    new_pairs: list[tuple]
    kept_pairs: list[tuple]
    loads: dict  # juror id -> entries overall
    category_loads: dict  # category -> juror id -> entries
    problems: list[Reason]  # entries that were not (fully) assigned
    warnings: list[Reason]  # imbalance, unlinked design, odd kept pairs
    unassigned: list  # entry ids not fully assigned
    stats: dict = field(default_factory=dict)

    def jurors_of(self, entry_id) -> list:
        return [j for e, j in self.pairs if e == entry_id]


def _pair_key(p):
    return (sort_key(p[0]), sort_key(p[1]))


def assign(
    entries: Iterable[EntrySpec],
    jurors: Iterable[JurorSpec],
    *,
    k: int = 3,
    seed: int | str = 0,
    keep: Iterable[tuple] = (),
    forbidden: Iterable[tuple] = (),
    mode: str = STRICT,
    max_candidates: int | None = 8,
    repair: bool = True,
) -> AssignmentResult:
    """Assign ``k`` distinct jurors to every entry.

    ``keep``: (entry, juror) pairs that stay (scored or added by hand; a
    juror absent from ``jurors`` may appear, e.g. one who dropped out after
    scoring); only the missing slots are filled.  ``forbidden``: pairs
    removed by hand, never proposed again.

    ``mode="strict"`` (default): if some entry cannot get ``k`` jurors the
    result has ``complete=False``, the problems, and only the kept pairs --
    nothing half-made to save.  ``mode="partial"``: every entry that can be
    fully assigned is (a maximal set, most constrained entries first), the
    others are listed in ``problems`` / ``unassigned``.

    ``max_candidates``: eligible jurors sampled per entry before column
    generation (None = all); changes speed, not the optimum's quality.
    ``repair``: run the overall-balance and linking moves.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if mode not in (STRICT, PARTIAL):
        raise ValueError(f"unknown mode {mode!r}")
    if max_candidates is not None and max_candidates < 1:
        raise ValueError("max_candidates must be positive or None")
    started = time.perf_counter()
    inst = Instance(list(entries), list(jurors), k, keep, forbidden)
    problems: list[Reason] = []
    unassigned: list = []

    # 1. static feasibility ------------------------------------------------
    active, eligible = [], {}
    for e, ent in inst.entries.items():
        if inst.need[e] == 0:
            continue
        el = inst.eligible_list(e)
        if len(el) < inst.need[e]:
            params = {"entry_id": e, "category": ent.category,
                      "needed": inst.need[e], "k": k}
            params.update(inst.breakdown(e))
            problems.append(Reason("too_few_eligible_jurors", params))
            unassigned.append(e)
            continue
        eligible[e] = el
        active.append(e)

    # 2. seeded candidate sample per entry, cost = rank in it ----------------
    cands: dict = {}
    order_key: dict = {}
    for e in active:
        rng = random.Random(f"{seed!r}|{inst.entries[e].category}|{e!r}")
        # most constrained entries first: they keep what they get
        order_key[e] = (len(eligible[e]), rng.getrandbits(32), sort_key(e))
        el = list(eligible[e])
        limit = len(el) if max_candidates is None else max(max_candidates, inst.need[e])
        limit = min(limit, len(el))
        for i in range(limit):  # partial Fisher-Yates shuffle
            r = i + below(rng, len(el) - i)
            el[i], el[r] = el[r], el[i]
        # cost = tier of the random rank: ties inside a tier keep the
        # shortest-path searches short, tiers still spread the overlaps
        cands[e] = {j: rank // TIE_TIER for rank, j in enumerate(el[:limit])}
    if max_candidates is not None:
        _top_up_jurors(inst, active, eligible, cands, seed)
    active.sort(key=order_key.__getitem__)
    n_units = sum(inst.need[e] for e in active)
    # a non-candidate arc costs more than all ranks together can vary
    top_rank = max([r for c in cands.values() for r in c.values()] + [0])
    nc_cost = n_units * (top_rank + 1) + 1

    # 3. route every entry, most constrained first.  An entry that cannot
    #    get all its units keeps the ones it got for now; afterwards those
    #    are taken back and each short entry is tried again alone, until no
    #    more fit (a maximal set of complete entries, never a half one) ---
    fs = FlowState(inst, active, cands, eligible, nc_cost)
    short = [e for e in active if not fs.route(e)]
    got = {e: fs.routed[e] for e in short}
    for e in short:
        fs.unroute(e)
    progress = True
    while short and progress:
        progress = False
        for e in list(short):
            if fs.route(e):
                short.remove(e)
                progress = True
            else:
                got[e] = max(got[e], fs.routed[e])
                fs.unroute(e)
    # 4. prove optimality over all eligible pairs (column generation) -------
    rounds = 0
    while not (short or unassigned) or mode == PARTIAL:
        missing = fs.violations(active, eligible)
        if not missing:
            break
        rounds += 1
        for e, j in missing:
            fs.add_arc(e, j)
    for e in short:
        ent = inst.entries[e]
        problems.append(Reason("capacity_exhausted", {
            "entry_id": e, "category": ent.category, "needed": inst.need[e],
            "k": k, "eligible": len(eligible[e]), "assignable": got[e]}))
        unassigned.append(e)
    # strict mode never hands back a half-made assignment
    new_pairs = [] if (unassigned and mode == STRICT) else fs.pairs()

    # 5. loads, overall balance, linking, reports ----------------------------
    loads = {j: inst.kept_load[j] for j in inst.jurors}
    cat_loads: dict = {c: {} for c in inst.categories}
    for (j, c), n in inst.kept_cat_load.items():
        cat_loads[c][j] = n
    for e, j in new_pairs:
        c = inst.entries[e].category
        loads[j] += 1
        cat_loads[c][j] = cat_loads[c].get(j, 0) + 1
    by_cat: dict = {c: [] for c in inst.categories}
    for e, j in list(inst.kept) + list(new_pairs):
        if e in inst.entries:
            by_cat[inst.entries[e].category].append((e, j))
    movable = set(new_pairs)
    link_ops = overall_moves = 0
    if repair and movable:
        overall_moves = rebalance_overall(
            by_cat, movable, inst.statically_eligible, cat_loads, loads,
            inst.caps, {c: inst.cat_jurors[c] for c in inst.categories}, sort_key)
    warnings = list(inst.warnings)
    for c in inst.categories:
        if not new_pairs:
            break  # nothing proposed: nothing to repair or report on
        cat_pairs = by_cat[c]
        mov = {p for p in cat_pairs if p in movable}
        if repair and mov:
            cat_pairs, n_comp, ops = repair_links(
                cat_pairs, mov, inst.statically_eligible, cat_loads[c], loads,
                lambda j, c=c: inst.caps(j, c), sort_key)
            by_cat[c] = cat_pairs
            link_ops += ops
        else:
            n_comp = len(components(cat_pairs))
        if n_comp > 1:
            warnings.append(Reason("design_not_linked", {
                "category": c, "components": n_comp,
                "sizes": [[len(es), len(js)] for es, js in components(cat_pairs)],
                "cause": "k_is_one" if k == 1 else "constraints_or_balance"}))
        _balance_warning(inst, c, cat_pairs, cat_loads[c], warnings)

    kept_set = set(inst.kept)
    new_pairs = sorted((p for c in inst.categories for p in by_cat[c]
                        if p not in kept_set), key=pair_key)
    pairs = sorted(kept_set | set(new_pairs), key=pair_key)
    for c in cat_loads:
        cat_loads[c] = {j: n for j, n in sorted(cat_loads[c].items(),
                                                 key=lambda x: sort_key(x[0])) if n > 0}
    unassigned = sorted(set(unassigned), key=sort_key)
    problems.sort(key=lambda r: sort_key(r.params.get("entry_id")))
    stats = {"augmentations": fs.mcf.augmentations, "settled_nodes": fs.mcf.settled_nodes,
             "instant_failures": fs.instant_failures,
             "added_arcs": fs.added_arcs, "optimality_rounds": rounds,
             "overall_moves": overall_moves, "link_operations": link_ops,
             "seconds": round(time.perf_counter() - started, 3)}
    return AssignmentResult(
        complete=not unassigned, pairs=pairs, new_pairs=new_pairs,
        kept_pairs=list(inst.kept), loads=loads, category_loads=cat_loads,
        problems=problems, warnings=warnings, unassigned=unassigned, stats=stats)


def _balance_warning(inst, c, cat_pairs, loads, warnings):
    """Report when the loads of the jurors able to take part in category c
    differ by more than one (the solver already minimised the spread)."""
    entries_here = {e for e, _ in cat_pairs}
    if not entries_here:
        return
    able = set(j for _, j in cat_pairs if j in inst.jurors)
    for j in inst.jurors:
        if j not in able and inst.judges(j, c) and any(
                inst.statically_eligible(e, j) for e in entries_here):
            able.add(j)
    values = [loads.get(j, 0) for j in able]
    lo, hi = min(values), max(values)
    if hi - lo > 1:
        warnings.append(Reason("category_imbalanced", {
            "category": c, "min_load": lo, "max_load": hi, "jurors": len(able),
            "at_min": sorted((j for j in able if loads.get(j, 0) == lo), key=sort_key),
            "at_max": sorted((j for j in able if loads.get(j, 0) == hi), key=sort_key)}))


def _top_up_jurors(inst, active, eligible, cands, seed, slack=2.0):
    """Juror-side sampling: a juror who reads a rare language is in few
    entries' samples, and a too-sparse graph cannot reach the balanced
    optimum (column generation would then add many arcs).  Give every
    juror candidate arcs to about ``slack`` times its fair share of the
    category, drawn at random from the entries it may take."""
    groups: dict = {}
    count: dict = {}
    for e in active:
        ent = inst.entries[e]
        groups.setdefault((ent.category, ent.languages), []).append(e)
        for j in cands[e]:
            count[(j, ent.category)] = count.get((j, ent.category), 0) + 1
    units: dict = {}
    for e in active:
        c = inst.entries[e].category
        units[c] = units.get(c, 0) + inst.need[e]
    top_rank = max([r for c in cands.values() for r in c.values()] + [0]) + 1
    for c in inst.categories:
        jurors = inst.cat_jurors[c]
        if not jurors or not units.get(c):
            continue
        target = int(slack * units[c] / len(jurors)) + 2
        cat_groups = [(langs, es) for (cc, langs), es in sorted(
            groups.items(), key=lambda x: (x[0][0], sorted(x[0][1])))if cc == c]
        for j in jurors:
            have = count.get((j, c), 0)
            if have >= target:
                continue
            pool = [e for langs, es in cat_groups
                    if not langs or langs & inst.juror_langs[j] for e in es]
            rng = random.Random(f"{seed!r}|{c}|juror|{j!r}")
            for i in range(len(pool)):
                if have >= target:
                    break
                r = i + below(rng, len(pool) - i)
                pool[i], pool[r] = pool[r], pool[i]
                e = pool[i]
                if j in cands[e] or j in inst.excluded(e):
                    continue
                cands[e][j] = top_rank
                have += 1
