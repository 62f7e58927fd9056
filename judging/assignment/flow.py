"""The min-cost flow behind :func:`judging.assignment.assign.assign`, solved with
OR-Tools' ``SimpleMinCostFlow``.

::

    entry --(cap 1, pair cost)--> juror@category --(unit arcs, load cost)-->
        juror --(overall room)--> sink

Each entry supplies the units it still needs, the sink takes them all.  The
caller has checked with a max flow that they fit
(:mod:`judging.assignment.feasibility`).

Costs (:class:`CostModel`, one documented function per kind of arc), a
lexicographic objective, exact in 64-bit integers:

1. :meth:`CostModel.load_cost`: the ``u``-th entry of a juror in a category
   costs ``W1 * u`` (``u`` counts kept pairs).  It is modelled with parallel
   arcs of capacity 1 from ``juror@category``, the ``u``-th one costing
   ``load_cost(u)``: their costs increase, so an optimal flow uses them in
   order and pays a sum of identical strictly convex functions of the loads
   (the per-category balance described in :mod:`judging.assignment.assign`);
2. :meth:`CostModel.pair_cost`: the arc entry -> juror@category, the
   tie-break between equally balanced solutions.

``W1`` is larger than what term 2 can add up to over all units, so term 1 is
minimised first.  To add a term (say, prefer pairs that link a design), add
it to :meth:`CostModel.pair_cost` as a non-negative integer below the terms
that must win over it; ``W1`` follows ``max_pair_cost`` by itself.

Only the arcs a juror might need are built: ``2 * fair share + 2`` load
arcs per juror@category to start with; when an optimal flow fills all the
arcs of a juror@category that could take more, more are added and the flow
solved again (while no node uses its last arc, the truncated network has the
same optimum: the arcs left out cost more than any unused one).
"""
from __future__ import annotations

from dataclasses import dataclass

from judging.reason import sort_key


def _ortools_min_cost_flow():
    # imported on first use: the web app does not need OR-Tools until an assignment runs
    from ortools.graph.python import min_cost_flow

    return min_cost_flow


@dataclass
class CostModel:
    """``cands[e][j]``: the tie-break tier of pair (e, j) when j is in e's
    seeded candidate sample; ``off_sample``: the cost of any other eligible
    pair.  ``units``: the units routed in all."""
    cands: dict
    off_sample: int
    units: int

    def __post_init__(self):
        self.max_pair_cost = max([self.off_sample] + [c for cs in self.cands.values() for c in cs.values()])
        self.load_weight = self.units * self.max_pair_cost + 1  # W1

    def pair_cost(self, e, j) -> int:
        """Arc entry -> juror@category: the tier of the seeded random rank of
        juror j in entry e's sample, or ``off_sample`` outside it."""
        return self.cands[e].get(j, self.off_sample)

    def load_cost(self, u: int) -> int:
        """The u-th parallel arc of a juror@category (u counts kept pairs)."""
        return self.load_weight * u


class MinCostAssignment:
    def __init__(self, inst, entries: list, eligible: dict, costs: CostModel):
        import numpy as np  # installed with OR-Tools

        self.np = np
        self.inst, self.costs = inst, costs
        self.mcf = _ortools_min_cost_flow().SimpleMinCostFlow()
        self.solves = 0
        sink = 0
        n = 1
        j_node = {}
        for j in inst.jurors:
            room = inst.overall_room(j)
            if room is not None:
                j_node[j] = n
                n += 1
        units: dict = {}
        load_room: dict = {}  # (juror, category) -> most units it could take
        self.jc_node = {}
        for c in inst.categories:
            for j in inst.cat_jurors[c]:
                self.jc_node[(j, c)] = n
                n += 1
        tails, heads, arc_costs = [], [], []
        self.entries, self.eligible = entries, eligible
        pair_cost = costs.pair_cost
        for e in entries:
            c = inst.entries[e].category
            units[c] = units.get(c, 0) + inst.need[e]
            el = eligible[e]
            for j in el:
                load_room[(j, c)] = load_room.get((j, c), 0) + 1
            tails += [n] * len(el)
            heads += [self.jc_node[(j, c)] for j in el]
            arc_costs += [pair_cost(e, j) for j in el]
            n += 1
        self.n_pairs = len(tails)
        self.jc_node = {key: node for key, node in self.jc_node.items() if key in load_room}
        for key in self.jc_node:
            j, c = key
            for room in (inst.cat_room(j, c), inst.overall_room(j)):
                if room is not None:
                    load_room[key] = min(load_room[key], room)
        caps = [1] * len(tails)
        supplies = [0] * n
        node = n - len(entries)
        for e in entries:
            supplies[node] = inst.need[e]
            node += 1
        supplies[sink] = -sum(inst.need[e] for e in entries)
        for j, jn in j_node.items():
            tails.append(jn)
            heads.append(sink)
            caps.append(inst.overall_room(j))
            arc_costs.append(0)
        self._add(tails, heads, caps, arc_costs)
        self.mcf.set_nodes_supplies(np.arange(n, dtype=np.int32), np.array(supplies, dtype=np.int64))
        self.out = {key: j_node.get(key[0], sink) for key in self.jc_node}
        self.room = load_room
        self.built = {key: 0 for key in self.jc_node}  # load arcs built per juror@category
        self.load_arcs: dict = {key: [] for key in self.jc_node}
        for key in self.jc_node:
            j, c = key
            fair = -(-units[c] // max(1, len(inst.cat_jurors[c])))
            self._grow(key, min(load_room[key], 2 * fair + 2))

    def _add(self, tails, heads, caps, arc_costs) -> int:
        np = self.np
        first = self.mcf.num_arcs()
        self.mcf.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
            np.array(caps, dtype=np.int64), np.array(arc_costs, dtype=np.int64))
        return first

    def _grow(self, key, upto: int) -> None:
        """Parallel load arcs of juror@category ``key`` up to ``upto`` new units."""
        have = self.built[key]
        if upto <= have:
            return
        j, c = key
        base = self.inst.kept_cat_load.get(key, 0)
        count = upto - have
        node = self.jc_node[key]
        first = self._add([node] * count, [self.out[key]] * count, [1] * count,
                          [self.costs.load_cost(base + u) for u in range(have + 1, upto + 1)])
        self.load_arcs[key].extend(range(first, first + count))
        self.built[key] = upto

    def _grow_all(self) -> bool:
        """Double the load arcs of every juror@category that has room left; False when all are built."""
        grown = False
        for key in self.jc_node:
            if self.built[key] < self.room[key]:
                self._grow(key, min(self.room[key], 2 * self.built[key] + 2))
                grown = True
        return grown

    def solve(self) -> list:
        """The optimal new pairs, sorted."""
        np = self.np
        while True:
            status = self.mcf.solve()
            self.solves += 1
            if status == self.mcf.INFEASIBLE and self._grow_all():
                continue  # the first arcs were too few (a fair share counted capped jurors): build more, again
            if status != self.mcf.OPTIMAL:
                raise RuntimeError(f"min-cost flow: {status.name}")
            full = []
            for key, arcs in self.load_arcs.items():
                if self.built[key] < self.room[key] and arcs and self.mcf.flow(arcs[-1]) > 0:
                    full.append(key)
            if not full:
                break
            for key in full:  # a node used its last arc and could take more: build more
                self._grow(key, min(self.room[key], 2 * self.built[key]))
        used = set(np.nonzero(self.mcf.flows(np.arange(self.n_pairs, dtype=np.int32)))[0].tolist())
        pairs, arc = [], 0
        for e in self.entries:
            for j in self.eligible[e]:
                if arc in used:
                    pairs.append((e, j))
                arc += 1
        return sorted(pairs, key=lambda p: (sort_key(p[0]), sort_key(p[1])))

    def total_cost(self) -> int:
        return self.mcf.optimal_cost()
