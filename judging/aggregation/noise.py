"""Each juror's own noise: per-juror residual variances, shrunk toward the pooled one.

Some jurors score consistently, some do not; the model
(:mod:`judging.aggregation.model`) weighs each juror's scores by
``w_j = 1 / s_j^2``.  ``s_j^2`` comes from the juror's residuals: with
``RSS_j`` their sum of squares and ``df_j = n_j - h_j`` their degrees of
freedom (``h_j`` the juror's share of the trace of the hat matrix:
what the fit itself took from those scores),
``RSS_j / df_j`` would be unbiased but noisy (a juror of 20 scores has some
13 degrees of freedom).  So each variance is shrunk toward the pooled one by
empirical Bayes, as limma does for genes (Smyth 2004, "Linear models and
empirical Bayes methods for assessing differential expression"): the
variances have a scaled inverse chi-squared prior with ``d0`` degrees of
freedom around ``s0^2``, estimated from all the jurors by the method of
moments on ``log(RSS_j / df_j)``, and each juror's posterior variance is::

    s_j^2 = (d0 s0^2 + RSS_j) / (d0 + df_j)

Jurors who all have the same noise give a large ``d0`` (``inf`` when the
spread of their variances is no more than chance): every weight 1, the
pooled model.  A juror noisier than the typical one gets a weight below 1,
a more precise one a weight above 1, up to a cap that falls to 1 as more of
the juror's scores pile up at their own lowest or highest score, where the
scale, not precision, keeps the residuals small (:func:`normalised_weights`,
:func:`weight_caps`).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special

MIN_JURORS = 3  # fewer jurors with residual degrees of freedom: no per-juror variance
MIN_DF = 0.5  # a juror with fewer residual degrees of freedom does not inform the prior
MAX_WEIGHT = 4.0  # the most a juror's weight may be: a juror of half the typical noise sd (weight_caps)
PILED_SHARE = 0.3  # ... down to 1 for a juror with this share of scores piled at their own ends


def _trigamma_inverse(y: float) -> float:
    """x with trigamma(x) = y (Newton's method on 1 / trigamma, as limma does)."""
    if y > 1e7:
        return 1.0 / math.sqrt(y)
    if y < 1e-6:
        return 1.0 / y
    x = 0.5 + 1.0 / y
    for _ in range(50):
        tri = float(special.polygamma(1, x))
        step = tri * (1.0 - tri / y) / float(special.polygamma(2, x))
        x += step
        if -step / x < 1e-10:
            break
    return x


def variance_prior(rss: np.ndarray, df: np.ndarray) -> tuple[float, float]:
    """(d0, s0^2): the scaled inverse chi-squared prior of the jurors' noise
    variances, by the method of moments on the log sample variances.
    ``d0 = inf`` when they vary no more than sampling explains."""
    ok = (df >= MIN_DF) & (rss > 0)
    if ok.sum() < MIN_JURORS:
        pooled = float(rss.sum() / df.sum()) if df.sum() > 0 else 0.0
        return math.inf, pooled
    half = df[ok] / 2.0
    z = np.log(rss[ok] / df[ok])
    e = z - special.digamma(half) + np.log(half)
    mean_e = float(e.mean())
    n = len(e)
    excess = float(np.mean((e - mean_e) ** 2 * n / (n - 1) - special.polygamma(1, half)))
    if excess <= 0:
        return math.inf, float(math.exp(mean_e))
    d0 = 2.0 * _trigamma_inverse(excess)
    s0 = math.exp(mean_e + float(special.digamma(d0 / 2.0)) - math.log(d0 / 2.0))
    return d0, s0


def shrunk_variances(rss: np.ndarray, df: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(each juror's posterior noise variance, d0, s0^2)."""
    d0, s0 = variance_prior(rss, df)
    if not math.isfinite(d0):
        return np.full(len(rss), s0), d0, s0
    df = np.maximum(df, 0.0)
    return (d0 * s0 + rss) / (d0 + df), d0, s0


def piled_share(x: np.ndarray, jj: np.ndarray, n_jurors: int) -> np.ndarray:
    """Each juror's share of scores tied at the juror's *own* lowest or highest
    score, beyond the first at each end (1 for a juror who gave one value).
    Adding a constant to a juror's scores (or stretching them) changes no
    share: the model stays invariant to a juror's level."""
    lo = np.full(n_jurors, np.inf)
    hi = np.full(n_jurors, -np.inf)
    np.minimum.at(lo, jj, x)
    np.maximum.at(hi, jj, x)
    tol = 1e-9 * np.maximum(1.0, np.abs(hi - lo))
    n = np.bincount(jj, minlength=n_jurors).astype(float)
    at_lo = np.bincount(jj, weights=(x - lo[jj] <= tol[jj]).astype(float), minlength=n_jurors)
    at_hi = np.bincount(jj, weights=(hi[jj] - x <= tol[jj]).astype(float), minlength=n_jurors)
    share = (np.maximum(at_lo - 1, 0) + np.maximum(at_hi - 1, 0)) / np.maximum(n, 1)
    return np.where(hi - lo <= tol, 1.0, np.minimum(share, 1.0))


def weight_caps(piled: np.ndarray) -> np.ndarray:
    """The most each juror's weight may be: ``MAX_WEIGHT`` for a juror with no
    scores piled at their own ends, falling linearly to 1 at a share of
    ``PILED_SHARE`` (and beyond).  A juror whose scores stray little from the
    fit may be precise, or may be severe or lenient enough to pile them up at
    an end of the scale, where they say little about the entries and the
    residuals are small because the scale stops them: measured
    (bench/bench_rankings.py), weights above 1 for all lost .003 of Kendall's
    tau at severity sd 3; capped so, they keep the gain with jurors of uneven
    noise (.003) and lose .0003 at most elsewhere."""
    return 1.0 + (MAX_WEIGHT - 1.0) * np.clip(1.0 - piled / PILED_SHARE, 0.0, 1.0)


def normalised_weights(variances: np.ndarray, n_juror: np.ndarray, caps: np.ndarray | float = 1.0) -> np.ndarray:
    """Each juror's weight, ``min(cap_j, s_typical^2 / s_j^2)`` with
    ``s_typical^2`` the median juror's variance (each juror counted by its
    scores): a juror noisier than the typical one counts for less, a more
    precise one for more up to their cap (:func:`weight_caps`; the default 1:
    none for more).  No variance to go by (a perfect fit): all 1."""
    if not len(variances):
        return np.ones(0)
    order = np.argsort(variances, kind="stable")
    cum = np.cumsum(n_juror[order])
    typical = float(variances[order][np.searchsorted(cum, cum[-1] / 2.0)])
    if not (typical > 0 and math.isfinite(typical)):
        return np.ones(len(variances))
    return np.minimum(caps, typical / np.maximum(variances, 1e-300))
