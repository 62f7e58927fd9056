"""The feasibility report: impossible instances say what to relax, in numbers
(the smallest cap to raise every juror to, and how many jurors reading which
language to add), checked by hand and against the independent max flow."""
from __future__ import annotations

import dataclasses
import os

from hypothesis import HealthCheck, given, settings

from judging.assignment.assign import PARTIAL, EntrySpec, JurorSpec, assign
from tests.judging_algorithms import oracles
from tests.judging_algorithms.strategies import instances

SETTINGS = settings(max_examples=int(os.environ.get("JUDGING_EXAMPLES", 60)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def remedies(res) -> dict:
    out = {"cap": None, "add": {}}
    for r in res.remedies:
        if r.code == "raise_cap":
            out["cap"] = (r.params["cap"], r.params["jurors"])
        else:
            assert r.code == "add_jurors"
            out["add"][r.params["language"]] = (r.params["count"], r.params["cap"], r.params["categories"])
    return out


def pt(n, category="poem"):
    return [EntrySpec(f"pt{i}", category, frozenset({"pt"})) for i in range(n)]


def test_feasible_instances_have_no_remedies():
    res = assign([EntrySpec(i, "poem") for i in range(6)], [JurorSpec(f"j{i}", cap=6) for i in range(3)], k=3)
    assert res.complete and res.remedies == []


def test_caps_too_low_raise_to_n_or_add_jurors():
    # 15 units, 3 jurors with cap 4 (12): a cap of 5 does it, or one more juror taking 4
    res = assign([EntrySpec(i, "poem") for i in range(5)], [JurorSpec(f"j{i}", cap=4) for i in range(3)], k=3)
    assert not res.complete and res.new_pairs == []
    assert remedies(res) == {"cap": (5, 3), "add": {None: (1, 4, ["poem"])}}


def test_too_few_readers_of_a_language_cannot_be_fixed_by_caps():
    jurors = [JurorSpec("p1", frozenset({"pt"})), JurorSpec("p2", frozenset({"pt", "en"}))]
    jurors += [JurorSpec(f"e{i}", frozenset({"en"})) for i in range(5)]
    res = assign(pt(10), jurors, k=3)
    assert {p.code for p in res.problems} == {"too_few_eligible_jurors"}
    assert remedies(res) == {"cap": None, "add": {"pt": (1, None, ["poem"])}}


def test_readers_of_a_language_with_caps_too_low():
    # 20 units in Portuguese, two readers with cap 6: raise to 10, or add two
    # readers taking 4 each (8 units, one per entry and juror)
    jurors = [JurorSpec("p1", frozenset({"pt"}), cap=6), JurorSpec("p2", frozenset({"pt"}), cap=6),
              JurorSpec("e1", frozenset({"en"}), cap=6)]
    res = assign(pt(10), jurors, k=2, new_juror_cap=4)
    assert remedies(res) == {"cap": (10, 3), "add": {"pt": (2, 4, ["poem"])}}
    assert sum(r.params["needed"] - r.params["assignable"] for r in res.problems) >= 8


def test_two_languages_short_each_get_their_readers():
    jurors = [JurorSpec("p1", frozenset({"pt"})), JurorSpec("e1", frozenset({"en"})),
              JurorSpec("e2", frozenset({"en"}))]
    entries = pt(3) + [EntrySpec(f"de{i}", "essay", frozenset({"de"})) for i in range(2)]
    entries.append(EntrySpec("en0", "essay", frozenset({"en"})))
    res = assign(entries, jurors, k=2)
    assert res.unassigned == ["de0", "de1", "pt0", "pt1", "pt2"]
    assert remedies(res) == {"cap": None, "add": {"de": (2, None, ["essay"]), "pt": (1, None, ["poem"])}}


def test_kept_pairs_count_against_the_cap_to_raise():
    # j0 already has 3 kept entries: with cap 4 it has room for 1; 6 entries x 2 = 12 units
    entries = [EntrySpec(i, "poem") for i in range(6)] + [EntrySpec(f"old{i}", "poem") for i in range(3)]
    keep = [(f"old{i}", j) for i in range(3) for j in ("j0", "j1")]
    jurors = [JurorSpec("j0", cap=4), JurorSpec("j1", cap=4), JurorSpec("j2", cap=4)]
    res = assign(entries, jurors, k=2, keep=keep)
    assert not res.complete
    # 12 new units + 6 kept over 3 jurors: 6 each
    assert remedies(res)["cap"] == (6, 3)


def test_conflicts_are_no_cap_problem():
    jurors = [JurorSpec(f"j{i}") for i in range(4)]
    entries = [EntrySpec("e", "poem", conflicts=frozenset({"j0", "j1"}))]
    res = assign(entries, jurors, k=3)
    assert remedies(res) == {"cap": None, "add": {None: (1, None, ["poem"])}}


def test_partial_mode_reports_the_same_remedies():
    jurors = [JurorSpec(f"j{i}", cap=4) for i in range(3)]
    entries = [EntrySpec(i, "poem") for i in range(5)]
    strict, partial = assign(entries, jurors, k=3), assign(entries, jurors, k=3, mode=PARTIAL)
    assert strict.remedies == partial.remedies
    assert len(partial.new_pairs) == 12


def test_impossible_capacity_is_reported_in_few_solves():
    # the case in small: every juror capped well below the demand
    entries = [EntrySpec(i, ["poem", "essay"][i % 2], frozenset({"en"})) for i in range(300)]
    jurors = [JurorSpec(f"j{i}", frozenset({"en"}), cap=40) for i in range(15)]
    res = assign(entries, jurors, k=3)
    assert len(res.unassigned) == 100  # 600 units fit, 900 are needed
    assert remedies(res)["cap"] == (60, 15)
    assert remedies(res)["add"] == {"en": (8, 40, ["essay", "poem"])}  # 300 units / 40 each
    assert res.stats["max_flow_solves"] <= 20


@SETTINGS
@given(instances(max_entries=12, max_jurors=7))
def test_remedies_are_exact_against_the_oracle(inst):
    entries, jurors, k, seed = inst
    res = assign(entries, jurors, k=k, seed=seed, new_juror_cap=3)
    placed, needed = oracles.max_assignable(entries, jurors, k)
    if res.complete:
        assert res.remedies == []
        return
    found = remedies(res)
    if found["cap"] is None:
        uncapped = [dataclasses.replace(j, cap=None) for j in jurors]
        assert oracles.max_assignable(entries, uncapped, k)[0] < needed
    else:
        n, count = found["cap"]
        raised = [dataclasses.replace(j, cap=None if j.cap is None else max(j.cap, n)) for j in jurors]
        assert oracles.max_assignable(entries, raised, k)[0] == needed
        assert count == sum(1 for j in jurors if j.cap is not None and j.cap < n)
        lower = [dataclasses.replace(j, cap=None if j.cap is None else max(j.cap, n - 1)) for j in jurors]
        assert oracles.max_assignable(entries, lower, k)[0] < needed
    added = list(jurors)
    for language, (m, cap, _categories) in found["add"].items():
        assert m >= 1 and cap == 3
        added += [JurorSpec(f"new-{language}-{i}", frozenset({language} if language else ()), cap=cap)
                  for i in range(m)]
    assert oracles.max_assignable(entries, added, k)[0] == needed
    for language in found["add"]:  # one juror fewer of any language is not enough
        fewer = [j for j in added if j.id != f"new-{language}-0"]
        assert oracles.max_assignable(entries, fewer, k)[0] < needed, language


def test_jurors_to_add_are_not_all_of_the_first_language():
    # two jurors read English and French; every entry lacks a third juror: one new reader of each
    # language is enough (a new English reader frees no room for the French entries' third juror)
    entries = [EntrySpec(f"en{i}", "poem", frozenset({"en"})) for i in range(20)]
    entries += [EntrySpec(f"fr{i}", "poem", frozenset({"fr"})) for i in range(6)]
    entries += [EntrySpec(f"ill{i}", "drawing") for i in range(8)]
    jurors = [JurorSpec(f"j{i}", frozenset({"en", "fr"}), cap=40) for i in range(2)]
    res = assign(entries, jurors, k=3)
    assert len(res.unassigned) == 34
    assert remedies(res)["add"] == {"en": (1, 40, ["drawing", "poem"]), "fr": (1, 40, ["drawing", "poem"])}
