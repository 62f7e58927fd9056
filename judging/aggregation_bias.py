"""Additive juror-bias model fitted by exact least squares.

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
from dataclasses import dataclass, field
from typing import Hashable, Mapping


@dataclass
class BiasFit:
    mu: dict  # entry id -> bias-adjusted score
    bias: dict  # juror id -> estimated additive bias (+ = lenient)
    components: int
    connected: bool
    iterations: int
    converged: bool
    residual_sd: float
    component_of: dict = field(default_factory=dict)  # juror id -> component index


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
