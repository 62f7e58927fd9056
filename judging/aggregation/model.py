"""Juror bias with shrinkage and each juror's own noise: the default "bias_adjusted" method.

Model (entry ``i``, juror ``j``)::

    x_ij = m + u_i + b_j + e_ij,   u_i ~ N(0, s_u^2),  e_ij ~ N(0, s_e^2 / w_j),
    b_j fixed (juror_penalty = 0) or b_j ~ N(0, s_b^2)

Fitted by penalised weighted least squares (Henderson's mixed-model equations)::

    minimise  sum w_j (x_ij - m - u_i - b_j)^2 + entry_penalty * sum u_i^2 + juror_penalty * sum b_j^2

with ``entry_penalty = s_e^2 / s_u^2`` and ``juror_penalty = s_e^2 / s_b^2``
estimated from the data by restricted maximum likelihood (REML).  The entry
effects are eliminated exactly (their block is diagonal), leaving a dense
system of one unknown per juror (plus the level), so a category of 10,000
entries and 300 jurors is solved in well under a second.

Each juror's weight ``w_j`` (``noise="juror"``, the default) is the inverse
of the juror's noise variance: REML's own estimating equation for it
(``RSS_j / (n_j - h_j)``, the juror's residuals over their degrees of
freedom), shrunk toward the pooled variance by empirical Bayes
(:mod:`judging.aggregation.noise`), iterated with the fit until the weights
settle, and the entry penalty estimated again with them.  Jurors alike in
noise keep weights of 1 (the pooled model, ``noise="pooled"``); a juror
noisier than the typical one counts for less, a more precise one for more,
up to a cap that falls to 1 as the juror's scores pile up at their own
lowest or highest score (``s_e`` is then the typical juror's noise).

An entry's value is the weighted mean of its scores after removing each
juror's estimated bias, ``sum_j w_j (x_ij - b_j) / sum_j w_j``, with the
biases summing to 0 (``constraint="sum"``) or their score-weighted sum 0
("weighted").

* ``entry_penalty = juror_penalty = 0``: least squares (plain with pooled
  noise, :func:`judging.aggregation.bias.fit_additive_bias`; weighted by
  the jurors' noise otherwise);
* ``juror_penalty = inf``: no bias, the (weighted) mean;
* ``entry_penalty > 0`` (the entries of a round are a random sample of
  the competition, which is what random assignment makes them): a juror's
  bias comes from two kinds of evidence, weighed by their precision: the
  entries shared with other jurors (least squares, strong when the design is
  well linked) and the level of the juror's own entries (strong when the
  juror scored many).  A juror in a weakly linked block is corrected from
  its own level; a well-linked juror almost as by least squares.

:func:`fit_model` with ``juror_penalty=0`` (the default) is invariant to
adding a constant to one juror's scores (the constant goes into the juror's
bias and leaves every residual, hence every weight, as it was), except on
degenerate data (see :func:`degenerate`), where it falls back on least
squares with pooled noise.  ``juror_penalty="reml"`` also shrinks the
biases toward 0 (a random juror effect); it was measured and does no better
(see bench/bench_rankings.py), and it loses that invariance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Mapping

import numpy as np
from scipy import linalg, optimize, sparse

from judging.aggregation.bias import Design, apply_constraint, fit_additive_bias, single_threaded, solve_laplacian
from judging.aggregation.noise import normalised_weights, piled_share, shrunk_variances, weight_caps

BOUNDS = (-9.0, 9.0)  # log penalties searched by REML
GRID = 13  # points of the first search (log step 1.5)
MAX_NOISE_STEPS = 30  # iterations of the jurors' noise weights
NOISE_TOL = 1e-4  # ... until no weight moves by more than this (log scale: 0.01%)
MAX_PENALTY_STEPS = 4  # rounds of (noise weights, REML penalty)
PENALTY_TOL = 1e-3  # ... until the entry penalty moves less than this (log scale)


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
    juror_weight: np.ndarray = field(repr=False)  # w_j in design order: s_e^2 / juror j's noise variance, capped
    noise: dict = field(default_factory=dict)  # juror id -> the juror's estimated noise sd (s_e for all when pooled)
    noise_prior_df: float = math.inf  # d0 of the noise variances' prior (inf: one noise for all)


@dataclass
class _Solution:
    b: np.ndarray  # juror biases (zeros when there are none), before the constraint
    m: float
    u: np.ndarray  # entry effects
    logdet: float  # log|C| - log|Lambda| - log|Omega|: what REML needs beyond the residuals
    p: int  # fixed effects
    a: np.ndarray  # the system left after eliminating the entries, over (m?, b?)
    with_m: bool
    with_b: bool
    dinv: np.ndarray  # 1 / (sum of the entry's weights + entry_penalty)
    singular: bool = False  # least squares: ``a`` is a Laplacian (constant per component in its null space)


def _solve(d: Design, entry_penalty: float, juror_penalty: float, w: np.ndarray) -> _Solution:
    """The penalised weighted least-squares solution (each score weighted by
    its juror's ``w``) with the u block eliminated, and what REML needs."""
    n_j = d.n_juror
    lam_u, lam_b = entry_penalty, juror_penalty
    ws = w[d.jj]  # the weight of each score
    n_i = d.entry_sums(ws)  # an entry's weight: its number of scores when every w is 1
    dinv = 1.0 / (n_i + lam_u)
    wx = ws * d.x
    s = d.entry_sums(wx)
    with_m = lam_u > 0 and lam_b > 0
    with_b = math.isfinite(lam_b)
    if with_b:
        a_bb = np.diag(w * n_j + (lam_b if lam_b > 0 else 0.0)) - w[:, None] * d.weighted_cooccurrence(dinv) * w
        c_b = d.juror_sums(wx) - w * d.juror_sums((dinv * s)[d.ii])
    if with_m:
        a_mm = float(n_i.sum() - np.sum(n_i * n_i * dinv))
        a_mb = w * (n_j - d.juror_sums((dinv * n_i)[d.ii])) if with_b else None
        c_m = float(wx.sum() - np.sum(n_i * dinv * s))
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
    u = dinv * (s - n_i * m - d.entry_sums(ws * b[d.jj]))
    logdet = float(np.sum(np.log(n_i + lam_u))) + logdet_a - float(np.sum(np.log(ws)))
    if lam_u > 0:
        logdet -= len(n_i) * math.log(lam_u)
    if with_b and lam_b > 0:
        logdet -= len(n_j) * math.log(lam_b)
    p = (1 if with_m else 0) + (len(n_j) if with_b and lam_b == 0 else 0) + (len(n_i) if lam_u == 0 else 0)
    return _Solution(b, m, u, logdet, p, a, with_m, with_b, dinv)


def _reml(d: Design, entry_penalty: float, juror_penalty: float, w: np.ndarray) -> tuple[float, float]:
    """(-2 REML log-likelihood with s_e profiled out, s_e^2)."""
    sol = _solve(d, entry_penalty, juror_penalty, w)
    resid = d.x - sol.m - sol.u[d.ii] - sol.b[d.jj]
    pen = float(w[d.jj] @ resid ** 2) + entry_penalty * float(sol.u @ sol.u)
    if math.isfinite(juror_penalty) and juror_penalty > 0:
        pen += juror_penalty * float(sol.b @ sol.b)
    dof = d.size - sol.p
    s2 = pen / dof if dof > 0 else 0.0
    return dof * math.log(max(s2, 1e-300)) + sol.logdet, s2


def degenerate(d: Design, juror_penalty: float | str = 0.0) -> bool:
    """Too few scores to estimate anything beyond the biases, or no juror
    gave two entries different scores (both tests ignore a juror's level,
    so the method stays invariant to it)."""
    p = len(d.jurors) if juror_penalty == 0 else 1
    within = d.x - (d.juror_sums(d.x) / d.n_juror)[d.jj]
    return d.size - p < 2 or float(np.max(np.abs(within))) <= 1e-9


def estimate_penalties(d: Design, juror_penalty: float | str = 0.0, w: np.ndarray | None = None,
                       near: float | None = None) -> tuple[float, float]:
    """(entry_penalty, juror_penalty) by REML, the scores weighted by their
    jurors' ``w`` (default 1); ``juror_penalty="reml"`` estimates it too, a
    number keeps it.  ``near``: an entry penalty known to be close (the
    search starts within a factor of e^1.5 of it, and searches everywhere
    when the optimum is not inside).  Degenerate data gives (0, 0)."""
    if degenerate(d, juror_penalty):
        return 0.0, (0.0 if juror_penalty == "reml" else float(juror_penalty))
    w = np.ones(len(d.jurors)) if w is None else w
    if juror_penalty == "reml":
        def f2(t):
            return _reml(d, math.exp(t[0]), math.exp(t[1]), w)[0]
        best = min(((a, c) for a in (-2.0, 0.0, 2.0) for c in (-2.0, 0.0, 2.0)), key=f2)
        res = optimize.minimize(f2, np.array(best), method="L-BFGS-B", bounds=[BOUNDS, BOUNDS])
        return math.exp(res.x[0]), math.exp(res.x[1])
    lam_b = float(juror_penalty)
    centre = math.log(near) if near is not None and near > 0 else None
    return math.exp(_minimise_1d(lambda t: _reml(d, math.exp(t), lam_b, w)[0], centre)), lam_b


def _minimise_1d(f, centre: float | None = None) -> float:
    """Grid, then Brent inside the best cell.  Near-ties (the likelihood is
    flat when the data say little) go to the smallest penalty, and a refined
    point must beat the grid clearly: the result does not depend on the order
    of the input, which moves the objective only in its last digits.  With
    ``centre`` (a log penalty known to be close), a grid of 5 points within
    1.5 of it first."""
    grid = np.linspace(*BOUNDS, GRID) if centre is None else \
        np.unique(np.clip(centre + np.linspace(-1.5, 1.5, 5), *BOUNDS))
    values = np.array([f(t) for t in grid])
    scale = 1e-9 * max(1.0, float(np.min(np.abs(values))))
    best = int(np.flatnonzero(values <= values.min() + scale)[0])
    if centre is not None and (best == 0 or best == len(grid) - 1) and BOUNDS[0] < grid[best] < BOUNDS[1]:
        return _minimise_1d(f)  # the optimum is beyond the window: search everywhere
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
    return float(res.x) if res.fun < values[best] - scale else float(grid[best])


# -- each juror's noise ------------------------------------------------------------------------------------
def _least_squares(d: Design, w: np.ndarray) -> _Solution:
    """Weighted least squares (no penalty), per connected component, in the
    shape of :func:`_solve` (``a`` is then singular: the weighted Laplacian)."""
    n_comp, comp = d.components()
    ws = w[d.jj]
    n_i = d.entry_sums(ws)
    dinv = 1.0 / n_i
    mean_i = d.entry_sums(ws * d.x) * dinv
    a = np.diag(w * d.n_juror) - w[:, None] * d.weighted_cooccurrence(dinv) * w
    b, _, _ = solve_laplacian(sparse.csr_matrix(a), w * d.juror_sums(d.x - mean_i[d.ii]), comp, n_comp)
    u = dinv * d.entry_sums(ws * (d.x - b[d.jj]))
    return _Solution(b, 0.0, u, 0.0, len(d.entries) + len(d.jurors) - n_comp, a, False, True, dinv, singular=True)


def _juror_leverage(d: Design, sol: _Solution, w: np.ndarray) -> np.ndarray:
    """Each juror's share of the trace of the hat matrix: the sum, over the
    juror's scores, of ``w_j x' C^- x`` (``x`` the score's row of the design,
    ``C`` the mixed-model equations), from the system left after
    eliminating the entries: ``x' C^- x = dinv_i + (v_i - t)' A^- (v_i - t)``,
    ``v_i`` entry i's column of the eliminated block, ``t`` the score's row
    over (m, b)."""
    p = sol.a.shape[0]
    quad = sol.dinv[d.ii].copy()
    if not p:
        return d.juror_sums(w[d.jj] * quad)
    ainv = linalg.pinvh(sol.a) if sol.singular else linalg.cho_solve(linalg.cho_factor(sol.a, lower=True), np.eye(p))
    n_e = len(d.entries)
    vav, vat, tat = np.zeros(n_e), np.zeros(d.size), np.zeros(d.size)
    col = (1 if sol.with_m else 0) + d.jj  # each score's juror's column in A
    g = sol.dinv[d.ii] * w[d.jj]  # v_i over the biases: one term per score of the entry
    if sol.with_b:
        first, second = d.score_pairs()
        vav += np.bincount(d.ii[first], weights=g[first] * g[second] * ainv[col[first], col[second]], minlength=n_e)
        vat += np.bincount(first, weights=g[second] * ainv[col[second], col[first]], minlength=d.size)
        tat += ainv[col, col]
    if sol.with_m:
        c = sol.dinv * d.entry_sums(w[d.jj])  # v_i over the level
        vav += c * c * ainv[0, 0]
        vat += c[d.ii] * ainv[0, 0]
        tat += ainv[0, 0]
        if sol.with_b:
            to_level = ainv[0, col]
            by_entry = d.entry_sums(g * to_level)
            vav += 2.0 * c * by_entry
            vat += by_entry[d.ii] + c[d.ii] * to_level
            tat += 2.0 * to_level
    quad += vav[d.ii] - 2.0 * vat + tat
    return d.juror_sums(w[d.jj] * quad)


def _juror_weights(d: Design, entry_penalty: float, juror_penalty: float, w: np.ndarray
                   ) -> tuple[np.ndarray, float, np.ndarray]:
    """Iterate: fit with weights ``w``, each juror's residual variance (shrunk,
    :mod:`judging.aggregation.noise`), new weights; until they settle.
    Returns (weights, d0 of the variances' prior, the variances)."""
    d0, var = math.inf, np.zeros(len(w))
    caps = weight_caps(piled_share(d.x, d.jj, len(d.jurors)))
    for _ in range(MAX_NOISE_STEPS):
        sol = _least_squares(d, w) if entry_penalty == 0 and juror_penalty == 0 else \
            _solve(d, entry_penalty, juror_penalty, w)
        resid = d.x - sol.m - sol.u[d.ii] - sol.b[d.jj]
        rss = d.juror_sums(resid ** 2)
        df = np.maximum(d.n_juror - _juror_leverage(d, sol, w), 0.0)
        var, d0, _ = shrunk_variances(rss, df)
        new = normalised_weights(var, d.n_juror, caps)
        step = float(np.max(np.abs(np.log(new / w))))
        w = new
        if step < NOISE_TOL:
            break
    return w, d0, var


def fit_model(scores: Mapping[tuple[Hashable, Hashable], float], *, constraint: str = "sum",
              juror_penalty: float | str = 0.0, entry_penalty: float | None = None,
              noise: str = "juror") -> ModelFit:
    """Fit the shrinkage model to ``{(juror id, entry id): total}``.

    ``entry_penalty=None``: estimated by REML (as is ``juror_penalty`` when
    "reml").  ``noise="juror"``: each juror's own noise, shrunk toward the
    pooled one (a juror noisier than the typical one counts for less, a more
    precise one for more, up to a cap: :func:`noise.weight_caps`); "pooled":
    one noise for all.  Penalties of 0 and 0 give least
    squares (plain with pooled noise, weighted by the jurors' noise
    otherwise), per connected component; ``juror_penalty=math.inf`` gives the
    mean (weighted by the jurors' noise with ``noise="juror"``).
    """
    if constraint not in ("sum", "weighted"):
        raise ValueError(f"unknown constraint {constraint!r}")
    if juror_penalty != "reml" and not (float(juror_penalty) >= 0):
        raise ValueError("juror_penalty must be >= 0, math.inf or 'reml'")
    if entry_penalty is not None and not entry_penalty >= 0:
        raise ValueError("entry_penalty must be >= 0")
    if noise not in ("juror", "pooled"):
        raise ValueError(f"unknown noise {noise!r}")
    d = Design(scores)
    with single_threaded():
        return _fit(scores, d, constraint, juror_penalty, entry_penalty, noise)


def _penalties(d: Design, juror_penalty, entry_penalty, w: np.ndarray, near: float | None = None
               ) -> tuple[float, float]:
    lam_u, lam_b = entry_penalty, juror_penalty
    if entry_penalty is None or juror_penalty == "reml":
        est_u, est_b = estimate_penalties(d, juror_penalty, w, near if juror_penalty != "reml" else None)
        lam_u = est_u if entry_penalty is None else entry_penalty
        lam_b = est_b if juror_penalty == "reml" else juror_penalty
    return float(lam_u), float(lam_b)


def _noise(d: Design, var: np.ndarray | None, pooled: float) -> dict:
    """{juror: noise sd}: the estimated variances, or the pooled sd for all."""
    sd = np.full(len(d.jurors), pooled) if var is None else np.sqrt(var)
    return dict(zip(d.jurors, sd.tolist()))


def _fit(scores, d: Design, constraint: str, juror_penalty, entry_penalty, noise: str) -> ModelFit:
    if not d.size:
        return ModelFit({}, {}, 0.0, 0.0, 0.0, math.inf, 0.0, 0.0, d, np.zeros(0), np.zeros(0), np.zeros(0), {})
    w = np.ones(len(d.jurors))
    lam_u, lam_b = _penalties(d, juror_penalty, entry_penalty, w)
    d0, var = math.inf, None
    if noise == "juror" and not degenerate(d, juror_penalty):
        for _ in range(MAX_PENALTY_STEPS):
            w, d0, var = _juror_weights(d, lam_u, lam_b, w)
            if entry_penalty is not None and juror_penalty != "reml":
                break
            new_u, new_b = _penalties(d, juror_penalty, entry_penalty, w, near=lam_u)
            moved = abs(math.log(max(new_u, 1e-300) / max(lam_u, 1e-300))) if lam_u > 0 else new_u
            lam_u, lam_b = new_u, new_b
            if moved < PENALTY_TOL:
                break
    weights = d.n_juror if constraint == "weighted" else None
    if lam_u == 0 and lam_b == 0:
        ls = fit_additive_bias(scores, constraint=constraint, juror_weight=dict(zip(d.jurors, w.tolist())))
        b = np.array([ls.bias[j] for j in d.jurors])
        value = np.array([ls.mu[i] for i in d.entries])
        return ModelFit(ls.mu, ls.bias, 0.0, 0.0, ls.residual_sd, math.inf, float(value.mean()), 0.0, d,
                        value, b, w, _noise(d, var, ls.residual_sd), d0)
    sol = _solve(d, lam_u, lam_b, w)
    _, s2 = _reml(d, lam_u, lam_b, w)
    zero = np.zeros(len(sol.b), dtype=np.int64)
    b = apply_constraint(sol.b, zero, 1, weights) if math.isfinite(lam_b) else sol.b
    ws = w[d.jj]
    value = d.entry_sums(ws * (d.x - b[d.jj])) / d.entry_sums(ws)
    shift = float(np.mean(sol.b - b)) if math.isfinite(lam_b) else 0.0
    return ModelFit(value=dict(zip(d.entries, value.tolist())), bias=dict(zip(d.jurors, b.tolist())),
                    entry_penalty=lam_u, juror_penalty=lam_b, sigma_noise=math.sqrt(s2),
                    sigma_entry=math.sqrt(s2 / lam_u) if lam_u > 0 else math.inf, level=sol.m + shift,
                    intercept=sol.m, design=d, quality=sol.m + sol.u + shift, bias_array=sol.b, juror_weight=w,
                    noise=_noise(d, var, math.sqrt(s2)), noise_prior_df=d0)
