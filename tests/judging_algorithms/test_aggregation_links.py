"""Weak-link diagnosis and the load-preserving linking preference."""
from __future__ import annotations

import math
import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.aggregation import simulation as sim
from judging.aggregation.links import diagnose_links
from judging.aggregation.methods import fit_additive_bias
from judging.assignment.preference import strengthen_links

SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 80)), deadline=None)


def _design(**kw):
    sc = sim.Scenario(**kw)
    pairs = sim.make_design(sc, 1)
    return sc, pairs, {j: f"city {j % sc.blocks}" for j in range(sc.jurors)}


def test_a_well_linked_design_is_one_block_with_nothing_to_fix():
    sc, pairs, cities = _design()
    r = diagnose_links([(j, e) for e, j in pairs], juror_labels=cities)
    assert r.components == 1 and r.connectivity > 0.3
    assert len(r.blocks) == 1 and not r.links and not r.weak and not r.reasons
    assert max(r.bias_se.values()) < 0.3


def test_city_blocks_joined_by_a_few_entries_are_found_and_named():
    sc, pairs, cities = _design(blocks=5, shared=10)
    r = diagnose_links([(j, e) for e, j in pairs], juror_labels=cities)
    assert r.components == 1 and r.connectivity < 0.05
    assert sorted(sorted(b.jurors) for b in r.blocks) == [list(range(c, 30, 5)) for c in range(5)]
    assert all(b.labels == (f"city {b.jurors[0] % 5}",) and b.label == b.labels[0] for b in r.blocks)
    assert all(b.entries >= 55 for b in r.blocks)
    tree = [lk for lk in r.links if lk.on_tree]
    assert len(tree) == 4 and all(lk.needed > 0 for lk in tree) and r.weak
    assert sum(lk.shared_entries for lk in r.links) == 10
    reason = r.reasons[0]
    assert reason.code == "design_weak_link" and reason.params["a"].startswith("city ")
    assert reason.params["needed"] == tree[0].needed
    # with 100 shared entries the same cities are one well-linked jury
    _, pairs, cities = _design(blocks=5, shared=100)
    assert len(diagnose_links([(j, e) for e, j in pairs], juror_labels=cities).blocks) == 1


def test_the_standard_errors_are_those_of_least_squares():
    """Two jurors sharing n entries: the bias difference is known to s_e * sqrt(2 / n), each bias
    (summing to 0) to half of that; checked against the spread of the least-squares fit."""
    n = 12
    r = diagnose_links([(j, i) for i in range(n) for j in "ab"], noise_sd=1.0)
    assert r.bias_se["a"] == pytest.approx(math.sqrt(1 / (2 * n)))
    rnd = np.random.default_rng(0)
    fits = [fit_additive_bias({(j, i): float(rnd.normal()) for i in range(n) for j in "ab"}).bias["a"]
            for _ in range(300)]
    assert float(np.std(fits)) == pytest.approx(r.bias_se["a"], rel=0.15)


def test_unconnected_blocks_get_infinite_errors_and_a_link_to_make():
    pairs = [(j, i) for i in range(10) for j in "abc"] + [(j, 100 + i) for i in range(10) for j in "def"] + \
            [("z", 999)]
    r = diagnose_links(pairs, noise_sd=2.0, target_se=0.5)
    assert r.components == 3 and r.connectivity == 0
    assert r.bias_se["z"] == math.inf and r.bias_se["a"] < 2
    assert len(r.blocks) == 3
    assert all(lk.offset_se == math.inf and lk.needed == math.ceil((2 / 0.5) ** 2 / (2 / 3)) for lk in r.links)
    assert [x.params["offset_se"] for x in r.reasons] == [None, None]


def test_diagnosis_accepts_a_scores_mapping_and_rejects_a_bad_target():
    scores = {("a", 1): 5.0, ("b", 1): 6.0}
    assert diagnose_links(scores).blocks[0].jurors == ("a", "b")
    assert diagnose_links({}).blocks == []
    with pytest.raises(ValueError):
        diagnose_links(scores, target_se=0)


# -- linking preference ---------------------------------------------------------------------------------
def test_swaps_link_the_blocks_and_keep_every_load():
    sc, pairs, cities = _design(blocks=5, shared=10)
    r = diagnose_links([(j, e) for e, j in pairs], juror_labels=cities)
    wanted = {(lk.a, lk.b): lk.needed for lk in r.links if lk.needed}
    kept = set(pairs[:30])
    movable = set(pairs) - kept
    new, swaps, short = strengthen_links(pairs, movable, lambda e, j: True, r.block_of(), wanted)
    assert swaps > 0 and not short
    assert Counter(j for _, j in new) == Counter(j for _, j in pairs)
    assert Counter(e for e, _ in new) == Counter(e for e, _ in pairs)
    assert kept <= set(new) and len(set(new)) == len(new)
    after = diagnose_links([(j, e) for e, j in new], juror_labels=cities)
    assert len(after.blocks) < len(r.blocks) or not after.weak
    assert after.connectivity > 3 * r.connectivity


def test_swaps_respect_eligibility_and_say_what_is_left():
    pairs = [(i, j) for i in range(6) for j in ("a1", "a2")] + [(10 + i, j) for i in range(6) for j in ("b1", "b2")]
    block_of = {"a1": 0, "a2": 0, "b1": 1, "b2": 1}
    new, swaps, short = strengthen_links(pairs, set(pairs), lambda e, j: not (e < 10 and j == "b1"),
                                         block_of, {(0, 1): 20})
    assert all(not (e < 10 and j == "b1") for e, j in new)
    assert swaps == 6 and short == {(0, 1): 8}  # every a-entry got b2 once; nothing else is allowed
    assert strengthen_links(pairs, set(), lambda e, j: True, block_of, {(0, 1): 2})[1:] == (0, {(0, 1): 2})


@SETTINGS
@given(st.integers(2, 4), st.integers(2, 3), st.integers(0, 2 ** 16), st.randoms(use_true_random=False))
def test_swaps_never_change_a_load(blocks, k, seed, rnd):
    sc = sim.Scenario(entries=12 * blocks, jurors=3 * blocks, k=k, blocks=blocks, shared=0)
    pairs = sim.make_design(sc, seed)
    movable = {p for p in pairs if rnd.random() < 0.7}
    block_of = {j: j % blocks for j in range(sc.jurors)}
    wanted = {(a, b): rnd.randint(0, 6) for a in range(blocks) for b in range(a + 1, blocks)}
    banned = {(e, j) for e, j in pairs if rnd.random() < 0.1}
    new, swaps, _ = strengthen_links(pairs, movable, lambda e, j: (e, j) not in banned, block_of, wanted)
    assert Counter(j for _, j in new) == Counter(j for _, j in pairs)
    assert Counter(e for e, _ in new) == Counter(e for e, _ in pairs)
    assert set(pairs) - movable <= set(new) and len(set(new)) == len(new)
    assert not (set(new) - set(pairs)) & banned
