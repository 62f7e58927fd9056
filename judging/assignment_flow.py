"""The flow network behind :func:`judging.assignment.assign`.

::

    entry --(cap 1, tie-break cost)--> juror@category --(cap: category room,
        convex W1 * load)--> juror --(cap: overall room)--> sink

(the ``juror`` node only for jurors with an overall cap; the others'
``juror@category`` nodes go straight to the sink.)

Lexicographic objective, exact in integers:

1. per-category balance: the ``u``-th unit of a juror in a category costs
   ``W1 * u`` (``u`` counts kept pairs too), i.e. a sum of identical
   strictly convex functions of the loads;
2. few arcs outside the sampled candidates (``nc_cost`` each);
3. the seeded random rank of the candidate (spreads juror overlaps).

``W1`` exceeds everything terms 2 and 3 can add up to, so term 1 is
minimised first.  (Overall balance across categories is handled
afterwards by load-swapping moves, see
:func:`judging.assignment_linking.rebalance_overall`: putting it in the
flow makes shortest-path searches wander across categories for a term
that is only a nicety.)
"""
from __future__ import annotations

from .mincostflow import MinCostFlow
from .reason import sort_key


class FlowState:
    def __init__(self, inst, active: list, cands: dict, nc_cost: int):
        self.inst = inst
        self.cands = cands
        self.nc_cost = nc_cost
        n_units = sum(inst.need[e] for e in active)
        self.w1 = n_units * (nc_cost + 1) + 1
        mcf = self.mcf = MinCostFlow(1)
        self.sink = 0
        # a juror node only for jurors with an overall cap: the others'
        # categories are independent, which keeps the searches local
        j_node = {}
        for j in inst.jurors:
            room = inst.overall_room(j)
            if room is not None:
                j_node[j] = mcf.add_node()
                mcf.add_edge(j_node[j], self.sink, room)
        self.jc_node = {}
        for c in inst.categories:
            for j in inst.cat_jurors[c]:
                n = self.jc_node[(j, c)] = mcf.add_node()
                mcf.add_edge(n, j_node.get(j, self.sink), inst.cat_room(j, c),
                             slope=self.w1, base=inst.kept_cat_load.get((j, c), 0))
        self.entry_node = {}
        self.arc = {}  # (entry, juror) -> edge id
        for e in active:
            c = inst.entries[e].category
            u = self.entry_node[e] = mcf.add_node()
            for j, cost in sorted(cands[e].items(), key=lambda x: (x[1], sort_key(x[0]))):
                self.arc[(e, j)] = mcf.add_edge(u, self.jc_node[(j, c)], 1, cost=cost)
        self.routed = {e: 0 for e in active}
        self.added_arcs = 0

    def add_arc(self, e, j) -> None:
        """Add a non-candidate arc, keeping the flow optimal."""
        c = self.inst.entries[e].category
        self.cands[e][j] = self.nc_cost
        self.arc[(e, j)] = self.mcf.insert_edge(
            self.entry_node[e], self.jc_node[(j, c)], 1, self.nc_cost)
        self.added_arcs += 1

    def route(self, e, eligible: list) -> bool:
        """Send the entry's missing units; widen its arcs to every eligible
        juror if the sample is not enough.  True if fully routed."""
        need = self.inst.need[e]
        widened = False
        while self.routed[e] < need:
            if self.mcf.augment(self.entry_node[e], self.sink, 1):
                self.routed[e] += 1
                continue
            if widened or len(self.cands[e]) >= len(eligible):
                return False
            for j in eligible:
                if j not in self.cands[e]:
                    self.add_arc(e, j)
            widened = True
        return True

    def unroute(self, e) -> None:
        """Take back all units of entry e (shortest paths sink -> entry keep
        the rest optimal)."""
        while self.routed[e] > 0:
            if not self.mcf.augment(self.sink, self.entry_node[e], 1):
                raise RuntimeError("cannot unroute a routed entry")  # pragma: no cover
            self.routed[e] -= 1

    def violations(self, active: list, eligible: dict) -> list:
        """Eligible non-candidate arcs with a negative reduced cost."""
        h = self.mcf.h
        by_cat: dict = {}
        for (j, c), n in self.jc_node.items():
            by_cat.setdefault(c, []).append((h[n], sort_key(j), j))
        for lst in by_cat.values():
            lst.sort(key=lambda x: (-x[0], x[1]))
        out = []
        inst = self.inst
        for e in active:
            if self.routed[e] == 0 or len(self.cands[e]) >= len(eligible[e]):
                continue
            ent = inst.entries[e]
            limit = h[self.entry_node[e]] + self.nc_cost
            _, readers = inst.readers(ent.category, ent.languages)
            excluded = inst.excluded(e)
            cands = self.cands[e]
            for hv, _, j in by_cat.get(ent.category, ()):
                if hv <= limit:
                    break
                if j in readers and j not in excluded and j not in cands:
                    out.append((e, j))
        return out

    def pairs(self) -> list:
        flow = self.mcf.flow
        return [p for p, eid in self.arc.items() if flow(eid) > 0]
