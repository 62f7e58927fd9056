"""Independent checkers for the assignment tests (deliberately naive: plain
max-flow, no costs, no code shared with the implementation)."""
from __future__ import annotations

from collections import deque


class MaxFlow:
    def __init__(self):
        self.graph: dict = {}

    def add(self, u, v, cap):
        self.graph.setdefault(u, {}).setdefault(v, 0)
        self.graph.setdefault(v, {}).setdefault(u, 0)
        self.graph[u][v] += cap

    def run(self, s, t) -> int:
        total = 0
        g = self.graph
        if s not in g or t not in g:
            return 0
        while True:
            parent = {s: None}
            q = deque([s])
            while q and t not in parent:
                u = q.popleft()
                for v, c in g[u].items():
                    if c > 0 and v not in parent:
                        parent[v] = u
                        q.append(v)
            if t not in parent:
                return total
            push, v = float("inf"), t
            while parent[v] is not None:
                push = min(push, g[parent[v]][v])
                v = parent[v]
            v = t
            while parent[v] is not None:
                g[parent[v]][v] -= push
                g[v][parent[v]] += push
                v = parent[v]
            total += push


def can_take(entry, juror, kept=frozenset(), forbidden=frozenset()) -> bool:
    """Static rule: category, caps not zero, conflict, forbidden, language."""
    if juror.categories is not None and entry.category not in juror.categories:
        return False
    if juror.cap == 0:
        return False
    if juror.category_caps and juror.category_caps.get(entry.category, 1) <= 0:
        return False
    if juror.id in entry.conflicts or (entry.id, juror.id) in forbidden:
        return False
    if (entry.id, juror.id) in kept:
        return False
    return not entry.languages or bool(set(entry.languages) & set(juror.languages))


BIG = 10 ** 9


def _caps_network(mf, entries, jurors, demand, kept, forbidden, kept_load, kept_cat):
    for e in entries:
        if demand.get(e.id, 0) <= 0:
            continue
        mf.add("S", ("e", e.id), demand[e.id])
        for j in jurors:
            if can_take(e, j, kept, forbidden):
                mf.add(("e", e.id), ("jc", j.id, e.category), 1)
    for j in jurors:
        cats = {e.category for e in entries}
        for c in cats:
            cc = (j.category_caps or {}).get(c)
            room = BIG if cc is None else max(0, cc - kept_cat.get((j.id, c), 0))
            mf.add(("jc", j.id, c), ("j", j.id), room)
        room = BIG if j.cap is None else max(0, j.cap - kept_load.get(j.id, 0))
        mf.add(("j", j.id), "T", room)


def max_assignable(entries, jurors, k, keep=(), forbidden=()) -> tuple[int, int]:
    """(max units that can be placed, units needed) over all entries."""
    kept = set(keep)
    forbidden = set(forbidden)
    by_id = {e.id: e for e in entries}
    juror_ids = {j.id for j in jurors}
    kept_load, kept_cat, per_entry = {}, {}, {}
    for e, j in kept:
        per_entry[e] = per_entry.get(e, 0) + 1
        if j in juror_ids:
            kept_load[j] = kept_load.get(j, 0) + 1
            if e in by_id:
                key = (j, by_id[e].category)
                kept_cat[key] = kept_cat.get(key, 0) + 1
    demand = {e.id: max(0, k - per_entry.get(e.id, 0)) for e in entries}
    mf = MaxFlow()
    _caps_network(mf, entries, jurors, demand, kept, forbidden, kept_load, kept_cat)
    return mf.run("S", "T"), sum(demand.values())


def loads_within(entries, jurors, k, able, lower, upper) -> bool:
    """One category, no kept pairs: can every entry get k jurors with each
    juror in ``able`` taking between lower[j] and upper[j] entries?"""
    mf = MaxFlow()
    excess: dict = {}

    def edge(u, v, lo, hi):
        if hi < lo:
            raise _Infeasible
        mf.add(u, v, hi - lo)
        excess[v] = excess.get(v, 0) + lo
        excess[u] = excess.get(u, 0) - lo

    try:
        for e in entries:
            edge("S", ("e", e.id), k, k)
            for j in jurors:
                if can_take(e, j):
                    edge(("e", e.id), ("j", j.id), 0, 1)
        for j in jurors:
            hi = BIG if j.cap is None else j.cap
            cc = (j.category_caps or {}).get(entries[0].category) if entries else None
            if cc is not None:
                hi = min(hi, cc)
            lo = 0
            if j.id in able:
                lo = lower.get(j.id, 0)
                hi = min(hi, upper.get(j.id, BIG))
            edge(("j", j.id), "T", lo, hi)
    except _Infeasible:
        return False
    edge("T", "S", 0, BIG)
    need = 0
    for v, x in excess.items():
        if x > 0:
            mf.add("SS", v, x)
            need += x
        elif x < 0:
            mf.add(v, "TT", -x)
    return mf.run("SS", "TT") == need


class _Infeasible(Exception):
    pass


def components(pairs) -> int:
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e, j in pairs:
        parent[find(("e", e))] = find(("j", j))
    return len({find(x) for x in list(parent)})
