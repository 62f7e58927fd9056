"""Additive juror-bias model fitted by exact least squares (numpy/scipy).

    score[i, j] = mu[i] + b[j] + error        (entry i, juror j)

with ``sum_j b[j] = 0`` (or ``sum_j n_j b[j] = 0``, "weighted") inside each
connected component of the entries--jurors design.  Eliminating ``mu``
leaves the normal equations for ``b``::

    L b = r,   L = D_J - N' D_I^-1 N,   r_j = sum_{i in I(j)} (x_ij - mean_i)

``L`` is the Laplacian of the juror graph (jurors joined by the entries
they share, each entry weighing ``1 / n_i``): symmetric, positive
semi-definite, null space = the constants on each component.  Up to
``DENSE_LIMIT`` jurors each component is solved exactly (one juror grounded,
a dense solve); above, the sparse system goes to conjugate gradients
(``scipy.sparse.linalg.cg``, Jacobi preconditioner) started at 0, which stays
in the range of ``L``.  Then ``mu_i = mean_j (x_ij - b_j)``.

A design with several components is solved per component but their
levels cannot be compared: ``connected`` is False and the caller says so.

:class:`Design` indexes a ``{(juror, entry): total}`` mapping into arrays;
the shrinkage model, the link diagnosis and the uncertainty reuse it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Mapping

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.sparse.linalg import cg
from threadpoolctl import threadpool_limits

DENSE_LIMIT = 1500  # jurors per component solved by a dense factorisation


def single_threaded():
    """One BLAS thread while the block runs: the matrices here are a few hundred
    rows wide, where OpenBLAS's threads cost far more than they save (a
    300 x 300 Cholesky took 120 ms with them on a busy 2-core machine, 3 ms
    without), and the app's workers already share the cores."""
    return threadpool_limits(limits=1, user_api="blas")


@dataclass
class BiasFit:
    mu: dict  # entry id -> bias-adjusted score
    bias: dict  # juror id -> estimated additive bias (+ = lenient)
    components: int
    connected: bool
    iterations: int
    converged: bool
    residual_sd: float
    component_of: dict = field(default_factory=dict)  # juror id -> component index


class Design:
    """The arrays of one group's scores: ``jj[s]``, ``ii[s]``, ``x[s]`` for
    score ``s``; jurors and entries numbered in order of first appearance."""

    def __init__(self, scores: Mapping[tuple[Hashable, Hashable], float]):
        jurors: dict = {}
        entries: dict = {}
        jj, ii, xs = [], [], []
        for (j, i), v in scores.items():
            v = float(v)
            if not math.isfinite(v):
                raise ValueError("scores must be finite")
            jj.append(jurors.setdefault(j, len(jurors)))
            ii.append(entries.setdefault(i, len(entries)))
            xs.append(v)
        self.jurors = list(jurors)
        self.entries = list(entries)
        self.jj = np.asarray(jj, dtype=np.int64)
        self.ii = np.asarray(ii, dtype=np.int64)
        self.x = np.asarray(xs, dtype=float)
        self.n_juror = np.bincount(self.jj, minlength=len(jurors)).astype(float)
        self.n_entry = np.bincount(self.ii, minlength=len(entries)).astype(float)
        # entry x juror incidence (one 1 per score)
        self.incidence = sparse.csr_matrix((np.ones(len(xs)), (self.ii, self.jj)),
                                           shape=(len(entries), len(jurors)))

    @property
    def size(self) -> int:
        return len(self.x)

    def score_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(s, s'): every ordered pair of scores of the same entry, a score with itself included."""
        if not hasattr(self, "_score_pairs"):
            order = np.argsort(self.ii, kind="stable")
            ii = self.ii[order]
            starts = np.searchsorted(ii, np.arange(len(self.entries)))
            counts = self.n_entry.astype(np.int64)
            rep = np.repeat(np.arange(len(ii)), counts[ii])
            offset = np.arange(len(rep)) - np.repeat(np.cumsum(counts[ii]) - counts[ii], counts[ii])
            self._score_pairs = (order[rep], order[starts[ii[rep]] + offset])
        return self._score_pairs

    def weighted_cooccurrence(self, entry_weight: np.ndarray) -> np.ndarray:
        """Dense ``N' diag(entry_weight) N``: for jurors j, j' the sum of
        ``entry_weight[i]`` over the entries both scored (diagonal: all of j's)."""
        if not hasattr(self, "_pairs"):
            first, second = self.score_pairs()
            self._pairs = (self.jj[first] * len(self.jurors) + self.jj[second], self.ii[first])
        flat, entry = self._pairs
        size = len(self.jurors)
        return np.bincount(flat, weights=entry_weight[entry], minlength=size * size).reshape(size, size)

    def juror_laplacian(self, entry_extra: float = 0.0, juror_weight: np.ndarray | None = None
                        ) -> sparse.csr_matrix:
        """``diag(w_j n_j) - W N' diag(1 / (n_i + entry_extra)) N W`` (``n_i``
        the sum of the weights ``w`` of the entry's jurors, all 1 by
        default): with 0 the Laplacian of the juror graph, with
        ``entry_extra > 0`` (a random entry effect) positive definite."""
        if juror_weight is None:
            w = sparse.diags(1.0 / (self.n_entry + entry_extra))
            return (sparse.diags(self.n_juror) - self.incidence.T @ w @ self.incidence).tocsr()
        hw = (self.incidence @ sparse.diags(juror_weight)).tocsr()
        n_i = np.asarray(hw.sum(axis=1)).ravel()
        lap = sparse.diags(juror_weight * self.n_juror) - hw.T @ sparse.diags(1.0 / (n_i + entry_extra)) @ hw
        return lap.tocsr()

    def components(self) -> tuple[int, np.ndarray]:
        """(number of components, component index of each juror), numbered by
        the first juror of each component."""
        if not self.jurors:
            return 0, np.zeros(0, dtype=np.int64)
        adj = (self.incidence.T @ self.incidence).tocsr()
        n, labels = csgraph.connected_components(adj, directed=False)
        first: dict = {}
        for lab in labels:
            first.setdefault(int(lab), len(first))
        return n, np.array([first[int(lab)] for lab in labels], dtype=np.int64)

    def entry_sums(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.ii, weights=values, minlength=len(self.entries))

    def juror_sums(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.jj, weights=values, minlength=len(self.jurors))


def solve_laplacian(lap: sparse.csr_matrix, rhs: np.ndarray, comp: np.ndarray, n_comp: int, *,
                    tol: float = 1e-12, dense_limit: int = DENSE_LIMIT) -> tuple[np.ndarray, int, bool]:
    """A solution of ``lap b = rhs`` for a graph Laplacian whose ``rhs``
    sums to 0 on every component: (b, cg iterations, converged)."""
    b = np.zeros(len(rhs))
    iterations, converged = 0, True
    for c in range(n_comp):
        idx = np.flatnonzero(comp == c)
        if len(idx) < 2:
            continue
        sub = lap[idx][:, idx]
        if len(idx) <= dense_limit:
            dense = sub.toarray()
            b[idx[1:]] = np.linalg.solve(dense[1:, 1:], rhs[idx[1:]])
            continue
        count = [0]

        def step(_):
            count[0] += 1

        diag = sub.diagonal()
        pre = sparse.diags(1.0 / np.where(diag > 0, diag, 1.0))
        scale = float(np.linalg.norm(rhs[idx])) + 1.0
        sol, info = cg(sub, rhs[idx], rtol=0.0, atol=tol * scale, M=pre,
                       maxiter=10 * len(idx) + 50, callback=step)
        b[idx] = sol
        iterations += count[0]
        resid = float(np.linalg.norm(sub @ sol - rhs[idx]))
        converged = converged and (info == 0 or resid <= 1e-9 * scale)
    return b, iterations, converged


def apply_constraint(b: np.ndarray, comp: np.ndarray, n_comp: int, weights: np.ndarray | None) -> np.ndarray:
    """Shift ``b`` so that it sums to 0 (weighted by ``weights`` if given) on every component."""
    w = np.ones(len(b)) if weights is None else weights
    sums = np.bincount(comp, weights=w * b, minlength=n_comp)
    mass = np.bincount(comp, weights=w, minlength=n_comp)
    return b - (sums / np.where(mass > 0, mass, 1.0))[comp]


def fit_additive_bias(scores: Mapping[tuple[Hashable, Hashable], float], *,
                      constraint: str = "sum", tol: float = 1e-12,
                      dense_limit: int = DENSE_LIMIT, juror_weight: Mapping | None = None) -> BiasFit:
    """``scores``: {(juror id, entry id): total}.  ``constraint``: "sum"
    (biases sum to 0) or "weighted" (sum of n_j * b_j is 0).
    ``juror_weight``: {juror id: weight of each of the juror's scores}
    (weighted least squares; default 1 for all)."""
    if constraint not in ("sum", "weighted"):
        raise ValueError(f"unknown constraint {constraint!r}")
    d = Design(scores)
    if not d.size:
        return BiasFit({}, {}, 0, True, 0, True, 0.0)
    w = np.ones(len(d.jurors)) if juror_weight is None else np.array([float(juror_weight[j]) for j in d.jurors])
    if not np.all(w > 0) or not np.all(np.isfinite(w)):
        raise ValueError("juror weights must be positive and finite")
    ws = w[d.jj]
    n_i = d.entry_sums(ws)
    entry_mean = d.entry_sums(ws * d.x) / n_i
    rhs = w * d.juror_sums(d.x - entry_mean[d.ii])
    n_comp, comp = d.components()
    with single_threaded():
        b, iterations, converged = solve_laplacian(d.juror_laplacian(juror_weight=w), rhs, comp, n_comp, tol=tol,
                                                   dense_limit=dense_limit)
    b = apply_constraint(b, comp, n_comp, d.n_juror if constraint == "weighted" else None)
    mu = d.entry_sums(ws * (d.x - b[d.jj])) / n_i
    sse = float(np.sum(ws * (d.x - mu[d.ii] - b[d.jj]) ** 2))
    dof = d.size - len(d.entries) - len(d.jurors) + n_comp
    return BiasFit(mu=dict(zip(d.entries, mu.tolist())), bias=dict(zip(d.jurors, b.tolist())),
                   components=n_comp, connected=n_comp <= 1, iterations=iterations, converged=converged,
                   residual_sd=math.sqrt(sse / dof) if dof > 0 else 0.0,
                   component_of=dict(zip(d.jurors, comp.tolist())))
