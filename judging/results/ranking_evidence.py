"""How far a category's ranking can be defended: uncertainty per entry, weak links, boundary ties, thin evidence.

Pure (no Flask, no database): it takes one category's aggregated group and ranking (what
``results_service.load_category`` or a results job produces) and returns plain records that the
ranking page, the awards and the exports read.

    ev = category_evidence(group, ranking, k=3, top_n=13, juror_labels={juror_id: "Lisbon"})
    ev.entries[entry_id].p_top, .rank_low, .rank_high, .settled, .thin
    ev.weak_links        # [WeakLink(a=("Lisbon",), b=("Dublin",), needed=3)]
    ev.boundary_ties     # [BoundaryTie(boundary=3, rank=3, entries=(...))]

* The probability of the top ``top_n`` and the rank interval come from the bias model's posterior
  (:func:`judging.aggregation.uncertainty.rank_uncertainty`), seeded so the page never flickers.
* The weak links are those of :func:`judging.aggregation.links.diagnose_links`, with the blocks named
  by their jurors' labels (cities) and the number of entries to score across them.
* Entries with fewer submitted score sets than the round's ``k`` are ``thin``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

from judging.aggregation.links import diagnose_links
from judging.aggregation.ranking import BoundaryTie, Ranking, boundary_ties
from judging.aggregation.uncertainty import rank_uncertainty

PRIZE_PLACES = (1, 2, 3)
DEFAULT_TOP_N = 10  # prizes plus shortlist when no shortlist is set yet
DRAWS = 400
SEED = 2026


@dataclass(frozen=True)
class EntryEvidence:
    entry_id: Hashable
    n: int  # submitted score sets counted
    thin: bool  # fewer than the round's k
    p_top: float | None  # probability of being in the top N (None: no model)
    rank_low: int | None
    rank_high: int | None
    settled: bool  # its place (top N, prize places) is known with 90% confidence either way


@dataclass(frozen=True)
class WeakLink:
    a: tuple  # labels of the jurors of one block (cities), most frequent first; () when unknown
    b: tuple
    a_size: int  # jurors in each block
    b_size: int
    shared: int  # entries already scored across the two blocks
    needed: int  # more entries to score across them


@dataclass
class Evidence:
    top_n: int
    k: int
    entries: dict = field(default_factory=dict)  # entry id -> EntryEvidence
    weak_links: list[WeakLink] = field(default_factory=list)
    boundary_ties: list[BoundaryTie] = field(default_factory=list)
    components: int = 1

    @property
    def unsettled(self) -> list:
        return [i for i, e in self.entries.items() if not e.settled]

    @property
    def thin(self) -> list:
        return [i for i, e in self.entries.items() if e.thin]

    def tie_of(self, entry_id) -> BoundaryTie | None:
        """The first boundary tie ``entry_id`` is part of."""
        return next((t for t in self.boundary_ties if entry_id in t.entries), None)


def top_n_for(entries: int, shortlist: int = 0, prizes: int = len(PRIZE_PLACES)) -> int:
    """N = prizes plus the shortlist (``DEFAULT_TOP_N`` before one is set).  When that leaves no entry out
    (a small category), the prize places alone, then 1: a probability of 100% for everyone says nothing."""
    n = prizes + shortlist if shortlist > 0 else DEFAULT_TOP_N
    for candidate in (n, prizes, 1):
        if candidate < entries:
            return max(1, candidate)
    return 1


def category_evidence(group, ranking: Ranking, *, k: int, top_n: int,
                      juror_labels: Mapping | None = None, prize_places: Sequence[int] = PRIZE_PLACES,
                      draws: int = DRAWS, seed: int = SEED) -> Evidence:
    """The evidence behind one category's ``ranking`` of ``group`` (an ``aggregation.GroupResult``)."""
    if k < 1 or top_n < 1:
        raise ValueError("k and top_n must be positive")
    ev = Evidence(top_n=top_n, k=k)
    if group is None or not group.entries:
        return ev
    ev.boundary_ties = boundary_ties(ranking, sorted({*prize_places, top_n}))
    model = getattr(group, "model", None)
    unc = None
    if model is not None and model.design.size and len(group.entries) > 1:
        unc = rank_uncertainty(model, min(top_n, len(group.entries)), boundaries=prize_places, draws=draws, seed=seed)
    for i, st in group.entries.items():
        u = unc.entries.get(i) if unc else None
        ev.entries[i] = EntryEvidence(
            entry_id=i, n=st.n, thin=st.n < k, p_top=None if u is None else u.p_top,
            rank_low=None if u is None else u.rank_low, rank_high=None if u is None else u.rank_high,
            settled=True if u is None else u.settled)
    report = diagnose_links(group.totals, juror_labels=juror_labels or {},
                            noise_sd=model.sigma_noise if model is not None else None)
    ev.components = report.components
    for link in report.links:
        if link.needed:
            a, b = report.blocks[link.a], report.blocks[link.b]
            ev.weak_links.append(WeakLink(a.labels, b.labels, len(a.jurors), len(b.jurors), link.shared_entries,
                                          link.needed))
    return ev
