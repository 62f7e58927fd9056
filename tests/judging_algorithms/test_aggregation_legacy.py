"""The numpy/scipy least squares and z-scores give the hand-written code's results to 1e-9.

``data/legacy_aggregation.json`` holds fixed inputs (random, disconnected, sparse and degenerate designs) and the
outputs of the pure-Python implementation, recorded before it was deleted (it lives on as the baseline of
``bench/bench_aggregation.py``: ``bench/legacy_aggregation.py`` re-records the file).
"""
from __future__ import annotations

import json
import os

import pytest

from judging.aggregation.methods import fit_additive_bias, zscore_normalise

CASES = json.load(open(os.path.join(os.path.dirname(__file__), "data", "legacy_aggregation.json")))
TOL = 1e-9


def _partition(pairs):
    groups: dict = {}
    for key, c in pairs:
        groups.setdefault(c, set()).add(key)
    return sorted(sorted(map(str, g)) for g in groups.values())


@pytest.mark.parametrize("dense_limit", [1500, 0], ids=["dense", "cg"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bias_fit_matches_the_recorded_outputs(case, dense_limit):
    scores = {(j, i): x for j, i, x in case["scores"]}
    fit = fit_additive_bias(scores, constraint=case["constraint"], dense_limit=dense_limit)
    assert fit.converged
    assert set(fit.mu) == {i for i, _ in case["mu"]} and set(fit.bias) == {j for j, _ in case["bias"]}
    assert max(abs(fit.mu[i] - v) for i, v in case["mu"]) <= TOL
    assert max(abs(fit.bias[j] - v) for j, v in case["bias"]) <= TOL
    assert (fit.components, fit.connected) == (case["components"], case["connected"])
    assert fit.residual_sd == pytest.approx(case["residual_sd"], abs=TOL)
    assert _partition(fit.component_of.items()) == _partition(case["component_of"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_zscores_match_the_recorded_outputs(case):
    scores = {(j, i): x for j, i, x in case["scores"]}
    norm, modes = zscore_normalise(scores, case["min_scores"])
    assert modes == {j: m for j, m in case["modes"]}
    assert len(norm) == len(case["normalised"])
    assert max(abs(norm[(j, i)] - v) for j, i, v in case["normalised"]) <= TOL
