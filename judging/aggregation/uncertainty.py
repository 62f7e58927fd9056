"""How sure is each entry's place?  Posterior draws of the shrinkage model.

Given the fitted :class:`judging.aggregation.model.ModelFit` (juror biases
fixed effects, entry qualities random, juror ``j``'s noise ``s_e^2 / w_j``),
the posterior of the biases is Gaussian with covariance ``s_e^2 A^-1``
(``A`` the juror system left after eliminating the entries) and, given the
biases, each entry's quality is Gaussian and independent of the others::

    u_i | b ~ N((sum_j w_j (x_ij - m - b_j)) / (W_i + lambda), s_e^2 / (W_i + lambda)),   W_i = sum_j w_j

So a draw of the whole ranking costs one J x J Cholesky (once) and a few
vector operations; :func:`rank_uncertainty` takes ``draws`` of them (seeded:
the same input gives the same output) and returns, for every entry, the
probability that its true quality is in the top ``top_n`` and at each award
boundary, and an interval for its true rank.  The variance parameters are
taken as estimated (their own uncertainty is small next to the biases').

    u = rank_uncertainty(group.model, top_n=13, boundaries=(1, 2, 3))
    u.entries[entry_id].p_top, .rank_low, .rank_high, .settled
    u.unsettled                        # entry ids whose place is not settled

:func:`posterior_moments` gives each entry's posterior mean and sd of its
quality; :mod:`judging.aggregation.final_round` plans on them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Sequence

import numpy as np
from scipy import linalg, sparse

from judging.aggregation.bias import single_threaded
from judging.aggregation.model import ModelFit


@dataclass(frozen=True)
class EntryUncertainty:
    entry_id: Hashable
    value: float  # the method's value (mean of the scores less each juror's bias)
    quality: float  # posterior mean of the true quality (shrunk toward the level)
    sd: float  # posterior sd of the true quality
    p_top: float  # probability that the true rank is <= top_n
    p_within: dict  # boundary -> probability that the true rank is <= boundary
    rank_low: int  # interval for the true rank (1 = best), ``level`` coverage
    rank_high: int
    settled: bool  # every p_within (and p_top) below ``margin`` or above 1 - margin


@dataclass
class Uncertainty:
    top_n: int
    boundaries: tuple[int, ...]
    level: float
    margin: float
    draws: int
    seed: int
    entries: dict = field(default_factory=dict)  # entry id -> EntryUncertainty

    @property
    def unsettled(self) -> list:
        """Entries whose place is not settled, best value first."""
        return [e.entry_id for e in sorted(self.entries.values(), key=lambda e: -e.value) if not e.settled]


def _weighted(fit: ModelFit):
    """(incidence with each juror's column times w_j, W_i + lambda per entry)."""
    d = fit.design
    hw = (d.incidence @ sparse.diags(fit.juror_weight)).tocsr()
    return hw, np.asarray(hw.sum(axis=1)).ravel() + fit.entry_penalty


def _juror_system(fit: ModelFit) -> tuple[np.ndarray, float]:
    """(A, s_e^2): the precision of the biases is A / s_e^2."""
    d = fit.design
    h, total = _weighted(fit)
    dinv = 1.0 / total
    a = np.diag(fit.juror_weight * d.n_juror) - (h.T @ h.multiply(dinv[:, None])).toarray()
    if math.isfinite(fit.juror_penalty) and fit.juror_penalty > 0:
        a += fit.juror_penalty * np.eye(len(d.jurors))
    # least squares (no entry penalty) leaves each component's level free: a tiny ridge fixes it
    a += 1e-9 * max(1.0, float(np.mean(np.diag(a)))) * np.eye(len(d.jurors))
    return a, fit.sigma_noise ** 2


def posterior_moments(fit: ModelFit) -> tuple[np.ndarray, np.ndarray]:
    """(posterior mean, posterior sd) of each entry's quality, in design order."""
    d = fit.design
    if not d.size:
        return fit.quality.copy(), np.zeros(0)
    h, total = _weighted(fit)
    dinv = 1.0 / total
    s2 = fit.sigma_noise ** 2
    var = s2 * dinv
    if math.isfinite(fit.juror_penalty):
        with single_threaded():
            a, _ = _juror_system(fit)
            cov_b = s2 * linalg.cho_solve(linalg.cho_factor(a, lower=True), np.eye(len(a)))
        var = var + dinv ** 2 * np.asarray(h.multiply(h @ cov_b).sum(axis=1)).ravel()
    return fit.quality.copy(), np.sqrt(np.maximum(var, 0.0))


def draw_qualities(fit: ModelFit, draws: int, seed: int) -> np.ndarray:
    """``draws`` x entries posterior draws of the true qualities (design order)."""
    d = fit.design
    rng = np.random.default_rng(seed)
    h, total = _weighted(fit)
    dinv = 1.0 / total
    s = d.entry_sums(fit.juror_weight[d.jj] * d.x)
    with single_threaded():
        if math.isfinite(fit.juror_penalty):
            a, s2 = _juror_system(fit)
            chol = linalg.cholesky(a, lower=True)
            z = rng.standard_normal((len(d.jurors), draws))
            b = fit.bias_array[:, None] + math.sqrt(s2) * linalg.solve_triangular(chol.T, z, lower=False)
            b_sum = (h @ b).T  # draws x entries: weighted sum of each entry's jurors' biases
        else:
            s2 = fit.sigma_noise ** 2
            b_sum = np.zeros((draws, len(d.entries)))
    mean = dinv[None, :] * (s[None, :] - (total - fit.entry_penalty)[None, :] * fit.intercept - b_sum)
    return mean + np.sqrt(s2 * dinv)[None, :] * rng.standard_normal((draws, len(d.entries)))


def rank_uncertainty(fit: ModelFit, top_n: int, *, boundaries: Sequence[int] = (), draws: int = 400,
                     seed: int = 0, level: float = 0.9, margin: float = 0.1) -> Uncertainty:
    """Per entry: probability of the top ``top_n`` and of each boundary
    (e.g. the prize places 1, 2, 3), and a ``level`` interval for the true
    rank.  An entry is settled when each of those probabilities is below
    ``margin`` or above ``1 - margin``."""
    if top_n < 1 or draws < 1 or not 0 < level < 1 or not 0 <= margin < 0.5:
        raise ValueError("top_n and draws must be positive, 0 < level < 1, 0 <= margin < 0.5")
    bounds = tuple(sorted({int(b) for b in boundaries if b >= 1} | {int(top_n)}))
    out = Uncertainty(top_n, bounds, level, margin, draws, seed)
    d = fit.design
    if not d.size:
        return out
    q = draw_qualities(fit, draws, seed)
    ranks = np.empty(q.shape, dtype=np.int32)
    order = np.argsort(-q, axis=1)
    np.put_along_axis(ranks, order, np.arange(1, q.shape[1] + 1, dtype=np.int32)[None, :].repeat(draws, 0), axis=1)
    p = {b: (ranks <= b).mean(axis=0) for b in bounds}
    lo = np.quantile(ranks, (1 - level) / 2, axis=0, method="lower")
    hi = np.quantile(ranks, 1 - (1 - level) / 2, axis=0, method="higher")
    mean, sd = posterior_moments(fit)
    for n, i in enumerate(d.entries):
        within = {b: float(p[b][n]) for b in bounds}
        settled = all(v <= margin or v >= 1 - margin for v in within.values())
        out.entries[i] = EntryUncertainty(
            entry_id=i, value=float(fit.value[i]), quality=float(mean[n]), sd=float(sd[n]),
            p_top=within[top_n], p_within=within, rank_low=int(lo[n]), rank_high=int(hi[n]), settled=settled)
    return out
