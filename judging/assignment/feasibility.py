"""Can every entry get its jurors?  Max-flow questions about an assignment
instance, answered with OR-Tools' ``SimpleMaxFlow`` before any cost is
considered.

The network (integer capacities, one for all categories)::

    source --(need)--> entry --(1)--> juror@category --(category room)-->
        juror --(overall room)--> sink

An arc entry -> juror@category exists for every pair allowed by the static
rules (category, language, conflict, pair removed by hand, juror already on
the entry); caps only appear as capacities, so that raising a cap is a
change of capacity, not of shape.  Every entry can get its jurors exactly
when the maximum flow equals the units needed.

Three questions are answered on it:

* :meth:`CapacityNetwork.maximal_set`: a maximal set of entries that can all
  be complete together (the others are reported, never half-assigned);
* :meth:`CapacityNetwork.cap_to_reach`: the smallest N such that raising
  every overall cap below N to N makes the instance feasible;
* :meth:`CapacityNetwork.fewest_jurors`: how many new jurors reading a given
  language (with a given cap) make it feasible (:func:`relaxations` puts the
  answers together).

The last two search a number N (or M) with a monotone max flow.  Each
infeasible solve yields a minimum cut whose capacity, as a function of N, is
an upper bound on the flow: the smallest N at which that cut could carry the
demand is a lower bound on the answer, so the search jumps there (Newton's
method on a concave piecewise-linear function); it ends in a few solves.
"""
from __future__ import annotations

from dataclasses import dataclass

BIG = 1 << 40  # "no limit", still far from int64 overflow when summed


def _ortools_max_flow():
    # imported on first use: the web app does not need OR-Tools until an assignment runs
    from ortools.graph.python import max_flow

    return max_flow


@dataclass
class Pool:
    """New jurors who read ``language`` (None: they serve entries without a
    language only), each taking at most ``cap`` entries (None: no limit)."""
    language: str | None
    cap: int | None
    arcs: list  # (arc id, need of the entry)
    sink_arc: int


class CapacityNetwork:
    def __init__(self, inst, entries: list):
        """``entries``: ids of the entries to place (need > 0), in order."""
        self.inst = inst
        self.entries = list(entries)
        self.mf = _ortools_max_flow().SimpleMaxFlow()
        self.source, self.sink = 0, 1
        n = 2
        self.entry_node = {}
        for e in self.entries:
            self.entry_node[e] = n
            n += 1
        self.juror_node = {}
        for j in inst.jurors:
            self.juror_node[j] = n
            n += 1
        self.jc_node = {}
        for c in inst.categories:
            for j in inst.jurors:
                if self._judges(j, c):
                    self.jc_node[(j, c)] = n
                    n += 1
        self.n_nodes = n
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self._added = 0  # arcs handed to OR-Tools so far (ids are positions)
        self.source_arc = {e: self._arc(self.source, self.entry_node[e], 0) for e in self.entries}
        self.pair_heads: dict = {}  # entry -> its juror@category nodes
        self._static: dict = {}
        for e in self.entries:
            tail = self.entry_node[e]
            heads = self.pair_heads[e] = [self.jc_node[(j, inst.entries[e].category)]
                                          for j in self.static_jurors(e)]
            self.tails += [tail] * len(heads)
            self.heads += heads
            self.caps += [1] * len(heads)
        for (j, c), node in self.jc_node.items():
            room = inst.cat_room(j, c)
            self._arc(node, self.juror_node[j], BIG if room is None else room)
        self.cap_arc = {}  # capped juror -> arc juror -> sink
        for j in inst.jurors:
            if inst.jurors[j].cap is None:
                self._arc(self.juror_node[j], self.sink, BIG)
            else:
                self.cap_arc[j] = self._arc(self.juror_node[j], self.sink, inst.overall_room(j))
        self.pools: dict = {}
        self.solves = 0

    # -- building ---------------------------------------------------------
    def _judges(self, j, c) -> bool:
        """The juror judges category c at all (the overall cap aside)."""
        spec = self.inst.jurors[j]
        if spec.categories is not None and c not in spec.categories:
            return False
        cc = self.inst.cat_cap(j, c)
        return cc is None or cc > 0

    def static_jurors(self, e) -> list:
        """Jurors allowed on entry e by the static rules, caps ignored."""
        ent = self.inst.entries[e]
        key = (ent.category, ent.languages)
        readers = self._static.get(key)
        if readers is None:
            readers = self._static[key] = [
                j for j in self.inst.jurors if (j, ent.category) in self.jc_node
                and (not ent.languages or ent.languages & self.inst.juror_langs[j])]
        excluded = self.inst.excluded(e)
        return [j for j in readers if j not in excluded] if excluded else readers

    def _arc(self, tail, head, cap) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        return len(self.tails) - 1

    def _set(self, arc, cap) -> None:
        self.caps[arc] = cap
        if arc < self._added:
            self.mf.set_arc_capacity(arc, cap)

    def add_pool(self, language, new_cap: int | None) -> Pool:
        """New-juror pool for ``language`` (empty until :meth:`set_pool`)."""
        node = self.n_nodes
        self.n_nodes += 1
        arcs = []
        for e in self.entries:
            langs = self.inst.entries[e].languages
            if not langs or language in langs:
                arcs.append((self._arc(self.entry_node[e], node, 0), self.inst.need[e]))
        pool = self.pools[language] = Pool(language, new_cap, arcs, self._arc(node, self.sink, 0))
        return pool

    def set_pool(self, pool: Pool, m: int) -> None:
        """``m`` new jurors: an entry takes at most one unit from each, and
        at most min(m, need) in all; the pool carries at most m * cap units
        (exact: such unit counts can always be dealt out to m distinct
        jurors, round robin)."""
        for arc, need in pool.arcs:
            self._set(arc, min(m, need))
        self._set(pool.sink_arc, BIG if pool.cap is None else m * pool.cap)

    def set_cap_floor(self, floor: int | None) -> None:
        """Every overall cap below ``floor`` raised to it (None: as given)."""
        for j, arc in self.cap_arc.items():
            cap = self.inst.jurors[j].cap
            if floor is not None:
                cap = max(cap, floor)
            self._set(arc, max(0, cap - self.inst.kept_load[j]))

    def activate(self, entries) -> int:
        """Only ``entries`` draw flow; returns the units they need."""
        wanted = set(entries)
        total = 0
        for e in self.entries:
            need = self.inst.need[e] if e in wanted else 0
            total += need
            self._set(self.source_arc[e], need)
        return total

    # -- solving ----------------------------------------------------------
    def solve(self) -> int:
        if self._added < len(self.tails):
            import numpy as np  # installed with OR-Tools

            new = slice(self._added, len(self.tails))
            self.mf.add_arcs_with_capacity(np.array(self.tails[new], dtype=np.int32),
                                           np.array(self.heads[new], dtype=np.int32),
                                           np.array(self.caps[new], dtype=np.int64))
            self._added = len(self.tails)
        status = self.mf.solve(self.source, self.sink)
        self.solves += 1
        if status != self.mf.OPTIMAL:  # pragma: no cover - capacities are bounded
            raise RuntimeError(f"max flow failed: {status}")
        return self.mf.optimal_flow()

    def entry_flow(self, e) -> int:
        return self.mf.flow(self.source_arc[e])

    def maximal_set(self, entries: list) -> tuple[list, dict]:
        """(complete, short): ``complete`` entries can all get their jurors
        together; adding any one of ``short`` (entry -> at most how many
        units it could get) to them is impossible.

        One solve with all entries; the fully routed ones are kept.  The
        others are then taken in the given order: the longest run of them
        that fits on top of the kept ones is found by bisection and kept, the
        one after it is refused, and so on.  Between runs, the nodes that can
        still reach the sink (the sink side of the minimum cut) bound what
        an entry can get: one with fewer such jurors than it needs is
        refused without a solve."""
        needed = self.activate(entries)
        if self.solve() == needed:
            return list(entries), {}
        complete = [e for e in entries if self.entry_flow(e) == self.inst.need[e]]
        rest = [e for e in entries if self.entry_flow(e) < self.inst.need[e]]
        got: dict = {}

        def fits(extra) -> bool:
            wanted = self.activate(complete + extra)
            self.flow = self.solve()
            return self.flow == wanted

        fits([])
        while rest:
            reach = set(self.mf.get_sink_side_min_cut())  # of the last feasible solve
            free = {e: sum(1 for h in self.pair_heads[e] if h in reach) for e in rest}
            for e in rest:
                if free[e] < self.inst.need[e]:
                    got[e] = free[e]
            rest = [e for e in rest if e not in got]
            if not rest or fits(rest):
                complete += rest
                break
            # rest[:top + 1] does not fit: all of rest does not, and no longer
            # run than the units the last flow carried beyond `complete`
            room = self.flow - sum(self.inst.need[e] for e in complete)
            top = 0
            while top < len(rest) - 1 and room >= self.inst.need[rest[top]]:
                room -= self.inst.need[rest[top]]
                top += 1
            if top and fits(rest[:top]):
                lo = hi = top
            else:
                lo, hi = 0, max(0, top - 1)  # rest[:lo] fits, rest[:hi + 1] does not
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if fits(rest[:mid]):
                    lo = mid
                else:
                    hi = mid - 1
            complete += rest[:lo]
            refused = rest[lo]
            got[refused] = min(self.inst.need[refused] - 1, free[refused])
            rest = rest[lo + 1:]
            fits([])  # the cut of what is kept, for the next bounds
        self.activate(complete)
        return complete, got

    # -- what to relax ----------------------------------------------------
    def _cut(self, variable: dict) -> tuple[int, list]:
        """The last solve's minimum cut: (capacity of its arcs not in
        ``variable``, its arcs in ``variable``)."""
        import numpy as np

        side = np.zeros(self.n_nodes, dtype=bool)
        side[np.asarray(self.mf.get_source_side_min_cut(), dtype=np.int64)] = True
        tails, heads = np.asarray(self.tails), np.asarray(self.heads)
        crossing = side[tails] & ~side[heads]
        is_variable = np.zeros(len(self.tails), dtype=bool)
        is_variable[np.fromiter(variable, dtype=np.int64, count=len(variable))] = True
        fixed = int(np.asarray(self.caps, dtype=np.int64)[crossing & ~is_variable].sum())
        return fixed, [int(a) for a in np.nonzero(crossing & is_variable)[0]]

    def _newton(self, lo, hi, apply, target, variable: dict, known=None) -> int | None:
        """Smallest x in [lo, hi] whose max flow reaches ``target`` after
        ``apply(x)``; ``variable`` maps the arcs that ``apply`` changes to
        their capacity as a function of x (nondecreasing).  ``known``: the
        flow of the last solve, when it was made with ``apply(lo)``."""
        x, flow = lo, known
        while True:
            if flow is None:
                apply(x)
                flow = self.solve()
            if flow >= target:
                return x
            fixed, arcs = self._cut(variable)

            def enough(y):
                return fixed + sum(variable[a](y) for a in arcs) >= target

            if not enough(hi):
                return None  # this cut stays too small whatever x is
            lo, top = x + 1, hi
            while lo < top:  # the smallest y at which this cut could carry the target
                mid = (lo + top) // 2
                if enough(mid):
                    top = mid
                else:
                    lo = mid + 1
            x, flow = lo, None

    def cap_to_reach(self, target: int, flow: int) -> int | None:
        """The smallest overall cap N such that, with every cap below N
        raised to N, the max flow reaches ``target``; None when no cap
        does (languages, conflicts or category caps are the limit).
        ``flow``: the last solve's, made with the caps as given."""
        caps = {j: self.inst.jurors[j].cap for j in self.cap_arc}
        if not caps:
            return None
        kept = self.inst.kept_load
        hi = max(caps.values()) + max(kept.values(), default=0) + sum(self.inst.need[e] for e in self.entries)
        variable = {arc: (lambda n, cap=caps[j], k=kept[j]: max(0, max(cap, n) - k))
                    for j, arc in self.cap_arc.items()}
        try:
            return self._newton(min(caps.values()), hi, self.set_cap_floor, target, variable, known=flow)
        finally:
            self.set_cap_floor(None)

    def pool_limit(self, pool: Pool) -> int:
        """Enough new jurors for the pool to carry every unit of its entries."""
        units = sum(need for _arc, need in pool.arcs)
        return max(self.inst.k, units if pool.cap is None else -(-units // max(pool.cap, 1)))

    def fewest_jurors(self, pool: Pool, target: int) -> int | None:
        """The fewest new jurors of ``pool`` with which the max flow reaches
        ``target``, the other pools as they are (None: no number does)."""
        variable = {arc: (lambda m, need=need: min(m, need)) for arc, need in pool.arcs}
        variable[pool.sink_arc] = (lambda m: BIG) if pool.cap is None else (lambda m: m * pool.cap)
        hi = self.pool_limit(pool)
        m = self._newton(0, hi, lambda x: self.set_pool(pool, x), target, variable)
        self.set_pool(pool, hi if m is None else m)
        return m


def relaxations(net: CapacityNetwork, short: list, new_cap: int | None) -> dict:
    """What would make every entry of ``net`` assignable: ``{"cap": N or None,
    "capped_below": jurors whose cap is below N, "add": [(language, M,
    categories)], "new_cap": cap assumed for new jurors}``.

    ``short``: the entries that cannot get their jurors now; their languages
    (None for an entry without one) name the pools of new jurors.  Raising
    caps and adding jurors are two separate answers, either one enough on
    its own.  For the jurors to add, every pool starts large enough to carry
    all its entries; then each pool in turn is cut to the fewest jurors that
    still let every entry through, the others as they are: first the pool
    for entries without a language (readers of any language can take those),
    then the languages from the fewest missing units to the most, so that
    the answer leans on the languages most needed.  No pool of the answer
    can lose a juror."""
    inst = net.inst
    new_cap = None if new_cap is None else max(1, new_cap)  # a new juror takes at least one entry
    demand = net.activate(net.entries)
    flow = net.solve()
    n = net.cap_to_reach(demand, flow)
    out = {"cap": n, "new_cap": new_cap, "add": [],
           "capped_below": 0 if n is None else sum(
               1 for j in net.cap_arc if inst.jurors[j].cap < n)}
    missing: dict = {}
    for e in short:
        for lang in (inst.entries[e].languages or {None}):
            missing[lang] = missing.get(lang, 0) + inst.need[e]
    order = sorted(missing, key=lambda lang: (lang is not None, missing[lang], lang or ""))
    pools = [net.add_pool(lang, new_cap) for lang in order]
    for pool in pools:
        net.set_pool(pool, net.pool_limit(pool))
    for pool in pools:
        m = net.fewest_jurors(pool, demand)
        if m is None:  # pragma: no cover - every short entry is served by some pool
            raise RuntimeError("new jurors cannot make the assignment feasible")
        if m:
            lang = pool.language
            cats = sorted({inst.entries[e].category for e in short
                           if lang is None or lang in inst.entries[e].languages or not inst.entries[e].languages})
            out["add"].append((lang, m, cats))
    out["add"].sort(key=lambda a: (a[0] is None, a[0] or ""))
    out["solves"] = net.solves
    return out
