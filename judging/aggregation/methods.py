"""Score aggregation: rubric totals, per-entry statistics, juror severity
normalisation, rankings with ties, juror calibration.

Pure algorithm (no Flask, no database)::

    groups = aggregate(criteria, score_sets)            # by (round, category)
    g = groups[("final", "poem:9-12")]
    ranking = rank(g, "bias_adjusted")                   # or mean/median/zscore
    ranking.entries[0].entry_id, ranking.warnings

Severity normalisation, two methods:

* ``zscore``: each juror's totals are standardised with the juror's own
  mean and (population) sd within the round and category, then mapped back
  with the overall mean and sd of that group.  A juror with fewer than
  ``zscore_min_scores`` totals, or with zero variance, is only re-centred
  (``x - m_j + M``); a juror with a single total is left raw (one number
  says nothing about severity).
* ``bias_adjusted``: the shrinkage model of :mod:`judging.aggregation.model`
  (``x_ij = m + u_i + b_j + e_ij`` with a random entry effect and each
  juror's own noise, by REML): the entry's value is the mean of its scores
  less each juror's estimated bias, each score weighted by how consistently
  its juror scores.  On a well-linked design it is the least-squares fit
  (:mod:`judging.aggregation.bias`); on a weakly linked one it also uses the
  level of each juror's entries, so it never falls far below the mean.

Beside the ranking (pure functions too, for the pages and jobs that show them):
:mod:`judging.aggregation.links` (how well the design is linked, the blocks
and what would join them), :mod:`judging.aggregation.uncertainty`
(probability of the top N and rank intervals per entry),
:mod:`judging.aggregation.final_round` (which entries need more scores) and
:func:`judging.aggregation.ranking.boundary_ties`.

All explanations are :class:`judging.reason.Reason` codes + parameters.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from judging.aggregation.bias import BiasFit, Design, fit_additive_bias
from judging.aggregation.model import ModelFit, fit_model
from judging.aggregation.ranking import BoundaryTie, RankedEntry, Ranking, boundary_ties, kendall_tau, rank_entries
from judging.reason import Reason, sort_key

__all__ = [
    "Criterion", "ScoreSet", "AggregationOptions", "EntryStats", "JurorStats",
    "GroupResult", "Ranking", "RankedEntry", "BiasFit", "ModelFit", "METHODS",
    "weighted_total", "aggregate", "aggregate_group", "zscore_normalise",
    "fit_additive_bias", "fit_model", "BoundaryTie", "boundary_ties", "juror_calibration", "rank",
    "rank_entries", "kendall_tau",
]

METHODS = ("mean", "median", "zscore", "bias_adjusted")
_EPS = 1e-12


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float = 1.0
    min: float = 0.0
    max: float = 10.0
    step: float | None = None  # None: any value in [min, max]


@dataclass(frozen=True)
class ScoreSet:
    juror_id: Hashable
    entry_id: Hashable
    values: Mapping[str, float] = field(hash=False)
    round: Hashable = None
    category: Hashable = None


@dataclass(frozen=True)
class AggregationOptions:
    scale: tuple[float, float] = (0.0, 10.0)  # where weighted totals live
    sd_threshold: float | None = 2.0  # disagreement if sd above (None: off)
    range_threshold: float | None = 4.0  # ... or max - min above (None: off)
    precision: int = 6  # digits kept before comparing values for ties
    tie_break_criteria: tuple[str, ...] = ()  # criterion means, in this order
    zscore_min_scores: int = 3  # fewer: juror only re-centred
    bias_constraint: str = "sum"  # or "weighted"


@dataclass
class EntryStats:
    entry_id: Hashable
    n: int
    mean: float
    median: float
    sd: float  # sample sd (n - 1); 0.0 for a single score
    min: float
    max: float
    range: float
    disagreement: bool
    zscore: float  # mean of the juror-normalised totals
    bias_adjusted: float  # mean of the scores less each juror's bias, weighted by each juror's noise (model)
    criterion_means: dict  # criterion key -> mean raw value


@dataclass
class JurorStats:
    juror_id: Hashable
    n: int
    mean: float
    sd: float  # sample sd; 0.0 with fewer than 2 scores
    others_mean: float | None  # others' mean on the same entries
    mean_difference: float | None  # mean of (own - others' mean) per shared entry
    n_shared: int  # entries this juror shares with at least one other
    bias: float  # bias estimate of the shrinkage model (+ = lenient)
    zscore_mode: str  # "scaled" | "centred" | "raw"


@dataclass
class GroupResult:
    round: Hashable
    category: Hashable
    criteria: tuple[Criterion, ...]
    totals: dict  # (juror id, entry id) -> weighted total
    normalised: dict  # (juror id, entry id) -> z-score-normalised total
    entries: dict  # entry id -> EntryStats
    jurors: dict  # juror id -> JurorStats
    bias: BiasFit  # the shrinkage model's values and biases, with the design's components
    overall_mean: float
    overall_sd: float  # population sd of all totals
    warnings: list[Reason]
    model: ModelFit | None = None  # the fitted model, for the uncertainty and the final round


# -- validation and totals ---------------------------------------------------
def _finite(x, what: str) -> float:
    if isinstance(x, (bool, str, bytes)) or x is None:
        raise ValueError(f"{what} must be a number")
    try:
        x = float(x)  # int, float, Decimal, Fraction
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{what} must be a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} must be finite")
    return x


def check_criteria(criteria: Sequence[Criterion]) -> tuple[Criterion, ...]:
    crit = tuple(criteria)
    if not crit:
        raise ValueError("a rubric needs at least one criterion")
    keys = [c.key for c in crit]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate criterion key")
    for c in crit:
        w = _finite(c.weight, f"weight of {c.key}")
        lo, hi = _finite(c.min, f"min of {c.key}"), _finite(c.max, f"max of {c.key}")
        if w < 0 or hi <= lo:
            raise ValueError(f"criterion {c.key}: weight < 0 or max <= min")
        if c.step is not None and _finite(c.step, f"step of {c.key}") <= 0:
            raise ValueError(f"criterion {c.key}: step must be positive")
    if sum(c.weight for c in crit) <= 0:
        raise ValueError("weights sum to zero")
    return crit


def weighted_total(criteria: Sequence[Criterion], values: Mapping[str, float],
                   scale: tuple[float, float] = (0.0, 10.0)) -> float:
    """Weighted mean of the criteria, each first mapped onto [0, 1] by its
    own min/max, then onto ``scale``.  Raises ValueError on a missing,
    unknown, non-finite, out-of-range or off-step value."""
    crit = check_criteria(criteria)
    lo_s, hi_s = _finite(scale[0], "scale"), _finite(scale[1], "scale")
    extra = set(values) - {c.key for c in crit}
    if extra:
        raise ValueError(f"unknown criteria {sorted(extra)}")
    acc = 0.0
    wsum = 0.0
    for c in crit:
        if c.key not in values:
            raise ValueError(f"missing value for {c.key}")
        v = _finite(values[c.key], f"value of {c.key}")
        if v < c.min - 1e-9 or v > c.max + 1e-9:
            raise ValueError(f"value of {c.key} outside [{c.min}, {c.max}]")
        if c.step is not None:
            q = (v - c.min) / c.step
            if abs(q - round(q)) > 1e-6:
                raise ValueError(f"value of {c.key} not on a step of {c.step}")
        acc += c.weight * (v - c.min) / (c.max - c.min)
        wsum += c.weight
    return lo_s + (hi_s - lo_s) * acc / wsum


# -- normalisation -------------------------------------------------------------
def _pop_sd(xs: Sequence[float]) -> float:
    return statistics.pstdev(xs) if len(xs) > 1 else 0.0


def zscore_normalise(totals: Mapping[tuple, float], min_scores: int = 3
                     ) -> tuple[dict, dict]:
    """{(juror, entry): total} -> ({(juror, entry): normalised}, {juror: mode})."""
    if not totals:
        return {}, {}
    d = Design(totals)
    big_m = float(d.x.mean())
    big_s = float(np.sqrt(np.mean((d.x - big_m) ** 2))) if d.size > 1 else 0.0
    m = d.juror_sums(d.x) / d.n_juror
    s = np.sqrt(d.juror_sums((d.x - m[d.jj]) ** 2) / d.n_juror)
    raw = d.n_juror == 1
    centred = ~raw & ((d.n_juror < min_scores) | (s <= _EPS) | (big_s <= _EPS))
    mj, sj = m[d.jj], np.where(s > _EPS, s, 1.0)[d.jj]
    out = np.select([raw[d.jj], centred[d.jj]], [d.x, d.x - mj + big_m], big_m + big_s * (d.x - mj) / sj)
    modes = dict(zip(d.jurors, np.where(raw, "raw", np.where(centred, "centred", "scaled")).tolist()))
    return dict(zip(totals, out.tolist())), modes


def juror_calibration(totals: Mapping[tuple, float], bias: Mapping | None = None,
                      modes: Mapping | None = None) -> dict:
    """Each juror's count, mean, sd and how the juror compares with the other
    jurors of the same entries."""
    by_entry: dict = {}
    by_juror: dict = {}
    for (j, i), x in totals.items():
        by_entry.setdefault(i, {})[j] = x
        by_juror.setdefault(j, []).append((i, x))
    out = {}
    for j in sorted(by_juror, key=sort_key):
        lst = by_juror[j]
        xs = [x for _, x in lst]
        diffs, others = [], []
        for i, x in lst:
            rest = [y for jj, y in by_entry[i].items() if jj != j]
            if rest:
                o = statistics.fmean(rest)
                others.append(o)
                diffs.append(x - o)
        out[j] = JurorStats(
            juror_id=j, n=len(xs), mean=statistics.fmean(xs),
            sd=statistics.stdev(xs) if len(xs) > 1 else 0.0,
            others_mean=statistics.fmean(others) if others else None,
            mean_difference=statistics.fmean(diffs) if diffs else None,
            n_shared=len(diffs), bias=(bias or {}).get(j, 0.0),
            zscore_mode=(modes or {}).get(j, "raw"))
    return out


# -- one group ---------------------------------------------------------------------
def aggregate_group(criteria: Sequence[Criterion], score_sets: Iterable[ScoreSet],
                    options: AggregationOptions = AggregationOptions(), *,
                    round_id=None, category=None) -> GroupResult:
    """All statistics of one round and category."""
    crit = check_criteria(criteria)
    totals: dict = {}
    raw: dict = {}
    for s in score_sets:
        key = (s.juror_id, s.entry_id)
        if key in totals:
            raise ValueError(f"two score sets of juror {s.juror_id!r} for entry {s.entry_id!r}")
        totals[key] = weighted_total(crit, s.values, options.scale)
        raw[key] = {c.key: float(s.values[c.key]) for c in crit}
    normalised, modes = zscore_normalise(totals, options.zscore_min_scores)
    model = fit_model(totals, constraint=options.bias_constraint)
    n_comp, comp = model.design.components()
    fit = BiasFit(mu=model.value, bias=model.bias, components=n_comp, connected=n_comp <= 1, iterations=0,
                  converged=True, residual_sd=model.sigma_noise,
                  component_of=dict(zip(model.design.jurors, comp.tolist())))
    xs = list(totals.values())
    warnings: list[Reason] = []
    where = {"round": round_id, "category": category}
    if not fit.connected:
        warnings.append(Reason("design_not_linked", dict(where, components=fit.components)))
    by_entry: dict = {}
    for (j, i) in totals:
        by_entry.setdefault(i, []).append(j)
    entries = {}
    for i in sorted(by_entry, key=sort_key):
        js = by_entry[i]
        vals = [totals[(j, i)] for j in js]
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        rng = max(vals) - min(vals)
        dis = len(vals) > 1 and (
            (options.sd_threshold is not None and sd > options.sd_threshold + _EPS)
            or (options.range_threshold is not None and rng > options.range_threshold + _EPS))
        entries[i] = EntryStats(
            entry_id=i, n=len(vals), mean=statistics.fmean(vals),
            median=statistics.median(vals), sd=sd, min=min(vals), max=max(vals),
            range=rng, disagreement=dis,
            zscore=statistics.fmean(normalised[(j, i)] for j in js),
            bias_adjusted=fit.mu[i],
            criterion_means={c.key: statistics.fmean(raw[(j, i)][c.key] for j in js)
                             for c in crit})
        if dis:
            warnings.append(Reason("scores_disagree", dict(
                where, entry_id=i, sd=round(sd, 3), range=round(rng, 3), n=len(vals))))
    return GroupResult(
        round=round_id, category=category, criteria=crit, totals=totals,
        normalised=normalised, entries=entries,
        jurors=juror_calibration(totals, fit.bias, modes), bias=fit,
        overall_mean=statistics.fmean(xs) if xs else 0.0,
        overall_sd=_pop_sd(xs), warnings=warnings, model=model)


def aggregate(criteria: Sequence[Criterion] | Mapping[tuple, Sequence[Criterion]],
              score_sets: Iterable[ScoreSet],
              options: AggregationOptions = AggregationOptions()) -> dict:
    """Group score sets by (round, category) and aggregate each group.
    ``criteria``: one rubric for all, or {(round, category): rubric}."""
    groups: dict = {}
    for s in score_sets:
        groups.setdefault((s.round, s.category), []).append(s)
    out = {}
    for key in sorted(groups, key=lambda k: (sort_key(k[0]), sort_key(k[1]))):
        crit = criteria[key] if isinstance(criteria, Mapping) else criteria
        out[key] = aggregate_group(crit, groups[key], options,
                                   round_id=key[0], category=key[1])
    return out


def method_values(group: GroupResult, method: str) -> dict:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
    return {i: getattr(st, method) for i, st in group.entries.items()}


def rank(group: GroupResult, method: str = "mean", options: AggregationOptions | None = None,
         manual_order: Sequence[Hashable] | None = None) -> Ranking:
    """Rank a group's entries by ``method`` ("mean", "median", "zscore",
    "bias_adjusted"); ties: ``options.tie_break_criteria`` means in turn,
    then ``manual_order``, else flagged ``tie_secretariat_decides``."""
    options = options or AggregationOptions()
    keys = {c.key for c in group.criteria}
    for c in options.tie_break_criteria:
        if c not in keys:
            raise ValueError(f"tie-break criterion {c!r} not in the rubric")
    tie_break = [(c, {i: st.criterion_means[c] for i, st in group.entries.items()})
                 for c in options.tie_break_criteria]
    ranking = rank_entries(method_values(group, method), method=method,
                           precision=options.precision, tie_break=tie_break,
                           manual_order=manual_order,
                           context={"round": group.round, "category": group.category})
    if method == "bias_adjusted" and not group.bias.connected:
        ranking.warnings.insert(0, Reason("design_not_linked", {
            "round": group.round, "category": group.category,
            "components": group.bias.components}))
    return ranking
