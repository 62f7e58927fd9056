"""Property tests of judging.assignment.assign over random instances."""
from __future__ import annotations

import os
import random
from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from judging.assignment.assign import PARTIAL, STRICT, EntrySpec, JurorSpec, assign
from tests.judging_algorithms import oracles
from tests.judging_algorithms.strategies import instances

# JUDGING_EXAMPLES=1000 for a thorough run; the default keeps the suite fast
SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 60)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
KNOWN_PROBLEMS = {"too_few_eligible_jurors", "capacity_exhausted"}


def check_invariants(entries, jurors, k, res, keep=(), forbidden=(), mode=STRICT):
    by_entry = {e.id: e for e in entries}
    by_juror = {j.id: j for j in jurors}
    keep, forbidden = set(keep), set(forbidden)
    pairs = res.pairs
    assert len(pairs) == len(set(pairs)), "duplicate pair"
    assert keep <= set(pairs), "a kept pair was dropped"
    assert not (set(res.new_pairs) & keep)
    assert set(pairs) == keep | set(res.new_pairs)
    for e, j in res.new_pairs:
        assert oracles.can_take(by_entry[e], by_juror[j], keep, forbidden), (e, j)
    per_entry = Counter(e for e, _ in pairs)
    kept_per_entry = Counter(e for e, _ in keep)
    for e in by_entry:
        if e in res.unassigned or (mode == STRICT and not res.complete):
            assert per_entry[e] == kept_per_entry[e]  # nothing half-made
        else:
            assert per_entry[e] == max(k, kept_per_entry[e])
    # caps (kept pairs may already exceed one; new pairs never add to it)
    load = Counter(j for _, j in pairs)
    new_load = Counter(j for _, j in res.new_pairs)
    cat_load = Counter((j, by_entry[e].category) for e, j in pairs if e in by_entry)
    for j in jurors:
        if j.cap is not None and new_load[j.id]:
            assert load[j.id] <= j.cap
        for c, cc in (j.category_caps or {}).items():
            new_here = sum(1 for e, jj in res.new_pairs
                           if jj == j.id and by_entry[e].category == c)
            if new_here:
                assert cat_load[(j.id, c)] <= cc
        assert res.loads[j.id] == load[j.id]
    for c, loads in res.category_loads.items():
        for j, n in loads.items():
            assert n == cat_load[(j, c)]
    # completeness and reasons
    assert res.complete == (not res.unassigned)
    assert {p.params["entry_id"] for p in res.problems} == set(res.unassigned)
    assert all(p.code in KNOWN_PROBLEMS for p in res.problems)
    if mode == STRICT and not res.complete:
        assert res.new_pairs == []
    placed, needed = oracles.max_assignable(entries, jurors, k, keep, forbidden)
    assert res.complete == (placed == needed), (placed, needed)
    for p in res.problems:
        if p.code == "too_few_eligible_jurors":
            counts = [p.params[x] for x in (
                "already_assigned", "excluded_category", "excluded_conflict",
                "excluded_forbidden", "excluded_language", "excluded_cap", "eligible")]
            assert sum(counts) == len(jurors)
            assert p.params["eligible"] < p.params["needed"]


@SETTINGS
@given(instances())
def test_invariants_strict(inst):
    entries, jurors, k, seed = inst
    res = assign(entries, jurors, k=k, seed=seed)
    check_invariants(entries, jurors, k, res)


@SETTINGS
@given(instances())
def test_invariants_partial_mode_assigns_every_feasible_entry(inst):
    entries, jurors, k, seed = inst
    res = assign(entries, jurors, k=k, seed=seed, mode=PARTIAL)
    check_invariants(entries, jurors, k, res, mode=PARTIAL)
    # the assigned entries are complete; every unassigned entry has a reason
    # and adding any single one of them back is impossible
    done = [e for e in entries if e.id not in res.unassigned]
    placed, needed = oracles.max_assignable(done, jurors, k)
    assert placed == needed
    for e in entries:
        if e.id in res.unassigned:
            placed, needed = oracles.max_assignable(done + [e], jurors, k)
            assert placed < needed, f"entry {e.id} could have been assigned"


@SETTINGS
@given(instances(langs=False, conflicts=False, caps=False), st.integers(2, 4))
def test_exact_balance_without_constraints(inst, k):
    entries, jurors, _, seed = inst
    assume(len(jurors) >= k)
    res = assign(entries, jurors, k=k, seed=seed)
    assert res.complete
    for c in {e.category for e in entries}:
        loads = [res.category_loads[c].get(j.id, 0) for j in jurors]
        assert max(loads) - min(loads) <= 1, (c, loads)
    assert not [w for w in res.warnings if w.code == "category_imbalanced"]


def _able(entries, jurors, c):
    here = [e for e in entries if e.category == c]
    return {j.id for j in jurors if any(oracles.can_take(e, j) for e in here)}


@SETTINGS
@given(instances(categories=1, max_entries=14, max_jurors=8))
def test_balance_is_optimal_with_constraints(inst):
    """With languages, conflicts and caps: loads differ by at most one
    whenever some assignment achieves that; otherwise the spread is
    minimal (no assignment has a lower maximum or a higher minimum) and a
    warning says so."""
    entries, jurors, k, seed = inst
    jurors = [JurorSpec(j.id, j.languages, cap=j.cap) for j in jurors]
    res = assign(entries, jurors, k=k, seed=seed)
    assume(res.complete and entries)
    c = entries[0].category
    able = _able(entries, jurors, c)
    loads = {j: res.category_loads[c].get(j, 0) for j in able}
    lo, hi = min(loads.values()), max(loads.values())
    total = k * len(entries)
    base = total // len(able)
    balanced = oracles.loads_within(entries, jurors, k, able,
                                    {j: base for j in able}, {j: base + 1 for j in able})
    warned = [w for w in res.warnings if w.code == "category_imbalanced"]
    if balanced:
        assert hi - lo <= 1, loads
    assert bool(warned) == (hi - lo > 1)
    assert not oracles.loads_within(entries, jurors, k, able, {},
                                    {j: hi - 1 for j in able}), "max load not minimal"
    assert not oracles.loads_within(entries, jurors, k, able,
                                    {j: lo + 1 for j in able}, {}), "min load not maximal"


@SETTINGS
@given(instances())
def test_design_linked_or_reported(inst):
    entries, jurors, k, seed = inst
    res = assign(entries, jurors, k=k, seed=seed)
    assume(res.complete)
    unlinked = {w.params["category"] for w in res.warnings if w.code == "design_not_linked"}
    for c in {e.category for e in entries}:
        ids = {e.id for e in entries if e.category == c}
        n = oracles.components([p for p in res.pairs if p[0] in ids])
        assert (n <= 1) == (c not in unlinked), (c, n)


@st.composite
def linkable(draw):
    n_jurors = draw(st.integers(2, 9))
    k = draw(st.integers(2, min(4, n_jurors)))
    n_entries = draw(st.integers(-(-2 * n_jurors // k), 16))
    return n_entries, n_jurors, k, draw(st.integers(0, 2 ** 16))


@settings(SETTINGS, max_examples=max(SETTINGS.max_examples, 150))
@given(linkable())
def test_design_linked_when_loads_allow(params):
    """No constraints and every juror has at least two entries to do: a
    connected balanced design exists and must be found (about 6% of the
    min-cost solutions need the repair)."""
    n_entries, n_jurors, k, seed = params
    entries = [EntrySpec(i, "poem") for i in range(n_entries)]
    jurors = [JurorSpec(f"j{j}") for j in range(n_jurors)]
    res = assign(entries, jurors, k=k, seed=seed)
    assert res.complete
    assert oracles.components(res.pairs) == 1
    assert not res.warnings
    loads = sorted(res.loads.values())
    assert loads[-1] - loads[0] <= 1


@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_input_order(inst, rnd):
    entries, jurors, k, seed = inst
    a = assign(entries, jurors, k=k, seed=seed)
    entries2, jurors2 = list(entries), list(jurors)
    rnd.shuffle(entries2)
    rnd.shuffle(jurors2)
    b = assign(entries2, jurors2, k=k, seed=seed)
    assert a.pairs == b.pairs
    assert a.problems == b.problems
    assert a.warnings == b.warnings


@SETTINGS
@given(instances(max_entries=14), st.data())
def test_reassignment_after_dropout_keeps_pairs(inst, data):
    entries, jurors, k, seed = inst
    first = assign(entries, jurors, k=k, seed=seed)
    assume(first.complete and first.pairs)
    gone = data.draw(st.sampled_from(sorted({j for _, j in first.pairs})))
    theirs = [p for p in first.pairs if p[1] == gone]
    scored = set(data.draw(st.lists(st.sampled_from(theirs), unique=True)))
    keep = [p for p in first.pairs if p[1] != gone] + sorted(scored)
    rest = [j for j in jurors if j.id != gone]
    second = assign(entries, rest, k=k, seed=seed, keep=keep, mode=PARTIAL)
    check_invariants(entries, rest, k, second, keep=keep, mode=PARTIAL)
    assert set(keep) <= set(second.pairs)
    refill = Counter(e for e, _ in second.new_pairs)
    lost = Counter(e for e, j in theirs if (e, j) not in scored)
    for e in refill:
        assert refill[e] == lost[e]  # only the missing slots
    for e in lost:
        if e not in second.unassigned:
            assert refill[e] == lost[e]


@SETTINGS
@given(instances(max_entries=14), st.data())
def test_declared_conflict_replaces_only_that_pair(inst, data):
    entries, jurors, k, seed = inst
    first = assign(entries, jurors, k=k, seed=seed)
    assume(first.complete and first.pairs)
    e_id, j_id = data.draw(st.sampled_from(first.pairs))
    entries2 = [e if e.id != e_id else type(e)(e.id, e.category, e.languages,
                                              e.conflicts | {j_id}) for e in entries]
    keep = [p for p in first.pairs if p != (e_id, j_id)]
    second = assign(entries2, jurors, k=k, seed=seed, keep=keep, mode=PARTIAL)
    check_invariants(entries2, jurors, k, second, keep=keep, mode=PARTIAL)
    assert (e_id, j_id) not in second.pairs
    assert all(e == e_id for e, _ in second.new_pairs)
    assert len(second.new_pairs) in (0, 1)
    assert len(second.new_pairs) == (0 if e_id in second.unassigned else 1)


@SETTINGS
@given(instances(max_entries=14), st.data())
def test_forbidden_pairs_are_never_proposed(inst, data):
    entries, jurors, k, seed = inst
    first = assign(entries, jurors, k=k, seed=seed, mode=PARTIAL)
    assume(first.pairs)
    removed = set(data.draw(st.lists(st.sampled_from(first.pairs), unique=True,
                                     max_size=4)))
    keep = [p for p in first.pairs if p not in removed]
    second = assign(entries, jurors, k=k, seed=seed, keep=keep, forbidden=removed,
                    mode=PARTIAL)
    check_invariants(entries, jurors, k, second, keep=keep, forbidden=removed,
                     mode=PARTIAL)
    assert not (removed & set(second.pairs))


@SETTINGS
@given(instances(max_entries=20, max_jurors=10), st.integers(1, 3))
def test_sampled_candidates_reach_the_same_balance(inst, sample):
    """Column generation: starting from a tiny sample of candidates gives
    the same per-category load profile as the full graph."""
    entries, jurors, k, seed = inst
    full = assign(entries, jurors, k=k, seed=seed, max_candidates=None, repair=False)
    sparse = assign(entries, jurors, k=k, seed=seed, max_candidates=sample, repair=False)
    assert full.complete == sparse.complete
    assert full.unassigned == sparse.unassigned
    if not full.complete:
        return
    def convex(r):  # the primary objective: sum of l(l+1)/2 over juror x category
        return sum(n * (n + 1) // 2 for loads in r.category_loads.values()
                   for n in loads.values())

    assert convex(full) == convex(sparse)
    if all(j.cap is None for j in jurors):  # categories independent: same profile
        for c in {e.category for e in entries}:
            prof = lambda r: sorted(r.category_loads[c].values())  # noqa: E731
            assert prof(full) == prof(sparse), c


def test_bigger_random_instance_invariants():
    rnd = random.Random(7)
    langs = ["en", "fr", "de", "es"]
    jurors = [JurorSpec(f"j{i}", frozenset(rnd.sample(langs, rnd.randint(1, 3))),
                        cap=rnd.choice([None, 40])) for i in range(30)]
    entries = [EntrySpec(f"e{i}", rnd.choice(["a", "b", "c"]),
                         frozenset(rnd.sample(langs, rnd.randint(0, 1))),
                         frozenset(rnd.sample([j.id for j in jurors], 2)))
               for i in range(300)]
    res = assign(entries, jurors, k=3, seed=3)
    check_invariants(entries, jurors, 3, res)
    assert res.complete
    assert not [w for w in res.warnings if w.code == "design_not_linked"]
    for c, loads in res.category_loads.items():
        assert max(loads.values()) - min(loads.values()) <= 1, c
