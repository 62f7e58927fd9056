"""Juror bias with shrinkage: the default "bias_adjusted" method.

Model (entry ``i``, juror ``j``)::

    x_ij = m + u_i + b_j + e_ij,   u_i ~ N(0, s_u^2),  e_ij ~ N(0, s_e^2),
    b_j fixed (juror_penalty = 0) or b_j ~ N(0, s_b^2)

Fitted by penalised least squares (Henderson's mixed-model equations)::

    minimise  sum (x_ij - m - u_i - b_j)^2 + entry_penalty * sum u_i^2 + juror_penalty * sum b_j^2

with ``entry_penalty = s_e^2 / s_u^2`` and ``juror_penalty = s_e^2 / s_b^2``
estimated from the data by restricted maximum likelihood (REML).  The entry
effects are eliminated exactly (their block is diagonal), leaving a dense
system of one unknown per juror (plus the level), so a category of 10,000
entries and 300 jurors is solved in milliseconds.

An entry's value is the mean of its scores after removing each juror's
estimated bias, ``mean_j (x_ij - b_j)``, with the biases summing to 0
(``constraint="sum"``) or their score-weighted sum 0 ("weighted").

* ``entry_penalty = juror_penalty = 0``: plain least squares
  (:func:`judging.aggregation.bias.fit_additive_bias`);
* ``juror_penalty = inf``: no bias, the plain mean;
* ``entry_penalty > 0`` (the entries of a round are a random sample of
  the competition, which is what random assignment makes them): a juror's
  bias comes from two kinds of evidence, weighed by their precision: the
  entries shared with other jurors (least squares, strong when the design is
  well linked) and the level of the juror's own entries (strong when the
  juror scored many).  A juror in a weakly linked block is corrected from
  its own level; a well-linked juror almost as by least squares.

:func:`fit_model` with ``juror_penalty=0`` (the default) is invariant to
adding a constant to one juror's scores (except on degenerate data, see
:func:`degenerate`, where it falls back on least squares); this is the model that the
``bias_adjusted`` method uses.  ``juror_penalty="reml"`` also shrinks the
biases toward 0 (a random juror effect); it was measured and does no
better (see bench/bench_rankings.py), and it loses that invariance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Mapping

import numpy as np
from scipy import linalg, optimize

from judging.aggregation.bias import Design, apply_constraint, fit_additive_bias, single_threaded

BOUNDS = (-9.0, 9.0)  # log penalties searched by REML
GRID = 13  # points of the first search (log step 1.5)


@dataclass
class ModelFit:
    value: dict  # entry id -> mean of its scores less each juror's bias
    bias: dict  # juror id -> estimated bias (+ = lenient)
    entry_penalty: float
    juror_penalty: float  # 0: fixed biases; inf: no bias
    sigma_noise: float  # s_e
    sigma_entry: float  # s_u (inf when entry_penalty is 0)
    level: float  # the grand level of the entries
    intercept: float = field(repr=False)  # m as solved (0 when the biases are fixed: they carry the level)
    design: Design = field(repr=False)
    quality: np.ndarray = field(repr=False)  # posterior mean of m + u_i, in design order
    bias_array: np.ndarray = field(repr=False)  # b before the constraint, in design order


def _solve(d: Design, entry_penalty: float, juror_penalty: float):
    """(b, m, u, log|C| - log|Lambda|, p): the penalised least-squares
    solution with the u block eliminated, and what REML needs."""
    n_j, n_i = d.n_juror, d.n_entry
    lam_u, lam_b = entry_penalty, juror_penalty
    dinv = 1.0 / (n_i + lam_u)
    s = d.entry_sums(d.x)
    with_m = lam_u > 0 and lam_b > 0
    with_b = math.isfinite(lam_b)
    if with_b:
        a_bb = np.diag(n_j + (lam_b if lam_b > 0 else 0.0)) - d.weighted_cooccurrence(dinv)
        c_b = d.juror_sums(d.x) - d.juror_sums((dinv * s)[d.ii])
    if with_m:
        a_mm = float(d.size - np.sum(n_i * n_i * dinv))
        a_mb = n_j - d.juror_sums((dinv * n_i)[d.ii]) if with_b else None
        c_m = float(d.x.sum() - np.sum(n_i * dinv * s))
    if with_b and with_m:
        a = np.block([[np.array([[a_mm]]), a_mb[None, :]], [a_mb[:, None], a_bb]])
        c = np.concatenate([[c_m], c_b])
    elif with_b:
        a, c = a_bb, c_b
    elif with_m:
        a, c = np.array([[a_mm]]), np.array([c_m])
    else:
        a, c = np.zeros((0, 0)), np.zeros(0)
    if len(c):
        chol = linalg.cho_factor(a, lower=True, check_finite=False)
        theta = linalg.cho_solve(chol, c, check_finite=False)
        logdet_a = 2.0 * float(np.sum(np.log(np.diag(chol[0]))))
    else:
        theta, logdet_a = np.zeros(0), 0.0
    m = float(theta[0]) if with_m else 0.0
    b = theta[1:] if with_m and with_b else (theta if with_b else np.zeros(len(n_j)))
    u = dinv * (s - n_i * m - np.bincount(d.ii, weights=b[d.jj], minlength=len(n_i)))
    logdet = float(np.sum(np.log(n_i + lam_u))) + logdet_a
    if lam_u > 0:
        logdet -= len(n_i) * math.log(lam_u)
    if with_b and lam_b > 0:
        logdet -= len(n_j) * math.log(lam_b)
    p = (1 if with_m else 0) + (len(n_j) if with_b and lam_b == 0 else 0) + (len(n_i) if lam_u == 0 else 0)
    return b, m, u, logdet, p


def _reml(d: Design, entry_penalty: float, juror_penalty: float) -> tuple[float, float]:
    """(-2 REML log-likelihood with s_e profiled out, s_e^2)."""
    b, m, u, logdet, p = _solve(d, entry_penalty, juror_penalty)
    resid = d.x - m - u[d.ii] - b[d.jj]
    pen = float(resid @ resid) + entry_penalty * float(u @ u)
    if math.isfinite(juror_penalty) and juror_penalty > 0:
        pen += juror_penalty * float(b @ b)
    dof = d.size - p
    s2 = pen / dof if dof > 0 else 0.0
    return dof * math.log(max(s2, 1e-300)) + logdet, s2


def degenerate(d: Design, juror_penalty: float | str = 0.0) -> bool:
    """Too few scores to estimate anything beyond the biases, or no juror
    gave two entries different scores (both tests ignore a juror's level,
    so the method stays invariant to it)."""
    p = len(d.jurors) if juror_penalty == 0 else 1
    within = d.x - (d.juror_sums(d.x) / d.n_juror)[d.jj]
    return d.size - p < 2 or float(np.max(np.abs(within))) <= 1e-9


def estimate_penalties(d: Design, juror_penalty: float | str = 0.0) -> tuple[float, float]:
    """(entry_penalty, juror_penalty) by REML; ``juror_penalty="reml"``
    estimates it too, a number keeps it.  Degenerate data gives (0, 0)."""
    if degenerate(d, juror_penalty):
        return 0.0, (0.0 if juror_penalty == "reml" else float(juror_penalty))
    if juror_penalty == "reml":
        def f2(t):
            return _reml(d, math.exp(t[0]), math.exp(t[1]))[0]
        best = min(((a, c) for a in (-2.0, 0.0, 2.0) for c in (-2.0, 0.0, 2.0)), key=f2)
        res = optimize.minimize(f2, np.array(best), method="L-BFGS-B", bounds=[BOUNDS, BOUNDS])
        return math.exp(res.x[0]), math.exp(res.x[1])
    lam_b = float(juror_penalty)
    return math.exp(_minimise_1d(lambda t: _reml(d, math.exp(t), lam_b)[0])), lam_b


def _minimise_1d(f) -> float:
    """Grid, then Brent inside the best cell.  Near-ties (the likelihood is
    flat when the data say little) go to the smallest penalty, and a refined
    point must beat the grid clearly: the result does not depend on the order
    of the input, which moves the objective only in its last digits."""
    grid = np.linspace(*BOUNDS, GRID)
    values = np.array([f(t) for t in grid])
    scale = 1e-9 * max(1.0, float(np.min(np.abs(values))))
    best = int(np.flatnonzero(values <= values.min() + scale)[0])
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
    return float(res.x) if res.fun < values[best] - scale else float(grid[best])


def fit_model(scores: Mapping[tuple[Hashable, Hashable], float], *, constraint: str = "sum",
              juror_penalty: float | str = 0.0, entry_penalty: float | None = None) -> ModelFit:
    """Fit the shrinkage model to ``{(juror id, entry id): total}``.

    ``entry_penalty=None``: estimated by REML (as is ``juror_penalty`` when
    "reml").  Penalties of 0 and 0 give plain least squares, per connected
    component; ``juror_penalty=math.inf`` gives the mean.
    """
    if constraint not in ("sum", "weighted"):
        raise ValueError(f"unknown constraint {constraint!r}")
    if juror_penalty != "reml" and not (float(juror_penalty) >= 0):
        raise ValueError("juror_penalty must be >= 0, math.inf or 'reml'")
    if entry_penalty is not None and not entry_penalty >= 0:
        raise ValueError("entry_penalty must be >= 0")
    d = Design(scores)
    with single_threaded():
        return _fit(scores, d, constraint, juror_penalty, entry_penalty)


def _fit(scores, d: Design, constraint: str, juror_penalty, entry_penalty) -> ModelFit:
    if not d.size:
        return ModelFit({}, {}, 0.0, 0.0, 0.0, math.inf, 0.0, 0.0, d, np.zeros(0), np.zeros(0))
    lam_u, lam_b = entry_penalty, juror_penalty
    if entry_penalty is None or juror_penalty == "reml":
        est_u, est_b = estimate_penalties(d, juror_penalty)
        lam_u = est_u if entry_penalty is None else entry_penalty
        lam_b = est_b if juror_penalty == "reml" else juror_penalty
    lam_b = float(lam_b)
    weights = d.n_juror if constraint == "weighted" else None
    if lam_u == 0 and lam_b == 0:
        ls = fit_additive_bias(scores, constraint=constraint)
        b = np.array([ls.bias[j] for j in d.jurors])
        value = np.array([ls.mu[i] for i in d.entries])
        return ModelFit(ls.mu, ls.bias, 0.0, 0.0, ls.residual_sd, math.inf, float(value.mean()), 0.0, d,
                        value, b)
    b_raw, m, u, _, p = _solve(d, lam_u, lam_b)
    _, s2 = _reml(d, lam_u, lam_b)
    zero = np.zeros(len(b_raw), dtype=np.int64)
    b = apply_constraint(b_raw, zero, 1, weights) if math.isfinite(lam_b) else b_raw
    value = d.entry_sums(d.x - b[d.jj]) / d.n_entry
    level = m + float(np.mean(b_raw - b)) if math.isfinite(lam_b) else m
    return ModelFit(value=dict(zip(d.entries, value.tolist())), bias=dict(zip(d.jurors, b.tolist())),
                    entry_penalty=lam_u, juror_penalty=lam_b, sigma_noise=math.sqrt(s2),
                    sigma_entry=math.sqrt(s2 / lam_u) if lam_u > 0 else math.inf, level=level, intercept=m, design=d,
                    quality=m + u + (b_raw - b).mean() if math.isfinite(lam_b) else m + u, bias_array=b_raw)
