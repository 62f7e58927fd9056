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
3. the tier of the candidate's seeded random rank (spreads juror overlaps).

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
    def __init__(self, inst, active: list, cands: dict, eligible: dict, nc_cost: int):
        self.inst = inst
        self.cands = cands
        self.eligible = eligible
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
        self.node_entry = {}
        self.arc = {}  # (entry, juror) -> edge id
        for e in active:
            c = inst.entries[e].category
            u = self.entry_node[e] = mcf.add_node()
            self.node_entry[u] = e
            for j, cost in sorted(cands[e].items(), key=lambda x: (x[1], sort_key(x[0]))):
                self.arc[(e, j)] = mcf.add_edge(u, self.jc_node[(j, c)], 1, cost=cost)
        self.routed = {e: 0 for e in active}
        self.added_arcs = 0
        # Nodes known to have no residual path to the sink: the union of the
        # node sets explored by failed searches.  Such a set is closed (no
        # residual edge leaves it) and stays closed while flow only moves
        # along augmenting paths to the sink (a path through it would reach
        # the sink from it); it is forgotten when flow is taken back or
        # edges are added.  An entry whose edges all point into it fails at
        # once instead of exploring the whole saturated region again.
        self.dead: set[int] = set()
        self.instant_failures = 0

    def _heads(self, e) -> list[int]:
        c = self.inst.entries[e].category
        return [self.jc_node[(j, c)] for j in self.cands[e]]

    def add_arc(self, e, j) -> None:
        """Add a non-candidate arc, keeping the flow optimal."""
        c = self.inst.entries[e].category
        self.dead.clear()
        self.cands[e][j] = self.nc_cost
        self.arc[(e, j)] = self.mcf.insert_edge(
            self.entry_node[e], self.jc_node[(j, c)], 1, self.nc_cost)
        self.added_arcs += 1

    def _leaving(self, region) -> list:
        """Eligible non-candidate pairs from an entry inside ``region`` (a
        node set) to a juror outside it."""
        inside = set(region)
        out = []
        for n in region:
            x = self.node_entry.get(n)
            if x is None or len(self.cands[x]) >= len(self.eligible[x]):
                continue
            c = self.inst.entries[x].category
            for j in self.eligible[x]:
                if j not in self.cands[x] and self.jc_node[(j, c)] not in inside:
                    out.append((x, j))
        return out

    def route(self, e) -> bool:
        """Send the entry's missing units.  When the search fails, the sampled
        graph may be what blocks it: the eligible arcs leaving the explored
        region are added and the search repeated, so a failure is a failure
        on the full graph.  True if fully routed; otherwise the units placed
        stay placed (see :meth:`unroute`)."""
        need = self.inst.need[e]
        dead = self.dead
        while self.routed[e] < need:
            if dead and all(n in dead for n in self._heads(e)):
                # dead regions were checked against the full graph when they
                # died: only e's own missing arcs may lead out
                self.instant_failures += 1
                c = self.inst.entries[e].category
                leaving = [(e, j) for j in self.eligible[e] if j not in self.cands[e]
                           and self.jc_node[(j, c)] not in dead]
            elif self.mcf.augment(self.entry_node[e], self.sink, 1):
                self.routed[e] += 1
                continue
            else:
                region = self.mcf.last_reachable
                leaving = self._leaving(region)
                if not leaving:
                    dead.update(region)
            if not leaving:
                return False
            for x, j in leaving:
                self.add_arc(x, j)
        return True

    def unroute(self, e) -> None:
        """Take back all units of entry e (shortest paths sink -> entry keep
        the rest optimal)."""
        if self.routed[e]:
            self.dead.clear()
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
