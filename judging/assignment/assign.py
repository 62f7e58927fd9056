"""Jury assignment: which jurors score which entries.

Pure algorithm (no Flask, no database): dataclasses in, dataclasses out::

    result = assign(entries, jurors, k=3, seed=2025)
    if result.complete:
        save(result.pairs)
    else:
        show(result.problems)     # Reason(code, params) each

How:

* first a max flow (OR-Tools, :mod:`judging.assignment.feasibility`) says
  whether every entry can get its jurors; if not, which ones cannot (a
  maximal set of the others can) and what would fix it: the smallest cap to
  raise every juror to, or how many jurors reading which language to add;
* then one min-cost flow (OR-Tools, :mod:`judging.assignment.flow`) for all
  categories; each entry sends ``k - kept`` units to distinct eligible
  jurors, caps are capacities;
* the cost is lexicographic: first the per-category balance (identical
  strictly convex costs per juror load, which yields the "decreasingly
  minimal" load vector: it minimises the largest load and maximises the
  smallest one at once, so loads differing by at most one are found
  whenever they exist), then the tier of a seeded random rank per
  (entry, juror) so that juror overlaps are spread and the same seed gives
  the same result;
* the tie-break prefers, for each entry, a seeded random sample of
  ``max_candidates`` eligible jurors (topped up so that every juror is in
  some samples); every other eligible pair is allowed at a higher cost, so
  the balance is exact over *all* eligible pairs;
* then, moves that keep every juror's per-category load multiset (so
  balance and caps stay as they are) even out the overall loads and join
  disconnected designs (:mod:`judging.assignment.linking`).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping

from judging.assignment.feasibility import CapacityNetwork, relaxations
from judging.assignment.flow import CostModel, MinCostAssignment
from judging.assignment.instance import Instance, below, pair_key
from judging.assignment.linking import components, rebalance_overall, repair_links
from judging.assignment.preference import strengthen_category
from judging.reason import Reason, sort_key

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
    ``conflicts``: juror ids that must not judge it.  ``k``: this entry's
    number of jurors when it differs from the round's (a final-round
    proposal gives each entry its own); None: the ``k`` of :func:`assign`."""
    id: Hashable
    category: str
    languages: frozenset = frozenset()
    conflicts: frozenset = frozenset()
    k: int | None = None


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
    # when some entry is unassigned, what would fix it: "raise_cap" {cap: N,
    # jurors: how many have less} and/or "add_jurors" {language (None: any),
    # count: M, cap, categories}; each code alone is enough, the add_jurors
    # together
    remedies: list[Reason] = field(default_factory=list)
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
    new_juror_cap: int | None = None,
    prefer_links: bool = True,
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

    ``max_candidates``: eligible jurors per entry, drawn at random with the
    seed, that the tie-break prefers (None = all alike); the balance does not
    depend on it.  ``repair``: run the overall-balance and linking moves.
    ``prefer_links``: after the repairs, swap jurors across weakly linked
    blocks (:mod:`judging.assignment.preference`; loads and k unchanged).
    ``new_juror_cap``: the cap assumed for new jurors in ``remedies``
    (default: the median of the jurors' caps; None if nobody has one).
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
        # cost = tier of the random rank: a few cost levels keep OR-Tools'
        # cost scaling short, the tiers still spread the overlaps
        cands[e] = {j: rank // TIE_TIER for rank, j in enumerate(el[:limit])}
    if max_candidates is not None:
        _top_up_jurors(inst, active, eligible, cands, seed)
    active.sort(key=order_key.__getitem__)
    # any other eligible pair: one tier above the sample (small costs keep
    # OR-Tools' cost scaling short; the balance term outweighs them all)
    off_sample = max([r for c in cands.values() for r in c.values()] + [0]) + 1

    # 3. feasibility: a max flow says which entries can all be complete
    #    together (a maximal set, most constrained entries first among those
    #    the first flow leaves short); nothing is ever half-assigned ---------
    net = CapacityNetwork(inst, sorted((e for e in inst.entries if inst.need[e] > 0), key=sort_key))
    complete, short = net.maximal_set(active)
    for e in sorted(short, key=sort_key):
        ent = inst.entries[e]
        problems.append(Reason("capacity_exhausted", {
            "entry_id": e, "category": ent.category, "needed": inst.need[e],
            "k": k, "eligible": len(eligible[e]), "assignable": short[e]}))
        unassigned.append(e)
    remedies: list[Reason] = []
    if unassigned:
        remedies = _remedies(net, inst, unassigned, new_juror_cap)
    # 4. the cheapest assignment of the complete entries (OR-Tools min-cost flow)
    new_pairs, flow_stats = [], {}
    if complete and not (unassigned and mode == STRICT):
        costs = CostModel(cands, off_sample, sum(inst.need[e] for e in complete))
        solver = MinCostAssignment(inst, sorted(complete, key=sort_key), eligible, costs)
        new_pairs = solver.solve()
        flow_stats = {"arcs": solver.mcf.num_arcs(), "min_cost_solves": solver.solves,
                      "cost": solver.total_cost()}

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
    kept_pairs = set(inst.kept)
    for c in inst.categories:
        if not new_pairs:
            break  # nothing proposed: nothing to repair or report on
        cat_pairs = by_cat[c]
        mov = {p for p in cat_pairs if p in movable}
        if repair and mov:
            cat_pairs, n_comp, ops = repair_links(
                cat_pairs, mov, inst.statically_eligible, cat_loads[c], loads,
                lambda j, c=c: inst.caps(j, c), sort_key)
            swaps = 0
            if prefer_links:  # a well-linked design: swaps keep every load and every entry's k
                cat_pairs, swaps, _short = strengthen_category(
                    cat_pairs, {p for p in cat_pairs if p not in kept_pairs}, inst.statically_eligible, sort_key)
            by_cat[c] = cat_pairs
            link_ops += ops + swaps
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
    stats = {"max_flow_solves": net.solves, **flow_stats,
             "overall_moves": overall_moves, "link_operations": link_ops,
             "seconds": round(time.perf_counter() - started, 3)}
    return AssignmentResult(
        complete=not unassigned, pairs=pairs, new_pairs=new_pairs,
        kept_pairs=list(inst.kept), loads=loads, category_loads=cat_loads,
        problems=problems, warnings=warnings, unassigned=unassigned, remedies=remedies,
        stats=stats)


def _remedies(net, inst, unassigned, new_juror_cap) -> list[Reason]:
    """What would make every entry assignable, in numbers (see
    :func:`judging.assignment.feasibility.relaxations`)."""
    if new_juror_cap is None:
        caps = sorted(j.cap for j in inst.jurors.values() if j.cap)  # a cap of 0 is no model
        new_juror_cap = caps[len(caps) // 2] if caps else None
    found = relaxations(net, unassigned, new_juror_cap)
    out = []
    if found["cap"] is not None:
        out.append(Reason("raise_cap", {"cap": found["cap"], "jurors": found["capped_below"]}))
    for language, count, categories in found["add"]:
        out.append(Reason("add_jurors", {"language": language, "count": count,
                                         "cap": found["new_cap"], "categories": categories}))
    return out


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
    entries' samples, so the balanced optimum would lean on pairs outside
    the samples (the most expensive tier).  Give every juror candidate
    arcs to about ``slack`` times its fair share of the category, drawn at
    random from the entries it may take."""
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
