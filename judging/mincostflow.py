"""Min-cost flow by successive shortest paths with node potentials.

Pure Python, integer costs, no dependencies.  Written for the jury
assignment (see :mod:`judging.assignment`) but generic:

* every edge has a capacity and a *convex* cost: the u-th unit pushed
  through an edge (counted from ``base + 1``) costs ``cost + slope * u``.
  ``slope=0`` gives an ordinary linear edge; ``slope>0`` gives increasing
  marginal costs, the standard way of modelling a convex separable
  objective without parallel edges.  The residual forward edge always
  prices the next unit, the residual backward edge refunds the last one.
* supplies are pushed one augmenting path at a time from any node to the
  sink (:meth:`MinCostFlow.augment`).  The invariant of successive shortest
  paths -- every residual edge has a non-negative reduced cost
  ``cost + h[u] - h[v]`` -- holds from the start because all initial
  costs are non-negative (``cost >= 0``, ``slope >= 0``), so the current
  flow is always a minimum-cost flow for the excesses routed so far, in
  whatever order the sources are processed.
* Dijkstra stops as soon as the sink is settled; potentials are then
  raised by ``min(dist, dist_sink)`` (only settled nodes need touching,
  the common ``dist_sink`` shift of the others cancels out), which keeps
  reduced costs non-negative (Johnson's argument with truncated distances).

Costs are Python ints, so arbitrarily large lexicographic weights are exact.
"""
from __future__ import annotations

from heapq import heappop, heappush

INFINITE_CAPACITY = 1 << 62


class MinCostFlow:
    """A residual graph; edge ``2i`` is forward, ``2i + 1`` its reverse."""

    def __init__(self, n_nodes: int = 0):
        self._fwd: list[list[int]] = [[] for _ in range(n_nodes)]  # even ids out
        # residual reverse edges leaving a node: odd ids whose edge has flow
        self._rev: list[dict[int, None]] = [{} for _ in range(n_nodes)]
        self.h: list[int] = [0] * n_nodes  # potentials
        self._to: list[int] = []
        self._cap: list[int] = []  # only meaningful on even (forward) ids
        self._flow: list[int] = []
        self._cost: list[int] = []
        self._slope: list[int] = []
        self._base: list[int] = []
        self.augmentations = 0
        self.settled_nodes = 0  # work counter, for benchmarks
        self.last_reachable: list[int] = []  # set by a failed augment()

    # -- building -------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self._fwd)

    def add_node(self) -> int:
        self._fwd.append([])
        self._rev.append({})
        self.h.append(0)
        return len(self._fwd) - 1

    def add_edge(self, u: int, v: int, cap: int | None, cost: int = 0,
                 slope: int = 0, base: int = 0) -> int:
        """Add ``u -> v``; returns the (even) edge id."""
        if cost < 0 or slope < 0 or base < 0:
            raise ValueError("costs, slopes and bases must be non-negative")
        if cap is None:
            cap = INFINITE_CAPACITY
        if cap < 0:
            raise ValueError("capacity must be non-negative")
        eid = len(self._to)
        for head in (v, u):  # forward then reverse
            self._to.append(head)
            self._cap.append(cap)
            self._flow.append(0)
            self._cost.append(cost)
            self._slope.append(slope)
            self._base.append(base)
        self._fwd[u].append(eid)
        return eid

    def _set_flow(self, fe: int, f: int) -> None:
        old = self._flow[fe]
        self._flow[fe] = f
        if old <= 0 < f:
            self._rev[self._to[fe]][fe + 1] = None
        elif f <= 0 < old:
            del self._rev[self._to[fe]][fe + 1]

    # -- inspection -----------------------------------------------------
    def flow(self, eid: int) -> int:
        return self._flow[eid & ~1]

    def head(self, eid: int) -> int:
        return self._to[eid]

    def residual_cost(self, eid: int) -> int | None:
        """Cost of one more unit along residual edge ``eid`` (None if full)."""
        fe = eid & ~1
        f = self._flow[fe]
        if eid & 1:
            if f <= 0:
                return None
            return -(self._cost[fe] + self._slope[fe] * (self._base[fe] + f))
        if f >= self._cap[fe]:
            return None
        return self._cost[fe] + self._slope[fe] * (self._base[fe] + f + 1)

    def reduced_cost(self, eid: int) -> int | None:
        c = self.residual_cost(eid)
        if c is None:
            return None
        return c + self.h[self._to[eid ^ 1]] - self.h[self._to[eid]]

    def total_cost(self) -> int:
        total = 0
        for fe in range(0, len(self._to), 2):
            f = self._flow[fe]
            if f:
                b, s = self._base[fe], self._slope[fe]
                # sum_{u=b+1}^{b+f} (cost + s*u)
                total += self._cost[fe] * f + s * (f * (2 * b + f + 1) // 2)
        return total

    # -- solving --------------------------------------------------------
    def augment(self, s: int, t: int, amount: int = 1) -> int:
        """Push up to ``amount`` units from ``s`` to ``t`` along one shortest
        residual path.  Returns the units pushed (0: ``t`` unreachable)."""
        if amount <= 0 or s == t:
            return 0
        fwd, rev, to, cap, flow = self._fwd, self._rev, self._to, self._cap, self._flow
        cost, slope, base, h = self._cost, self._slope, self._base, self.h
        dist = {s: 0}
        parent: dict[int, int] = {}
        settled: list[tuple[int, int]] = []
        heap = [(0, s)]
        reached = None
        while heap:
            d, u = heappop(heap)
            if d > dist[u]:
                continue  # stale heap item (reduced costs >= 0: no re-settling)
            settled.append((u, d))
            if u == t:
                reached = d
                break
            base_u = d + h[u]
            for eid in fwd[u]:
                f = flow[eid]
                if f >= cap[eid]:
                    continue
                v = to[eid]
                nd = base_u + cost[eid] + slope[eid] * (base[eid] + f + 1) - h[v]
                old = dist.get(v)
                if old is None or nd < old:
                    dist[v] = nd
                    parent[v] = eid
                    heappush(heap, (nd, v))
            for eid in rev[u]:
                fe = eid - 1
                v = to[eid]
                nd = base_u - cost[fe] - slope[fe] * (base[fe] + flow[fe]) - h[v]
                old = dist.get(v)
                if old is None or nd < old:
                    dist[v] = nd
                    parent[v] = eid
                    heappush(heap, (nd, v))
        self.settled_nodes += len(settled)
        if reached is None:
            self.last_reachable = [v for v, _ in settled]
            return 0
        for v, d in settled:
            h[v] += d - reached
        # walk the path back, find the bottleneck
        path = []
        v = t
        push = amount
        convex = False
        while v != s:
            eid = parent[v]
            path.append(eid)
            fe = eid & ~1
            if slope[fe]:
                convex = True
            push = min(push, flow[fe] if eid & 1 else cap[fe] - flow[fe])
            v = to[eid ^ 1]
        if convex:
            push = min(push, 1)  # the price changes after one unit
        for eid in path:
            if eid & 1:
                self._set_flow(eid - 1, flow[eid - 1] - push)
            else:
                self._set_flow(eid, flow[eid] + push)
        self.augmentations += 1
        return push

    def insert_edge(self, u: int, v: int, cap: int, cost: int = 0) -> int:
        """Add a linear edge to a graph that already carries flow and keep the
        flow optimal (column generation).

        If the new edge has a negative reduced cost, each of its units is
        pushed and the unit excess it creates at ``v`` is sent back to ``u``
        along a shortest residual path (cancelling the cheapest negative
        cycle through the edge).  When no such path exists the edge is in no
        cycle at all: the potentials of everything reachable from ``v`` are
        lowered instead, which makes its reduced cost zero and breaks no
        other edge (nothing leaves that reachable set).
        """
        eid = self.add_edge(u, v, cap, cost)
        while self._flow[eid] < cap:
            rc = self.reduced_cost(eid)
            if rc >= 0:
                break
            self._set_flow(eid, self._flow[eid] + 1)
            if self.augment(v, u, 1):
                continue
            self._set_flow(eid, self._flow[eid] - 1)
            for node in self.last_reachable:
                self.h[node] += rc  # rc < 0: lowers them by |rc|
        return eid

    def check_potentials(self) -> int:
        """Number of residual edges with a negative reduced cost (should be 0;
        for tests)."""
        return sum(1 for eid in range(len(self._to))
                   if (rc := self.reduced_cost(eid)) is not None and rc < 0)
