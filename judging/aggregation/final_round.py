"""A final round that settles the top: which entries need more scores, and how many.

After round 1 each entry's true quality has a posterior mean and sd
(:func:`judging.aggregation.uncertainty.posterior_moments`).  An entry is
placed on the wrong side of a boundary (the top N, a prize place) with
probability ``Phi(-|mean - c| / sd)``, ``c`` the value that separates the
places.  ``m`` more scores make the sd ``sd_m = (1/sd^2 + m/s_e^2)^-1/2``, and
before they are given, the mean they will produce is
``N(mean, sd^2 - sd_m^2)``; so the expected error after them is::

    E[ Phi(-|mean' - c| / sd_m) ],   mean' ~ N(mean, sd^2 - sd_m^2)

(Gauss-Hermite quadrature).  :func:`propose_final_round` hands out the
``budget`` of extra score sets one by one, each to the entry whose expected
error drops most, at most ``max_per_entry`` per entry: the scores go where
the ranking is uncertain, around the boundaries, not to entries sure to be
in or out.  It plans on the posterior sd widened by ``PLANNING_SD``: the
posterior leaves out the uncertainty of the variance parameters and the
clipping at the ends of the scale (on the simulation the true qualities lie
1.08 posterior sds from their means, root mean square, not 1), and a
one-step plan is short-sighted, spending too little on entries a little
further from the boundary.

It does much better in two waves (:func:`waves`): propose two thirds of the
budget, let those scores come in, refit on everything, and propose the rest
on the new evidence, up to ``SECOND_WAVE_MAX_PER_ENTRY`` more jurors each.
bench/bench_rankings.py, base design, 100 seeds, round 1 = 900 score sets,
225 more (25%): top-10 precision .79 in one go, .82 in two waves (see the
bench's table for the figures of the run).

The final ranking refits the same model (:func:`judging.aggregation.model.fit_model`)
on every score of both rounds together: each entry's value is the mean of
all its scores, from both rounds, less each juror's bias estimated from
everything that juror scored, each score weighted by its juror's noise.  :func:`combine_rounds` merges the two rounds'
scores (a juror who scored an entry twice counts once, with the later
score) and returns the :class:`~judging.reason.Reason` that says so
(``final_combines_rounds``; the English text for the UI is in
``FINAL_RANKING_EXPLANATION``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

import numpy as np
from scipy import special

from judging.aggregation.model import ModelFit
from judging.aggregation.uncertainty import posterior_moments
from judging.reason import Reason, sort_key

FINAL_RANKING_EXPLANATION = (
    "The final ranking uses every score from both rounds: each entry's value is the mean of all its scores "
    "less each juror's bias, estimated from everything that juror scored in either round; the scores of a juror who "
    "scores consistently count for more than those of an erratic one.")
PLANNING_SD = 1.1  # the posterior sd is widened by this much when planning (measured: bench/bench_rankings.py)
MAX_PER_ENTRY = 8  # most extra jurors proposed for one entry, by default (and in a first wave)
FIRST_WAVE = 2 / 3  # share of the budget proposed in the first of two waves
SECOND_WAVE_MAX_PER_ENTRY = 12  # the second wave concentrates on the entries still at a boundary
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(24)  # for E[f(Z)], Z ~ N(0, 1)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


@dataclass
class Proposal:
    extra: dict  # entry id -> number of additional jurors (only entries that get some)
    total: int  # extra score sets proposed (<= budget)
    budget: int
    boundaries: tuple[int, ...]
    p_top: dict  # entry id -> probability of the top N now (entries in the proposal)
    expected_errors_before: float  # expected number of entries on the wrong side of a boundary
    expected_errors_after: float
    reasons: list = field(default_factory=list)  # Reason codes for the UI

    def order(self) -> list:
        """The proposed entries, most extra jurors first."""
        return sorted(self.extra, key=lambda i: (-self.extra[i], sort_key(i)))


def _phi(z):
    return 0.5 * special.erfc(-np.asarray(z) / math.sqrt(2.0))


def expected_error(mean: np.ndarray, sd: np.ndarray, cut: float, noise_sd: float, extra: np.ndarray) -> np.ndarray:
    """Expected probability of misplacing each entry relative to ``cut``
    after ``extra`` more scores of noise ``noise_sd``."""
    sd = np.maximum(sd, 1e-12)
    sd_m = 1.0 / np.sqrt(1.0 / sd ** 2 + extra / max(noise_sd, 1e-12) ** 2)
    spread = np.sqrt(np.maximum(sd ** 2 - sd_m ** 2, 0.0))
    means = mean[:, None] + spread[:, None] * _NODES[None, :]
    return (_phi(-np.abs(means - cut) / sd_m[:, None]) * _WEIGHTS[None, :]).sum(axis=1)


def propose_final_round(fit: ModelFit, top_n: int, budget: int, *, boundaries: Sequence[int] = (),
                        max_per_entry: int = MAX_PER_ENTRY, available: Mapping[Hashable, int] | None = None) -> Proposal:
    """Spend ``budget`` extra score sets where they settle the places most.

    ``boundaries``: other places that matter (e.g. 1, 2, 3), besides the top
    ``top_n``.  ``max_per_entry``: most extra jurors for one entry;
    ``available``: {entry id: jurors still able to score it} lowers that cap
    for the entries it lists (jurors who already scored it, or have a
    conflict, cannot).
    """
    if top_n < 1 or budget < 0 or max_per_entry < 0:
        raise ValueError("top_n must be positive, budget and max_per_entry not negative")
    d = fit.design
    bounds = tuple(sorted({int(b) for b in boundaries if 1 <= b < len(d.entries)}
                          | ({int(top_n)} if top_n < len(d.entries) else set())))
    mean, sd_now = posterior_moments(fit)
    sd = sd_now * PLANNING_SD
    if not bounds or not d.size:
        return Proposal({}, 0, budget, bounds, {}, 0.0, 0.0)
    order = np.sort(mean)[::-1]
    cuts = [(order[b - 1] + order[b]) / 2 for b in bounds]
    cap = np.full(len(d.entries), max_per_entry)
    if available is not None:
        cap = np.minimum(cap, [max(0, int(available.get(i, max_per_entry))) for i in d.entries])

    def error(idx, extra):
        return sum(expected_error(mean[idx], sd[idx], c, fit.sigma_noise, extra) for c in cuts)

    every = np.arange(len(d.entries))
    extra = np.zeros(len(d.entries))
    now = error(every, extra)
    before = float(now.sum())
    gain = now - error(every, extra + 1)
    gain[cap <= 0] = -np.inf
    for _ in range(budget):
        best = int(np.argmax(gain))
        if not gain[best] > 1e-9:
            break
        extra[best] += 1
        now[best] -= gain[best]
        gain[best] = (now[best] - error([best], extra[[best]] + 1)[0]) if extra[best] < cap[best] else -np.inf
    p_now = _phi((mean - cuts[bounds.index(int(top_n))]) / np.maximum(sd_now, 1e-12)) if top_n in bounds else \
        np.ones(len(mean))
    chosen = {d.entries[n]: int(extra[n]) for n in np.flatnonzero(extra)}
    proposal = Proposal(extra=chosen, total=int(extra.sum()), budget=budget, boundaries=bounds,
                        p_top={d.entries[n]: float(p_now[n]) for n in np.flatnonzero(extra)},
                        expected_errors_before=before, expected_errors_after=float(now.sum()))
    proposal.reasons.append(Reason("final_round_proposed", {
        "entries": len(chosen), "score_sets": proposal.total, "budget": budget, "top_n": top_n,
        "expected_errors_before": round(before, 2), "expected_errors_after": round(proposal.expected_errors_after, 2)}))
    return proposal


def waves(budget: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """((budget, max_per_entry) of the first wave, the same of the second)
    for a ``budget`` spent in two: propose the first with
    :func:`propose_final_round`, collect those scores, refit the model on both
    rounds' scores (:func:`combine_rounds`) and propose the second on the new
    evidence, when fewer entries are still uncertain and each of them can take
    more jurors."""
    if budget < 0:
        raise ValueError("budget must not be negative")
    first = int(round(budget * FIRST_WAVE))
    return (first, MAX_PER_ENTRY), (budget - first, SECOND_WAVE_MAX_PER_ENTRY)


def combine_rounds(*rounds: Mapping[tuple, float]) -> tuple[dict, Reason]:
    """Every round's ``{(juror, entry): total}`` in one mapping for
    :func:`judging.aggregation.model.fit_model`, and the Reason that explains
    the final ranking.  A juror who scored the same entry in two rounds
    counts once, with the later score (the juror's latest judgement; the two
    are not independent opinions)."""
    merged: dict = {}
    for scores in rounds:
        merged.update(scores)
    entries = {i for _, i in merged}
    return merged, Reason("final_combines_rounds", {"rounds": len(rounds), "entries": len(entries),
                                                    "score_sets": len(merged)})
