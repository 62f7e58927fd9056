"""judging.results.ranking_evidence on plain data: N, thin evidence, weak links named by city, boundary ties, bad input."""
from __future__ import annotations

import random

import pytest

from judging.aggregation import methods as agg
from judging.results.ranking_evidence import category_evidence, top_n_for

CRIT = [agg.Criterion("q", 1.0, 0.0, 10.0)]


def group_of(scores):
    sets = [agg.ScoreSet(j, e, {"q": v}) for (j, e), v in scores.items()]
    group = agg.aggregate_group(CRIT, sets)
    return group, agg.rank(group, "bias_adjusted")


def blocks(shared=1, seed=0):
    rng = random.Random(seed)
    scores = {}
    for b, severity in ((0, -1.5), (1, 1.5)):
        for i in range(12):
            for t in range(3):
                juror = f"{b}-{(i + t) % 4}"
                if b == 0 and i < shared and t == 2:
                    juror = f"1-{i % 4}"
                scores[(juror, f"e{b}-{i}")] = round(min(10, max(0, 5 + i * 0.3 + severity + rng.gauss(0, 1))))
    return scores


@pytest.mark.parametrize("entries, shortlist, expected", [(30, 0, 10), (30, 7, 10), (8, 0, 3), (3, 0, 1), (2, 5, 1),
                                                          (1, 0, 1), (40, 20, 23)])
def test_top_n_is_prizes_plus_shortlist_and_leaves_someone_out(entries, shortlist, expected):
    assert top_n_for(entries, shortlist) == expected


@pytest.mark.parametrize("k, top_n", [(0, 3), (-1, 3), (3, 0), (3, -2)])
def test_bad_parameters_are_refused(k, top_n):
    group, ranking = group_of(blocks())
    with pytest.raises(ValueError):
        category_evidence(group, ranking, k=k, top_n=top_n)


def test_weak_link_between_city_blocks_names_the_cities_and_the_fix():
    group, ranking = group_of(blocks(shared=1))
    labels = {f"{b}-{n}": city for b, city in ((0, "Lisbon"), (1, "Dublin")) for n in range(4)}
    ev = category_evidence(group, ranking, k=3, top_n=10, juror_labels=labels)
    across = [lk for lk in ev.weak_links if {lk.a, lk.b} == {("Lisbon",), ("Dublin",)}]
    assert len(across) == 1 and across[0].needed >= 1 and across[0].shared == 1
    assert max(ev.weak_links, key=lambda lk: lk.needed) == across[0]  # the weakest link is between the cities


def test_every_entry_has_a_probability_and_an_interval_that_contains_its_rank_mostly():
    group, ranking = group_of(blocks(shared=6))
    ev = category_evidence(group, ranking, k=3, top_n=10)
    assert set(ev.entries) == set(group.entries)
    for r in ranking.entries:
        e = ev.entries[r.entry_id]
        assert 0.0 <= e.p_top <= 1.0 and 1 <= e.rank_low <= e.rank_high <= len(group.entries)
    assert ev.unsettled  # 24 entries close together: the 10th place is open


def test_thin_evidence_is_flagged_below_k():
    scores = {("a", "x"): 7, ("b", "x"): 6, ("c", "x"): 8, ("a", "y"): 5}
    group, ranking = group_of(scores)
    ev = category_evidence(group, ranking, k=3, top_n=1)
    assert ev.thin == ["y"] and ev.entries["y"].n == 1


def test_a_tie_across_a_prize_place_is_reported_with_its_entries():
    scores = {("a", "x"): 8, ("a", "y"): 8, ("a", "z"): 5, ("a", "w"): 3}
    group, ranking = group_of(scores)
    ev = category_evidence(group, ranking, k=1, top_n=3)
    assert [(t.boundary, set(t.entries)) for t in ev.boundary_ties] == [(1, {"x", "y"})]
    assert ev.tie_of("x").boundary == 1 and ev.tie_of("z") is None


def test_same_input_same_evidence():
    group, ranking = group_of(blocks(shared=2))
    assert category_evidence(group, ranking, k=3, top_n=10) == category_evidence(group, ranking, k=3, top_n=10)
