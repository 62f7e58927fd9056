"""The hand-written implementation replaced by numpy/scipy (issue 13): the baseline of
bench/bench_aggregation.py and the recorder of tests/judging_algorithms/data/legacy_aggregation.json.

Additive juror-bias model fitted by exact least squares.

    score[i, j] = mu[i] + b[j] + error        (entry i, juror j)

with ``sum_j b[j] = 0`` (or ``sum_j n_j b[j] = 0``, "weighted") inside each
connected component of the entries--jurors design.  Eliminating ``mu``
leaves the normal equations for ``b``::

    (D_J - N' D_I^-1 N) b = r,   r_j = sum_{i in I(j)} (x_ij - mean_i)

a graph Laplacian (symmetric, positive semi-definite, null space = the
constants on each component).  The right-hand side is orthogonal to that
null space, so conjugate gradients started at 0 stays in the range and
converges to the minimum-norm solution, i.e. the one with ``sum b = 0`` in
each component; in exact arithmetic within (number of jurors) steps, here
until the residual is below ``tol``.  Then ``mu_i = mean_j (x_ij - b_j)``.

A design with several components is solved per component but their
levels cannot be compared: ``connected`` is False and the caller says so.
"""
from __future__ import annotations

import math
import os
import statistics
import sys
from typing import Hashable, Mapping, Sequence

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from judging.aggregation.bias import BiasFit  # noqa: E402  (the result type did not change)


def _components(scores: Mapping[tuple, float]) -> dict:
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (j, i) in scores:
        a, b = find(("j", j)), find(("e", i))
        if a != b:
            parent[a] = b
    roots: dict = {}
    out = {}
    for key in sorted(parent, key=lambda k: (k[0], type(k[1]).__name__, k[1])):
        r = find(key)
        out[key] = roots.setdefault(r, len(roots))
    return out


def fit_additive_bias(scores: Mapping[tuple[Hashable, Hashable], float], *,
                      constraint: str = "sum", tol: float = 1e-12,
                      max_iter: int | None = None) -> BiasFit:
    """``scores``: {(juror id, entry id): total}.  ``constraint``: "sum"
    (biases sum to 0) or "weighted" (sum of n_j * b_j is 0)."""
    if constraint not in ("sum", "weighted"):
        raise ValueError(f"unknown constraint {constraint!r}")
    for v in scores.values():
        if not math.isfinite(v):
            raise ValueError("scores must be finite")
    if not scores:
        return BiasFit({}, {}, 0, True, 0, True, 0.0)
    by_entry: dict = {}
    by_juror: dict = {}
    for (j, i), x in scores.items():
        by_entry.setdefault(i, []).append((j, x))
        by_juror.setdefault(j, []).append((i, x))
    jurors = list(by_juror)
    entry_mean = {i: sum(x for _, x in lst) / len(lst) for i, lst in by_entry.items()}
    rhs = {j: sum(x - entry_mean[i] for i, x in by_juror[j]) for j in jurors}

    def apply(b: dict) -> dict:
        s = {i: sum(b[j] for j, _ in lst) / len(lst) for i, lst in by_entry.items()}
        return {j: len(by_juror[j]) * b[j] - sum(s[i] for i, _ in by_juror[j])
                for j in jurors}

    # conjugate gradients from b = 0
    b = {j: 0.0 for j in jurors}
    r = dict(rhs)
    p = dict(r)
    rr = sum(v * v for v in r.values())
    scale = math.sqrt(rr) + 1.0
    limit = max_iter if max_iter is not None else 10 * len(jurors) + 50
    it = 0
    converged = math.sqrt(rr) <= tol * scale
    while not converged and it < limit:
        ap = apply(p)
        pap = sum(p[j] * ap[j] for j in jurors)
        if pap <= 0:
            break  # only rounding noise left along p
        alpha = rr / pap
        for j in jurors:
            b[j] += alpha * p[j]
            r[j] -= alpha * ap[j]
        rr_new = sum(v * v for v in r.values())
        it += 1
        if math.sqrt(rr_new) <= tol * scale:
            converged = True
            break
        beta = rr_new / rr
        rr = rr_new
        for j in jurors:
            p[j] = r[j] + beta * p[j]
    if not converged:
        converged = math.sqrt(sum(v * v for v in r.values())) <= 1e-9 * scale

    comp = _components(scores)
    n_comp = len(set(comp.values()))
    # impose the constraint exactly in every component
    members: dict = {}
    for j in jurors:
        members.setdefault(comp[("j", j)], []).append(j)
    for js in members.values():
        if constraint == "weighted":
            w = sum(len(by_juror[j]) for j in js)
            shift = sum(len(by_juror[j]) * b[j] for j in js) / w
        else:
            shift = sum(b[j] for j in js) / len(js)
        for j in js:
            b[j] -= shift
    mu = {i: sum(x - b[j] for j, x in lst) / len(lst) for i, lst in by_entry.items()}
    sse = sum((x - mu[i] - b[j]) ** 2 for (j, i), x in scores.items())
    dof = len(scores) - len(by_entry) - len(jurors) + n_comp
    resid = math.sqrt(sse / dof) if dof > 0 else 0.0
    return BiasFit(mu=mu, bias=b, components=n_comp, connected=n_comp <= 1,
                   iterations=it, converged=converged, residual_sd=resid,
                   component_of={j: comp[("j", j)] for j in jurors})


_EPS = 1e-12


def _pop_sd(xs: Sequence[float]) -> float:
    return statistics.pstdev(xs) if len(xs) > 1 else 0.0


def zscore_normalise(totals: Mapping[tuple, float], min_scores: int = 3
                     ) -> tuple[dict, dict]:
    """{(juror, entry): total} -> ({(juror, entry): normalised}, {juror: mode})."""
    if not totals:
        return {}, {}
    xs = list(totals.values())
    big_m, big_s = statistics.fmean(xs), _pop_sd(xs)
    by_juror: dict = {}
    for (j, _), x in totals.items():
        by_juror.setdefault(j, []).append(x)
    params, modes = {}, {}
    for j, lst in by_juror.items():
        m, s = statistics.fmean(lst), _pop_sd(lst)
        if len(lst) == 1:
            modes[j] = "raw"
        elif len(lst) < min_scores or s <= _EPS or big_s <= _EPS:
            modes[j] = "centred"
        else:
            modes[j] = "scaled"
        params[j] = (m, s)
    out = {}
    for (j, i), x in totals.items():
        m, s = params[j]
        if modes[j] == "raw":
            out[(j, i)] = x
        elif modes[j] == "centred":
            out[(j, i)] = x - m + big_m
        else:
            out[(j, i)] = big_m + big_s * (x - m) / s
    return out, modes


# -- the fixed inputs whose outputs were recorded before the hand-written code was deleted -------------
def legacy_cases() -> list[dict]:
    """Deterministic inputs: random, disconnected, sparse and degenerate designs."""
    import random

    def design(seed, n_entries, n_jurors, k, step=0.5, spread=1.5):
        rnd = random.Random(seed)
        bias = {f"j{j}": rnd.gauss(0, spread) for j in range(n_jurors)}
        out = []
        for i in range(n_entries):
            q = rnd.gauss(5, 1.5)
            for j in rnd.sample(sorted(bias), k):
                x = q + bias[j] + rnd.gauss(0, 1)
                x = min(10.0, max(0.0, round(x / step) * step)) if step else x
                out.append([j, i, x])
        return out

    blocks = [[f"a{j}", i, float((i * 7 + j * 3) % 11)] for i in range(12) for j in range(3)] + \
             [[f"b{j}", 100 + i, float((i * 5 + j) % 9)] for i in range(10) for j in range(2)]
    sparse = [["solo", 1, 9.0], ["flat", 2, 5.0], ["flat", 3, 5.0], ["flat", 4, 5.0],
              ["x", 2, 3.0], ["x", 3, 6.0], ["x", 4, 9.0], ["x", 5, 4.0], ["y", 5, 7.5], ["y", 6, 2.0]]
    return [
        {"name": "random-40x8", "scores": design(1, 40, 8, 3), "constraint": "sum", "min_scores": 3},
        {"name": "random-40x8-weighted", "scores": design(1, 40, 8, 3), "constraint": "weighted", "min_scores": 3},
        {"name": "blocks", "scores": blocks, "constraint": "sum", "min_scores": 3},
        {"name": "sparse", "scores": sparse, "constraint": "sum", "min_scores": 3},
        {"name": "sparse-weighted", "scores": sparse, "constraint": "weighted", "min_scores": 2},
        {"name": "continuous-300x30", "scores": design(5, 300, 30, 3, step=None), "constraint": "sum",
         "min_scores": 3},
        {"name": "uneven-k", "scores": design(7, 60, 10, 2) + design(8, 20, 10, 4), "constraint": "sum",
         "min_scores": 5},
    ]


def record(path: str) -> None:
    import json

    out = []
    for case in legacy_cases():
        scores = {}
        for j, i, x in case["scores"]:
            scores[(j, i)] = x  # a later duplicate replaces an earlier one, as a dict would
        fit = fit_additive_bias(scores, constraint=case["constraint"])
        norm, modes = zscore_normalise(scores, case["min_scores"])
        out.append(dict(case, scores=[[j, i, x] for (j, i), x in scores.items()],
                        mu=[[i, v] for i, v in fit.mu.items()], bias=[[j, v] for j, v in fit.bias.items()],
                        components=fit.components, connected=fit.connected, residual_sd=fit.residual_sd,
                        component_of=[[j, c] for j, c in fit.component_of.items()],
                        normalised=[[j, i, v] for (j, i), v in norm.items()], modes=[[j, m] for j, m in modes.items()]))
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    import sys

    record(sys.argv[1])
