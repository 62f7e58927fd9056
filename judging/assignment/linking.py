"""Connectivity ("linked design") checks and repairs for jury assignments.

Within a category the bipartite graph entries--jurors must be connected,
otherwise juror severities of different components cannot be compared.
:func:`repair_links` joins components with moves that leave every
constraint and the per-category load multiset unchanged:

* swap: ``(e1, j1)`` in component A and ``(e2, j2)`` in B become
  ``(e1, j2)`` and ``(e2, j1)``: every juror keeps its loads;
* move: ``(e1, j1)`` becomes ``(e1, j2)`` when ``load(j2) == load(j1) - 1``
  in the category: the two loads trade places, so balance is unchanged.

A swap merges A and B when at least one of the two edges is not a bridge;
a move when ``(e1, j1)`` is not a bridge.  Only newly made pairs move,
never kept ones.

:func:`rebalance_overall` uses the same moves to even out jurors' loads
over all categories (a second-order goal after per-category balance).
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable

Pair = tuple[Hashable, Hashable]


def _nodes(pairs: Iterable[Pair]) -> tuple[dict, list[list[tuple[int, int]]], list[Pair]]:
    """Index the bipartite graph: node ids, adjacency (neighbour, edge index)."""
    index: dict = {}
    adj: list[list[tuple[int, int]]] = []
    edges: list[Pair] = []
    for e, j in pairs:
        ids = []
        for key in (("e", e), ("j", j)):
            n = index.get(key)
            if n is None:
                n = index[key] = len(adj)
                adj.append([])
            ids.append(n)
        adj[ids[0]].append((ids[1], len(edges)))
        adj[ids[1]].append((ids[0], len(edges)))
        edges.append((e, j))
    return index, adj, edges


def components(pairs: Iterable[Pair]) -> list[tuple[set, set]]:
    """Connected components as (entry ids, juror ids), largest first."""
    index, adj, _ = _nodes(pairs)
    keys = list(index)
    seen = [False] * len(adj)
    comps = []
    for start in range(len(adj)):
        if seen[start]:
            continue
        seen[start] = True
        stack = [start]
        es, js = set(), set()
        while stack:
            u = stack.pop()
            kind, ident = keys[u]
            (es if kind == "e" else js).add(ident)
            for v, _ in adj[u]:
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
        comps.append((es, js))
    comps.sort(key=lambda c: -(len(c[0]) + len(c[1])))
    return comps


def bridges(pairs: Iterable[Pair]) -> set[Pair]:
    """Edges whose removal disconnects their component (iterative Tarjan)."""
    _, adj, edges = _nodes(pairs)
    n = len(adj)
    disc = [-1] * n
    low = [0] * n
    out: set[Pair] = set()
    timer = 0
    for root in range(n):
        if disc[root] != -1:
            continue
        disc[root] = low[root] = timer
        timer += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            u, via, it = stack[-1]
            advanced = False
            for v, ei in it:
                if ei == via:
                    continue
                if disc[v] == -1:
                    disc[v] = low[v] = timer
                    timer += 1
                    stack.append((v, ei, iter(adj[v])))
                    advanced = True
                    break
                low[u] = min(low[u], disc[v])
            if advanced:
                continue
            stack.pop()
            if stack:
                p = stack[-1][0]
                low[p] = min(low[p], low[u])
                if low[u] > disc[p]:
                    out.add(edges[via])
    return out


def repair_links(
    pairs: list[Pair],
    movable: set[Pair],
    eligible: Callable[[Hashable, Hashable], bool],
    cat_load: dict,
    overall_load: dict,
    caps: Callable[[Hashable], tuple[int | None, int | None]],
    sort_key: Callable,
) -> tuple[list[Pair], int, int]:
    """Join the components of one category's design.

    ``pairs`` are all (entry, juror) pairs of the category, ``movable`` the
    subset that may be changed, ``eligible(e, j)`` the static constraints
    (language, conflict, forbidden, category), ``cat_load`` the juror loads
    in the category and ``overall_load`` over all categories (both updated
    in place), ``caps(j)`` the (category cap, overall cap) of a juror, None
    meaning unlimited.  Returns (pairs, components left, operations done).
    """
    pairs = sorted(set(pairs), key=lambda p: (sort_key(p[0]), sort_key(p[1])))
    movable = set(movable)
    ops = 0
    while True:
        comps = components(pairs)
        if len(comps) <= 1:
            return pairs, len(comps), ops
        br = bridges(pairs)
        where = {}
        for ci, (es, _) in enumerate(comps):
            for e in es:
                where[e] = ci
        by_comp: list[list[Pair]] = [[] for _ in comps]
        for p in pairs:
            if p in movable:
                by_comp[where[p[0]]].append(p)
        def can_take_one_more(j):
            cat_cap, cap = caps(j)
            return ((cat_cap is None or cat_load.get(j, 0) < cat_cap)
                    and (cap is None or overall_load.get(j, 0) < cap))

        change = _find_change(comps, by_comp, br, eligible, cat_load,
                              can_take_one_more, pairs, sort_key)
        if change is None:
            return pairs, len(comps), ops
        removed, added = change
        pair_set = set(pairs)
        for p in removed:
            pair_set.discard(p)
            movable.discard(p)
            cat_load[p[1]] -= 1
            overall_load[p[1]] -= 1
        for p in added:
            pair_set.add(p)
            movable.add(p)
            cat_load[p[1]] = cat_load.get(p[1], 0) + 1
            overall_load[p[1]] = overall_load.get(p[1], 0) + 1
        pairs = sorted(pair_set, key=lambda p: (sort_key(p[0]), sort_key(p[1])))
        ops += 1


def _find_change(comps, by_comp, br, eligible, cat_load, can_take_one_more,
                 pairs, sort_key):
    jurors_of: dict = {}
    for e, j in pairs:
        jurors_of.setdefault(e, set()).add(j)
    n = len(comps)
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            # swaps (each unordered pair of components once)
            if a < b:
                for e1, j1 in by_comp[a]:
                    bridge1 = (e1, j1) in br
                    for e2, j2 in by_comp[b]:
                        if bridge1 and (e2, j2) in br:
                            continue
                        if (j2 in jurors_of[e1] or j1 in jurors_of[e2]
                                or not eligible(e1, j2) or not eligible(e2, j1)):
                            continue
                        return [(e1, j1), (e2, j2)], [(e1, j2), (e2, j1)]
            # moves of a non-bridge pair of A to a juror of B
            for e1, j1 in by_comp[a]:
                if (e1, j1) in br:
                    continue
                for j2 in sorted(comps[b][1], key=sort_key):
                    if (cat_load.get(j2, 0) == cat_load.get(j1, 0) - 1
                            and j2 not in jurors_of[e1]
                            and eligible(e1, j2) and can_take_one_more(j2)):
                        return [(e1, j1)], [(e1, j2)]
    return None


def rebalance_overall(by_cat: dict, movable: set, eligible, cat_loads: dict,
                      loads: dict, caps, cat_jurors: dict, sort_key) -> int:
    """Even out overall loads with moves ``(e, j1) -> (e, j2)`` where, in
    the entry's category, ``load(j2) == load(j1) - 1`` (the category's load
    multiset is unchanged) and overall ``load(j1) - load(j2) >= 2``.  Each
    move lowers the sum of squared overall loads, so this terminates.
    ``by_cat``, ``movable``, ``cat_loads`` and ``loads`` are updated in
    place; returns the number of moves."""
    moves = 0
    for c in sorted(by_cat):
        jurors = [j for j in cat_jurors.get(c, ()) if j in loads]
        if len(jurors) < 2:
            continue
        cl = cat_loads[c]
        of: dict = {}
        for e, j in by_cat[c]:
            if (e, j) in movable:
                of.setdefault(j, []).append(e)
        on: dict = {}
        for e, j in by_cat[c]:
            on.setdefault(e, set()).add(j)
        changed = True
        while changed:
            changed = False
            high = sorted(jurors, key=lambda j: (-loads[j], sort_key(j)))
            low = sorted(jurors, key=lambda j: (loads[j], sort_key(j)))
            for j1 in high:
                if not of.get(j1):
                    continue
                for j2 in low:
                    if loads[j1] - loads[j2] < 2:
                        break
                    if cl.get(j2, 0) != cl.get(j1, 0) - 1:
                        continue
                    cat_cap, cap = caps(j2, c)
                    if ((cat_cap is not None and cl.get(j2, 0) >= cat_cap)
                            or (cap is not None and loads[j2] >= cap)):
                        continue
                    for e in sorted(of[j1], key=sort_key):
                        if j2 in on[e] or not eligible(e, j2):
                            continue
                        of[j1].remove(e)
                        of.setdefault(j2, []).append(e)
                        on[e].discard(j1)
                        on[e].add(j2)
                        movable.discard((e, j1))
                        movable.add((e, j2))
                        cl[j1] -= 1
                        cl[j2] = cl.get(j2, 0) + 1
                        loads[j1] -= 1
                        loads[j2] += 1
                        moves += 1
                        changed = True
                        break
                    if changed:
                        break
                if changed:
                    break
        by_cat[c] = [(e, j) for e in sorted(on, key=sort_key)
                     for j in sorted(on[e], key=sort_key)]
    return moves
