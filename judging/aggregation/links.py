"""How well is a jury design linked?  Blocks of jurors, the entries joining them, and what would fix them.

Juror biases are compared through the entries jurors share.  The juror
graph joins two jurors by each entry they both scored, with weight
``1 / n_i`` (``n_i`` the entry's jurors): its Laplacian ``L`` is the
system of the least-squares bias fit (:mod:`judging.aggregation.bias`), so

* the standard error of juror ``j``'s bias is ``s_e * sqrt(L+_jj)``
  (``L+`` the pseudo-inverse, biases summing to 0);
* the standard error of the difference between the average biases of two
  groups of jurors A and B is ``s_e * sqrt(v' L+ v)``, ``v = 1_A/|A| - 1_B/|B|``;
* the algebraic connectivity (second-smallest eigenvalue of the normalised
  Laplacian) is 0 for a design in pieces and small for one that hangs on a
  few entries.

Blocks are found by recursive spectral bisection: the jurors are ordered by
the Fiedler vector of their block, the best-conductance cut of that order
is taken, and kept when the two sides' levels are known less precisely than
``target_se``; components of the graph are blocks from the start.  For the
pairs of blocks on a maximum spanning tree of the block graph whose levels
are not known to ``target_se``, ``needed`` is the number of more entries to
score across the two blocks (one juror of the other block on an entry of
the block) to get there.

    report = diagnose_links(scores_or_pairs, juror_labels={juror: "Lisbon"})
    report.blocks[0].labels, report.links[0].needed, report.reasons

Works on the design alone (``(juror, entry)`` pairs, before any score:
``noise_sd`` then defaults to 1 point) or on a scored group.
:mod:`judging.assignment.preference` uses the blocks to make an assignment
better linked without changing anyone's load.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np
from scipy import linalg

from judging.aggregation.bias import Design, single_threaded
from judging.reason import Reason, sort_key


@dataclass(frozen=True)
class Block:
    index: int  # 0, 1, ... (largest first)
    jurors: tuple
    labels: tuple  # the jurors' labels (e.g. cities), most frequent first; () when none given
    entries: int  # entries scored only by this block's jurors

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None


@dataclass(frozen=True)
class BlockLink:
    a: int  # block indices, a < b
    b: int
    shared_entries: int  # entries scored by jurors of both blocks
    offset_se: float  # s.e. of the difference of the blocks' average biases (inf: not linked)
    needed: int  # more entries to score across the two blocks to reach the target (0: enough)
    on_tree: bool  # one of the links that join all blocks (the ones worth strengthening)


@dataclass
class LinkReport:
    connectivity: float  # algebraic connectivity of the normalised juror graph (0: in pieces)
    components: int
    noise_sd: float
    target_se: float
    bias_se: dict  # juror id -> s.e. of its least-squares bias (inf alone in its component)
    blocks: list[Block] = field(default_factory=list)
    links: list[BlockLink] = field(default_factory=list)
    reasons: list = field(default_factory=list)  # Reason("design_weak_link", ...) per link to strengthen

    @property
    def weak(self) -> bool:
        return any(lk.needed for lk in self.links)

    def block_of(self) -> dict:
        return {j: b.index for b in self.blocks for j in b.jurors}


def _pinv_quadratic(lpinv: np.ndarray, comp: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Variance factor of mean(bias over a) - mean(bias over b); inf across components."""
    if set(comp[a].tolist()) != set(comp[b].tolist()) or len(set(comp[a].tolist())) != 1:
        return math.inf
    v = np.zeros(len(lpinv))
    v[a] += 1.0 / len(a)
    v[b] -= 1.0 / len(b)
    return float(v @ lpinv @ v)


def _split(lap: np.ndarray, idx: np.ndarray):
    """Best-conductance sweep cut of the jurors ``idx`` (their own graph)
    along its Fiedler vector: (one side, the other) or None."""
    adj = -lap[np.ix_(idx, idx)]
    np.fill_diagonal(adj, 0.0)
    deg = adj.sum(axis=1)
    if np.any(deg <= 1e-12):
        return None
    norm = np.eye(len(idx)) - adj / np.sqrt(np.outer(deg, deg))
    _, vecs = linalg.eigh(norm, subset_by_index=[0, 1])
    order = np.argsort(vecs[:, 1] / np.sqrt(deg), kind="stable")
    best, cut_at = math.inf, None
    inside = np.zeros(len(idx), dtype=bool)
    cut, vol, total = 0.0, 0.0, float(deg.sum())
    for n in range(len(idx) - 2):
        j = order[n]
        cut += float(adj[j, ~inside].sum() - adj[j, inside].sum())
        inside[j] = True
        vol += deg[j]
        if n >= 1:
            cond = cut / max(min(vol, total - vol), 1e-12)
            if cond < best:
                best, cut_at = cond, n
    if cut_at is None:
        return None
    return idx[order[:cut_at + 1]], idx[order[cut_at + 1:]]


def diagnose_links(design: Mapping[tuple, float] | Iterable[tuple], *, juror_labels: Mapping | None = None,
                   noise_sd: float | None = None, target_se: float = 0.3) -> LinkReport:
    """Diagnose the linkage of ``(juror, entry)`` pairs (or a scores mapping
    with those keys).  ``noise_sd``: the scores' noise (the fitted ``s_e``;
    default 1 point); ``target_se``: how precisely (points) the levels of two
    blocks should be known."""
    keys = list(design.keys()) if isinstance(design, Mapping) else list(design)
    if not target_se > 0:
        raise ValueError("target_se must be positive")
    d = Design({k: 0.0 for k in keys})
    sigma = 1.0 if noise_sd is None or not noise_sd > 0 else float(noise_sd)
    report = LinkReport(0.0, 0, sigma, target_se, {})
    if not d.size:
        return report
    n_comp, comp = d.components()
    lap = d.juror_laplacian().toarray()
    with single_threaded():
        lpinv = np.zeros_like(lap)
        for c in range(n_comp):
            idx = np.flatnonzero(comp == c)
            if len(idx) > 1:
                lpinv[np.ix_(idx, idx)] = linalg.pinvh(lap[np.ix_(idx, idx)])
        deg = np.maximum(np.diag(lap), 1e-12)
        norm = lap / np.sqrt(np.outer(deg, deg))
        conn = float(linalg.eigvalsh(norm, subset_by_index=[1, 1])[0]) if len(lap) > 1 and n_comp == 1 else 0.0
        blocks = [np.flatnonzero(comp == c) for c in range(n_comp)]
        todo = list(blocks)
        blocks = []
        while todo:
            idx = todo.pop()
            parts = _split(lap, idx) if len(idx) >= 4 else None
            if parts is not None and sigma * math.sqrt(_pinv_quadratic(lpinv, comp, *parts)) > target_se:
                todo += list(parts)
            else:
                blocks.append(np.sort(idx))
    count = Counter(comp.tolist())
    report.connectivity = max(conn, 0.0)
    report.components = n_comp
    report.bias_se = {j: (sigma * math.sqrt(max(lpinv[n, n], 0.0)) if count[comp[n]] > 1 else math.inf)
                      for n, j in enumerate(d.jurors)}
    blocks.sort(key=lambda b: (-len(b), sort_key(d.jurors[b[0]])))
    block_of = np.empty(len(d.jurors), dtype=np.int64)
    for n, b in enumerate(blocks):
        block_of[b] = n
    entry_blocks: dict = {}
    for i, j in zip(d.ii.tolist(), d.jj.tolist()):
        entry_blocks.setdefault(i, set()).add(int(block_of[j]))
    labels = juror_labels or {}
    for n, b in enumerate(blocks):
        names = Counter(labels[d.jurors[j]] for j in b if labels.get(d.jurors[j]) is not None)
        report.blocks.append(Block(n, tuple(d.jurors[j] for j in b),
                                   tuple(x for x, _ in sorted(names.items(), key=lambda t: (-t[1], str(t[0])))),
                                   sum(1 for s in entry_blocks.values() if s == {n})))
    _links(report, blocks, entry_blocks, lpinv, comp, sigma, float(np.median(d.n_entry)))
    return report


def _links(report: LinkReport, blocks, entry_blocks, lpinv, comp, sigma, k: float) -> None:
    shared = Counter()
    for s in entry_blocks.values():
        for a in s:
            for b in s:
                if a < b:
                    shared[(a, b)] += 1
    pairs = {}
    for a in range(len(blocks)):
        for b in range(a + 1, len(blocks)):
            pairs[(a, b)] = sigma * math.sqrt(_pinv_quadratic(lpinv, comp, blocks[a], blocks[b]))
    # maximum spanning tree of the block graph: the best-known pairs first (Kruskal)
    parent = list(range(len(blocks)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tree = set()
    for (a, b), se in sorted(pairs.items(), key=lambda t: (t[1], -shared[t[0]], t[0])):
        if find(a) != find(b):
            parent[find(a)] = find(b)
            tree.add((a, b))
    per_entry = max(k - 1.0, 1.0) / max(k, 1.0)  # link weight one cross-scored entry adds
    for (a, b), se in pairs.items():
        if not shared[(a, b)] and (a, b) not in tree:
            continue
        needed = 0
        if (a, b) in tree and se > report.target_se:
            have = 0.0 if math.isinf(se) else (sigma / se) ** 2
            needed = max(1, math.ceil(((sigma / report.target_se) ** 2 - have) / per_entry))
        report.links.append(BlockLink(a, b, shared[(a, b)], se, needed, (a, b) in tree))
        if needed:
            ba, bb = report.blocks[a], report.blocks[b]
            report.reasons.append(Reason("design_weak_link", {
                "a": ba.label, "b": bb.label, "a_index": a, "b_index": b, "needed": needed,
                "shared": shared[(a, b)], "offset_se": None if math.isinf(se) else round(se, 3)}))
