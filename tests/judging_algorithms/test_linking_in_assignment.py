"""The assignment prefers linked designs (judging.assignment.preference, wired into judging.assignment.assign.assign)
without touching its balance or its conflicts."""
from __future__ import annotations

from collections import Counter

from hypothesis import given

from judging.aggregation.links import diagnose_links
from judging.assignment.assign import EntrySpec, JurorSpec, assign
from judging.assignment.preference import strengthen_category
from tests.judging_algorithms import oracles
from tests.judging_algorithms.strategies import instances
from tests.judging_algorithms.test_assignment_properties import SETTINGS, check_invariants


@SETTINGS
@given(instances(max_entries=24, max_jurors=10))
def test_link_preference_keeps_balance_and_conflicts(inst):
    entries, jurors, k, seed = inst
    plain = assign(entries, jurors, k=k, seed=seed, prefer_links=False)
    linked = assign(entries, jurors, k=k, seed=seed)
    check_invariants(entries, jurors, k, linked)
    # the same balance: every juror's load, overall and per category, and every entry's number of jurors
    assert linked.loads == plain.loads
    assert linked.category_loads == plain.category_loads
    assert Counter(e for e, _ in linked.pairs) == Counter(e for e, _ in plain.pairs)
    assert (linked.complete, linked.unassigned) == (plain.complete, plain.unassigned)
    # no pair goes against a conflict, a language or a category
    by_entry, by_juror = {e.id: e for e in entries}, {j.id: j for j in jurors}
    for e, j in linked.new_pairs:
        assert oracles.can_take(by_entry[e], by_juror[j], set(), set())


def _blocks(shared: int):
    """Two city blocks of 4 jurors, 24 entries each scored by 3 jurors of one block, ``shared`` entries across."""
    pairs = []
    for block in (0, 1):
        jurors = [f"{block}-{n}" for n in range(4)]
        for i in range(24):
            pairs += [(f"e{block}-{i}", jurors[(i + t) % 4]) for t in range(3)]
    for i in range(shared):  # one juror of block 1 swapped onto a block-0 entry
        e = f"e0-{i}"
        pairs = [(pe, pj) for pe, pj in pairs if not (pe == e and pj == f"0-{i % 4}")] + [(e, f"1-{i % 4}")]
    return pairs


def test_strengthen_category_joins_weak_blocks_keeping_loads():
    pairs = _blocks(1)
    before = diagnose_links([(j, e) for e, j in pairs])
    assert before.weak
    out, swaps, _short = strengthen_category(pairs, set(pairs), lambda e, j: True)
    assert swaps > 0
    assert Counter(j for _, j in out) == Counter(j for _, j in pairs)
    assert Counter(e for e, _ in out) == Counter(e for e, _ in pairs)
    after = diagnose_links([(j, e) for e, j in out])
    need = lambda r: sum(lk.needed for lk in r.links)  # noqa: E731
    assert need(after) < need(before)


def test_strengthen_category_never_moves_a_kept_pair_or_an_ineligible_one():
    pairs = _blocks(1)
    kept = {p for p in pairs if p[0].endswith(("-0", "-1", "-2"))}
    forbidden = {("e0-5", "1-0"), ("e0-5", "1-1")}
    out, _swaps, _short = strengthen_category(pairs, set(pairs) - kept, lambda e, j: (e, j) not in forbidden)
    assert kept <= set(out)
    assert not (forbidden & (set(out) - set(pairs)))


def test_well_linked_design_is_left_alone():
    entries = [EntrySpec(i, "poem") for i in range(30)]
    jurors = [JurorSpec(f"j{n}") for n in range(6)]
    res = assign(entries, jurors, k=3, seed=1)
    assert res.pairs == assign(entries, jurors, k=3, seed=1, prefer_links=False).pairs
