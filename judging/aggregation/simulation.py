"""Seeded simulation of a jury, for measuring the ranking methods (pure numpy/scipy).

Entries have a true quality ``q_i ~ N(5, 1.5^2)``.  Juror ``j`` has a
severity ``s_j ~ N(0, severity_sd^2)``, a spread ``a_j`` (the part of the
scale the juror uses: 1 = all of it) and a noise ``n_j``, and gives::

    x_ij = clip(round_to_step(5 + a_j (q_i - 5) + s_j + n_j e_ij), 0, 10)

The design is balanced (every entry ``k`` jurors, loads within one), either
well linked (random) or in city blocks: the jurors and entries are split
into ``blocks`` groups scored within the group, then ``shared`` entries are
swapped across groups (a swap trades one juror of each of two entries from
different groups, so loads stay equal), first along a chain that joins
every group, then at random.

:func:`ceiling_values` is the reference: the posterior mean of each
quality given the scores, for an estimator that knows every juror's
severity, spread and noise and models the rounding and the clipping.
:func:`bias_blind_values` knows all that but the severities (a Gaussian
posterior): how far the ceiling is out of reach of any estimate of the
biases, which a weakly linked design makes large.

    world = make_world(Scenario(), seed=1)
    pairs = make_design(world.scenario, seed=1)
    scores = score(world, pairs, seed=1)          # {(juror, entry): value}
    tau(world.quality, ceiling_values(world, scores))
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse, stats


@dataclass(frozen=True)
class Scenario:
    name: str = "base"
    entries: int = 300
    jurors: int = 30
    k: int = 3
    severity_sd: float = 1.5
    noise_sd: float = 1.0
    quality_mean: float = 5.0
    quality_sd: float = 1.5
    spread: tuple[float, float] = (1.0, 1.0)  # a_j uniform in this range
    noise_range: tuple[float, float] = (1.0, 1.0)  # n_j = noise_sd * uniform in this range
    blocks: int = 1
    shared: int = 0  # entries scored across blocks
    scale: tuple[float, float] = (0.0, 10.0)
    step: float | None = 1.0

    def but(self, **kw) -> "Scenario":
        return replace(self, **kw)


@dataclass
class World:
    scenario: Scenario
    quality: np.ndarray  # by entry index
    severity: np.ndarray  # by juror index
    spread: np.ndarray
    noise: np.ndarray


def make_world(sc: Scenario, seed: int) -> World:
    rng = np.random.default_rng([seed, 1])
    return World(sc, rng.normal(sc.quality_mean, sc.quality_sd, sc.entries),
                 rng.normal(0.0, sc.severity_sd, sc.jurors), rng.uniform(*sc.spread, sc.jurors),
                 sc.noise_sd * rng.uniform(*sc.noise_range, sc.jurors))


def _balanced(entries: list[int], jurors: list[int], k: int, rng, load: dict) -> list[tuple[int, int]]:
    """Each entry gets the k least-loaded jurors (ties at random)."""
    if k > len(jurors):
        raise ValueError("k is larger than the number of jurors")
    pairs = []
    for e in rng.permutation(entries).tolist():
        key = rng.random(len(jurors))
        order = sorted(range(len(jurors)), key=lambda n: (load[jurors[n]], key[n]))
        for n in order[:k]:
            load[jurors[n]] += 1
            pairs.append((e, jurors[n]))
    return pairs


def make_design(sc: Scenario, seed: int) -> list[tuple[int, int]]:
    """(entry index, juror index) pairs."""
    rng = np.random.default_rng([seed, 2])
    load = {j: 0 for j in range(sc.jurors)}
    if sc.blocks <= 1:
        return _balanced(list(range(sc.entries)), list(range(sc.jurors)), sc.k, rng, load)
    e_block = np.arange(sc.entries) % sc.blocks
    j_block = np.arange(sc.jurors) % sc.blocks
    pairs = []
    for b in range(sc.blocks):
        pairs += _balanced(np.flatnonzero(e_block == b).tolist(), np.flatnonzero(j_block == b).tolist(),
                           sc.k, rng, load)
    by_entry: dict = {}
    for e, j in pairs:
        by_entry.setdefault(e, []).append(j)
    used: set = set()
    chain = rng.permutation(sc.blocks).tolist()
    links = [(chain[n], chain[n + 1]) for n in range(sc.blocks - 1)]
    for _ in range(max(0, sc.shared // 2 - len(links))):
        a, b = rng.choice(sc.blocks, 2, replace=False).tolist()
        links.append((a, b))
    for a, b in links[:sc.shared // 2]:
        ea = rng.choice([e for e in np.flatnonzero(e_block == a).tolist() if e not in used])
        eb = rng.choice([e for e in np.flatnonzero(e_block == b).tolist() if e not in used])
        ja, jb = by_entry[ea][0], by_entry[eb][0]
        by_entry[ea][0], by_entry[eb][0] = jb, ja
        used.update((int(ea), int(eb)))
    return [(e, j) for e in sorted(by_entry) for j in by_entry[e]]


def add_jurors(sc: Scenario, pairs, extra: dict, seed: int) -> list[tuple[int, int]]:
    """New (entry, juror) pairs: ``extra[e]`` more jurors for entry ``e``,
    none who scored it already, the least loaded in this round first."""
    rng = np.random.default_rng([seed, 4])
    have: dict = {}
    for e, j in pairs:
        have.setdefault(e, set()).add(j)
    load = np.zeros(sc.jurors)
    out = []
    for e in sorted(extra, key=lambda e: (-extra[e], e)):
        free = [j for j in range(sc.jurors) if j not in have.get(e, ())]
        key = rng.random(len(free))
        for n in sorted(range(len(free)), key=lambda n: (load[free[n]], key[n]))[:extra[e]]:
            load[free[n]] += 1
            out.append((e, free[n]))
    return out


def _observe(w: World, e: np.ndarray, j: np.ndarray, rng) -> np.ndarray:
    sc = w.scenario
    y = sc.quality_mean + w.spread[j] * (w.quality[e] - sc.quality_mean) + w.severity[j] \
        + w.noise[j] * rng.standard_normal(len(e))
    if sc.step:
        y = sc.scale[0] + np.round((y - sc.scale[0]) / sc.step) * sc.step
    return np.clip(y, *sc.scale)


def score(w: World, pairs, seed: int, stream: int = 3) -> dict:
    """{(juror index, entry index): value} for the (entry, juror) pairs."""
    rng = np.random.default_rng([seed, stream])
    e = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    x = _observe(w, e, j, rng)
    return {(int(jj), int(ee)): float(v) for ee, jj, v in zip(e, j, x)}


def ceiling_values(w: World, scores: dict, grid: int = 241) -> dict:
    """{entry: posterior mean of its quality} knowing every juror's severity,
    spread and noise, with the rounding and the clipping modelled."""
    sc = w.scenario
    keys = list(scores)
    j = np.array([k[0] for k in keys], dtype=np.int64)
    e = np.array([k[1] for k in keys], dtype=np.int64)
    x = np.array([scores[k] for k in keys])
    q = sc.quality_mean + sc.quality_sd * np.linspace(-6, 6, grid)
    centre = sc.quality_mean + w.spread[j][:, None] * (q[None, :] - sc.quality_mean) + w.severity[j][:, None]
    sd = w.noise[j][:, None]
    if sc.step:
        h = sc.step / 2
        lo = np.where(x <= sc.scale[0] + 1e-9, -np.inf, x - h)[:, None]
        hi = np.where(x >= sc.scale[1] - 1e-9, np.inf, x + h)[:, None]
        a, b = (lo - centre) / sd, (hi - centre) / sd
        # log(Phi(b) - Phi(a)), stable in both tails (np.where computes both branches)
        with np.errstate(divide="ignore", invalid="ignore"):
            loglik = np.where(a > 0, stats.norm.logsf(a) + np.log1p(-np.exp(np.minimum(
                stats.norm.logsf(b) - stats.norm.logsf(a), -1e-300))),
                stats.norm.logcdf(b) + np.log1p(-np.exp(np.minimum(
                    stats.norm.logcdf(a) - stats.norm.logcdf(b), -1e-300))))
    else:
        loglik = stats.norm.logpdf(x[:, None], centre, sd)
    entries = np.unique(e)
    pos = np.searchsorted(entries, e)
    acc = sparse.csr_matrix((np.ones(len(e)), (pos, np.arange(len(e)))), shape=(len(entries), len(e))) @ loglik
    acc += stats.norm.logpdf(q, sc.quality_mean, sc.quality_sd)[None, :]
    acc -= acc.max(axis=1, keepdims=True)
    wgt = np.exp(acc)
    post = (wgt @ q) / wgt.sum(axis=1)
    return dict(zip(entries.tolist(), post.tolist()))


def bias_blind_values(w: World, scores: dict) -> dict:
    """{entry: posterior mean of its quality} for an estimator that knows
    every juror's spread and noise and the distribution of the severities,
    but not the severities themselves; Gaussian (the rounding counts as noise
    of variance step^2 / 12, the clipping is ignored).  What the data can say
    at best when the biases must be estimated: the part of the ceiling that
    no bias model can reach is ``ceiling - bias_blind`` (large when the
    design is weakly linked)."""
    sc = w.scenario
    keys = list(scores)
    j = np.array([k[0] for k in keys], dtype=np.int64)
    e = np.array([k[1] for k in keys], dtype=np.int64)
    x = np.array([scores[k] for k in keys]) - sc.quality_mean
    entries = np.unique(e)
    pos = np.searchsorted(entries, e)
    n_e, n_j = len(entries), sc.jurors
    design = sparse.csr_matrix((np.concatenate([w.spread[j], np.ones(len(j))]),
                                (np.tile(np.arange(len(j)), 2), np.concatenate([pos, n_e + j]))),
                               shape=(len(j), n_e + n_j))
    precision = 1.0 / (w.noise[j] ** 2 + (sc.step ** 2 / 12 if sc.step else 0.0))
    prior = np.concatenate([np.full(n_e, sc.quality_sd ** -2.0), np.full(n_j, max(sc.severity_sd, 1e-6) ** -2.0)])
    a = (design.T @ sparse.diags(precision) @ design).toarray() + np.diag(prior)
    theta = np.linalg.solve(a, design.T @ (precision * x))
    return dict(zip(entries.tolist(), (sc.quality_mean + theta[:n_e]).tolist()))


# -- measures ---------------------------------------------------------------------------------------------
def as_array(values: dict, n: int) -> np.ndarray:
    """Values by entry index; an entry without a value ranks last."""
    out = np.full(n, -np.inf)
    for i, v in values.items():
        out[int(i)] = -np.inf if v is None else v
    return out


def strict_order(values: np.ndarray) -> np.ndarray:
    """Scores 0..n-1 (higher is better) with ties broken by index: a ranking
    must place tied entries somehow, and the entries are in random order."""
    out = np.empty(len(values))
    out[np.lexsort((-np.arange(len(values)), values))] = np.arange(len(values))
    return out


def tau(truth: np.ndarray, estimate: np.ndarray) -> float:
    """Kendall's tau of the estimate's strict order (ties broken by index)
    with the truth.  Left tied, tau-b would credit a coarse method (the mean
    of three integer scores takes some 30 values) for every pair it does not
    order: enough to lift the mean above the ceiling at severity sd .5."""
    return float(stats.kendalltau(truth, strict_order(estimate)).statistic)


def top(values: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n highest values; ties by index (entries are in random order)."""
    return np.argsort(-strict_order(values), kind="stable")[:n]


def top_precision(truth: np.ndarray, estimate: np.ndarray, n: int = 10) -> float:
    return len(set(top(truth, n).tolist()) & set(top(estimate, n).tolist())) / n


def mean_sd(xs) -> tuple[float, float]:
    xs = list(xs)
    return float(np.mean(xs)), float(np.std(xs, ddof=1)) / math.sqrt(len(xs)) if len(xs) > 1 else 0.0
