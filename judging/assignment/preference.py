"""Make an assignment better linked without changing anyone's load (pure; for the assignment to call).

Given one category's (entry, juror) pairs and blocks of jurors (from
:func:`judging.aggregation.links.diagnose_links` on the planned pairs, or
from the jurors' cities or languages), :func:`strengthen_links` swaps
jurors between entries of two blocks::

    (e1, j1), (e2, j2)  ->  (e1, j2), (e2, j1)      j1 in block A, j2 in block B

Every juror keeps its load and every entry its number of jurors, so the
assignment's balance is kept exactly; each swap makes two more entries
scored across A and B.  Only ``movable`` pairs change (never kept or
scored ones), and only where ``eligible(entry, juror)`` allows (language,
conflict, category, forbidden pairs).  The pairs of blocks to join and how
many cross entries each needs come from ``wanted``, e.g.
``{(a, b): link.needed for link in report.links if link.needed}``.

Integration (in ``judging/assignment/assign.py``, after ``repair_links`` joins the
components, per category)::

    report = diagnose_links([(j, e) for e, j in pairs], juror_labels=cities)
    wanted = {(lk.a, lk.b): lk.needed for lk in report.links if lk.needed}
    pairs, swaps, short = strengthen_links(pairs, movable, eligible, report.block_of(), wanted, sort_key)
"""
from __future__ import annotations

from typing import Callable, Hashable, Mapping

from judging.aggregation.links import diagnose_links

Pair = tuple[Hashable, Hashable]


def strengthen_category(pairs: list[Pair], movable: set[Pair], eligible: Callable[[Hashable, Hashable], bool],
                        sort_key: Callable = lambda x: (type(x).__name__, x)) -> tuple[list[Pair], int, dict]:
    """Diagnose one category's planned ``(entry, juror)`` pairs and swap
    jurors across its weakly linked blocks (what :func:`judging.assignment.assign.assign`
    calls per category).  Same return as :func:`strengthen_links`; the pairs
    are unchanged when the design is already well linked."""
    report = diagnose_links([(j, e) for e, j in pairs])
    wanted = {(lk.a, lk.b): lk.needed for lk in report.links if lk.needed}
    if not wanted:
        return list(pairs), 0, {}
    out, swaps, short = strengthen_links(pairs, movable, eligible, report.block_of(), wanted, sort_key)
    # a swap can cut a bridge elsewhere: keep the result only if it is as connected and better linked
    if not swaps:
        return out, 0, short
    after = diagnose_links([(j, e) for e, j in out])
    if after.components > report.components or _missing(after) >= _missing(report):
        return list(pairs), 0, dict(wanted)
    return out, swaps, short


def _missing(report) -> int:
    return sum(lk.needed for lk in report.links)


def _home(jurors, block_of) -> int | None:
    """The block of an entry whose jurors are all in one block; None otherwise."""
    blocks = {block_of.get(j) for j in jurors}
    return blocks.pop() if len(blocks) == 1 else None


def strengthen_links(pairs: list[Pair], movable: set[Pair], eligible: Callable[[Hashable, Hashable], bool],
                     block_of: Mapping[Hashable, int], wanted: Mapping[tuple[int, int], int],
                     sort_key: Callable = lambda x: (type(x).__name__, x)
                     ) -> tuple[list[Pair], int, dict]:
    """Swap jurors across blocks until each pair of blocks in ``wanted`` has
    that many more entries scored across it (two per swap), or no allowed
    swap is left.  Returns (pairs, swaps made, {block pair: cross entries
    still missing}).  Deterministic: candidates are tried in ``sort_key``
    order."""
    jurors_of: dict = {}
    for e, j in pairs:
        jurors_of.setdefault(e, set()).add(j)
    movable = set(movable) & set(pairs)
    short = {tuple(sorted(k)): int(v) for k, v in wanted.items() if v > 0}
    swaps = 0
    for (a, b) in sorted(short):
        while short[(a, b)] > 0:
            found = _find_swap(a, b, jurors_of, movable, eligible, block_of, sort_key)
            if found is None:
                break
            (e1, j1), (e2, j2) = found
            for e, old, new in ((e1, j1, j2), (e2, j2, j1)):
                jurors_of[e].discard(old)
                jurors_of[e].add(new)
                movable.discard((e, old))
                movable.add((e, new))
            swaps += 1
            short[(a, b)] = max(0, short[(a, b)] - 2)
    out = sorted(((e, j) for e, js in jurors_of.items() for j in js), key=lambda p: (sort_key(p[0]), sort_key(p[1])))
    return out, swaps, {k: v for k, v in short.items() if v > 0}


def _find_swap(a, b, jurors_of, movable, eligible, block_of, sort_key):
    """A movable pair of an entry scored only in block a and one of an entry
    scored only in block b whose jurors can trade places."""
    def candidates(block):
        return sorted(((e, j) for (e, j) in movable
                       if block_of.get(j) == block and _home(jurors_of[e], block_of) == block),
                      key=lambda p: (sort_key(p[0]), sort_key(p[1])))

    side_b = candidates(b)
    for e1, j1 in candidates(a):
        for e2, j2 in side_b:
            if j2 in jurors_of[e1] or j1 in jurors_of[e2]:
                continue
            if eligible(e1, j2) and eligible(e2, j1):
                return (e1, j1), (e2, j2)
    return None
