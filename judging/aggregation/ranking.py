"""Ranking with explicit tie handling, ties across award boundaries, and Kendall's tau.

Ties are broken as the secretariat configured: by the criteria of
``tie_break`` in turn (the round's ``tie_criterion_key`` first, see
``judging.results.service.tie_break_keys``), then by the secretariat's
``manual_order``; what is still tied shares a rank.  :func:`boundary_ties`
reports such a tie when it straddles an award boundary (the prize places,
the end of the shortlist): the entries involved, for the page that asks for
a recorded reason before awarding across it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

from judging.reason import Reason, sort_key

TIE_EPS = 1e-9


@dataclass
class RankedEntry:
    entry_id: Hashable
    rank: int  # competition ranking: unresolved ties share a rank (1, 2, 2, 4)
    value: float | None
    rounded: float | None
    tie_group: int | None = None  # entries tied on the value share a number
    resolution: str | None = None  # None | "criterion" | "manual" | "secretariat_decides"
    tie_break_values: dict = field(default_factory=dict)  # criterion -> mean


@dataclass
class Ranking:
    method: str
    entries: list[RankedEntry]
    warnings: list[Reason]

    def order(self) -> list:
        return [r.entry_id for r in self.entries]


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= TIE_EPS


def _split(ids: list, key: Mapping, precision: int) -> list[list]:
    """Group ids (sorted by descending key, None last) into runs of equal
    rounded key."""
    def val(i):
        v = key.get(i)
        return None if v is None else round(v, precision)

    ordered = sorted(ids, key=lambda i: (val(i) is None, -(val(i) or 0.0), sort_key(i)))
    runs: list[list] = []
    for i in ordered:
        if runs:
            prev = val(runs[-1][0])
            cur = val(i)
            if (prev is None and cur is None) or (
                    prev is not None and cur is not None and _equal(prev, cur)):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


def rank_entries(values: Mapping[Hashable, float | None], *, method: str = "",
                 precision: int = 6,
                 tie_break: Sequence[tuple[str, Mapping[Hashable, float | None]]] = (),
                 manual_order: Sequence[Hashable] | None = None,
                 context: Mapping | None = None) -> Ranking:
    """Rank entries by ``values`` (higher first; None last).

    Values are rounded to ``precision`` digits and compared within 1e-9.
    Tied entries are separated by each ``(criterion key, {entry: mean})`` of
    ``tie_break`` in turn (higher first); what is still tied is ordered by
    ``manual_order`` when it lists all of them (the secretariat's decision),
    otherwise it stays tied, shares a rank and is flagged
    ``secretariat_decides``.
    """
    manual_pos = {e: n for n, e in enumerate(manual_order or ())}
    out: list[RankedEntry] = []
    warnings: list[Reason] = []
    group_no = 0
    position = 0
    for run in _split(list(values), values, precision):
        group = None
        if len(run) > 1:
            group_no += 1
            group = group_no
        pieces = [(run, None)]
        for crit, means in tie_break:
            nxt = []
            for ids, how in pieces:
                if len(ids) == 1:
                    nxt.append((ids, how))
                    continue
                sub = _split(ids, means, precision)
                for s in sub:
                    nxt.append((s, "criterion" if len(sub) > 1 else how))
            pieces = nxt
        for ids, how in pieces:
            if len(ids) > 1:
                if all(i in manual_pos for i in ids):
                    ids = sorted(ids, key=manual_pos.__getitem__)
                    how = "manual"
                else:
                    how = "secretariat_decides"
                    params = dict(context or {})
                    params.update({"method": method, "entries": list(ids),
                                   "value": _r(values.get(ids[0]), precision),
                                   "rank": position + 1})
                    warnings.append(Reason("tie_secretariat_decides", params))
            shared = position + 1
            for n, i in enumerate(ids):
                position += 1
                v = values.get(i)
                out.append(RankedEntry(
                    entry_id=i,
                    rank=shared if how == "secretariat_decides" else position,
                    value=v, rounded=_r(v, precision), tie_group=group,
                    resolution=how if group is not None else None,
                    tie_break_values={c: _r(m.get(i), precision) for c, m in tie_break}
                    if group is not None else {}))
    return Ranking(method=method, entries=out, warnings=warnings)


@dataclass(frozen=True)
class BoundaryTie:
    boundary: int  # the last place of an award (e.g. 1, 2, 3 or the end of the shortlist)
    rank: int  # the rank the tied entries share
    entries: tuple  # the tied entries, in the ranking's order
    value: float | None  # their (rounded) value

    def reason(self, **context) -> Reason:
        return Reason("tie_at_award_boundary", dict(context, boundary=self.boundary, rank=self.rank,
                                                    entries=list(self.entries), value=self.value))


def boundary_ties(ranking: Ranking, boundaries: Sequence[int]) -> list[BoundaryTie]:
    """Unresolved ties that straddle a boundary: tied entries holding places
    ``rank .. rank + size - 1`` with ``rank <= boundary < rank + size - 1``,
    so that the award cannot follow the ranking.  One per boundary and tie."""
    groups: dict = {}
    for r in ranking.entries:
        if r.resolution == "secretariat_decides":
            groups.setdefault((r.tie_group, r.rank), []).append(r)
    out = []
    for b in sorted({int(b) for b in boundaries}):
        for (_, rank), members in sorted(groups.items(), key=lambda t: t[0][1]):
            if rank <= b < rank + len(members) - 1:
                out.append(BoundaryTie(b, rank, tuple(m.entry_id for m in members), members[0].rounded))
    return out


def _r(v, precision):
    return None if v is None else round(v, precision)


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b of two paired sequences (ties handled); NaN when one
    of them is constant.  O(n^2), fine for a category's entries."""
    if len(x) != len(y):
        raise ValueError("sequences differ in length")
    for v in list(x) + list(y):
        if not math.isfinite(v):
            raise ValueError("values must be finite")
    n = len(x)
    conc = disc = tx = ty = 0
    for a in range(n):
        xa, ya = x[a], y[a]
        for b in range(a + 1, n):
            dx = (x[b] > xa) - (x[b] < xa)
            dy = (y[b] > ya) - (y[b] < ya)
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif dx == dy:
                conc += 1
            else:
                disc += 1
    denom = math.sqrt((conc + disc + tx) * (conc + disc + ty))
    return float("nan") if denom == 0 else (conc - disc) / denom
