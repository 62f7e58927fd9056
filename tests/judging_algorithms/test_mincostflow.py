"""Min-cost flow: conservation, capacities and optimality (no negative
cycle in the residual graph, checked by an independent Bellman-Ford)."""
from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from judging.mincostflow import MinCostFlow

SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 80)), deadline=None)


def residual_edges(m: MinCostFlow):
    out = []
    for eid in range(len(m._to)):
        c = m.residual_cost(eid)
        if c is not None:
            out.append((m._to[eid ^ 1], m._to[eid], c))
    return out


def has_negative_cycle(n, edges) -> bool:
    dist = [0] * n
    for _ in range(n):
        changed = False
        for u, v, c in edges:
            if dist[u] + c < dist[v]:
                dist[v] = dist[u] + c
                changed = True
        if not changed:
            return False
    return True


@st.composite
def graphs(draw):
    n = draw(st.integers(3, 9))
    m = MinCostFlow(n)
    edges = []
    for _ in range(draw(st.integers(1, 22))):
        u = draw(st.integers(0, n - 1))
        v = draw(st.integers(0, n - 1))
        if u == v:
            continue
        cap = draw(st.integers(0, 4))
        cost = draw(st.integers(0, 9))
        slope = draw(st.sampled_from([0, 0, 1, 3]))
        base = draw(st.integers(0, 2))
        edges.append((u, v, cap, cost, slope, base, m.add_edge(u, v, cap, cost, slope, base)))
    pushes = draw(st.lists(st.integers(1, n - 1), max_size=12))
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.integers(1, 3), st.integers(0, 9)), max_size=4))
    return n, m, edges, pushes, extra


def check(n, m, sent_from):
    # capacities and conservation (sink = 0, sources as recorded)
    balance = [0] * n
    for fe in range(0, len(m._to), 2):
        f = m.flow(fe)
        assert 0 <= f <= m._cap[fe]
        balance[m._to[fe + 1]] -= f
        balance[m._to[fe]] += f
    for v in range(1, n):
        assert balance[v] == -sent_from.get(v, 0)
    assert balance[0] == sum(sent_from.values())
    assert m.check_potentials() == 0
    assert not has_negative_cycle(n, residual_edges(m))


@SETTINGS
@given(graphs())
def test_successive_shortest_paths_stay_optimal(g):
    n, m, _, pushes, extra = g
    sent: dict = {}
    for s in pushes:
        got = m.augment(s, 0, 1)
        sent[s] = sent.get(s, 0) + got
        check(n, m, sent)
    for u, v, cap, cost in extra:
        if u != v:
            m.insert_edge(u, v, cap, cost)
            check(n, m, sent)
    for s in pushes:  # and more flow after the insertions
        sent[s] = sent.get(s, 0) + m.augment(s, 0, 1)
    check(n, m, sent)


def test_convex_edge_spreads_load():
    # two parallel routes with the same convex price: 6 units split 3/3
    m = MinCostFlow(4)
    m.add_edge(1, 2, 10)
    m.add_edge(1, 3, 10)
    a = m.add_edge(2, 0, None, slope=5)
    b = m.add_edge(3, 0, None, slope=5)
    for _ in range(6):
        assert m.augment(1, 0) == 1
    assert (m.flow(a), m.flow(b)) == (3, 3)
    assert m.total_cost() == 2 * 5 * (1 + 2 + 3)


def test_unreachable_sink_returns_zero_and_keeps_state():
    m = MinCostFlow(3)
    m.add_edge(1, 2, 1, cost=4)
    assert m.augment(1, 0) == 0
    assert m.total_cost() == 0


def test_negative_costs_are_rejected():
    m = MinCostFlow(2)
    try:
        m.add_edge(0, 1, 1, cost=-1)
    except ValueError:
        return
    raise AssertionError("negative cost accepted")
