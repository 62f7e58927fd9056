"""Normalised input of the jury assignment and its eligibility rules.

A juror may take an entry when the juror judges its category (``categories``
and caps not zero), is not in conflict with it, the pair was not removed by
hand, the juror reads one of the entry's languages (or the entry has none)
and the juror has room left under the caps once kept pairs are counted.
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Iterable

from judging.reason import Reason, sort_key


def pair_key(p):
    return (sort_key(p[0]), sort_key(p[1]))


def _norm_langs(langs: Iterable[str]) -> frozenset:
    return frozenset(str(x).strip().lower() for x in langs if str(x).strip())


def below(rng: random.Random, n: int) -> int:
    """Uniform int in [0, n) from getrandbits only (stable across versions)."""
    bits = n.bit_length()
    r = rng.getrandbits(bits)
    while r >= n:
        r = rng.getrandbits(bits)
    return r


class Instance:
    """Normalised, sorted input plus eligibility look-ups."""

    def __init__(self, entries, jurors, k, keep, forbidden):
        self.k = k
        self.entries: dict = {}
        for e in sorted(entries, key=lambda x: sort_key(x.id)):
            if e.id in self.entries:
                raise ValueError(f"duplicate entry id {e.id!r}")
            if e.k is not None and e.k < 1:
                raise ValueError(f"entry {e.id!r}: k must be at least 1")
            self.entries[e.id] = replace(e, category=str(e.category),
                                         languages=_norm_langs(e.languages),
                                         conflicts=frozenset(e.conflicts))
        self.jurors: dict = {}
        for j in sorted(jurors, key=lambda x: sort_key(x.id)):
            if j.id in self.jurors:
                raise ValueError(f"duplicate juror id {j.id!r}")
            if j.cap is not None and j.cap < 0:
                raise ValueError(f"negative cap for juror {j.id!r}")
            self.jurors[j.id] = j
        self.juror_langs = {j.id: _norm_langs(j.languages) for j in self.jurors.values()}
        self.categories = sorted({e.category for e in self.entries.values()})
        self.warnings: list[Reason] = []

        self.kept = sorted(set(tuple(p) for p in keep), key=pair_key)
        self.kept_by_entry: dict = {}
        self.kept_load: dict = {j: 0 for j in self.jurors}
        self.kept_cat_load: dict = {}
        for e, j in self.kept:
            self.kept_by_entry.setdefault(e, set()).add(j)
            ent = self.entries.get(e)
            if j in self.jurors:
                self.kept_load[j] += 1
                if ent is not None:
                    key = (j, ent.category)
                    self.kept_cat_load[key] = self.kept_cat_load.get(key, 0) + 1
            if ent is None:
                self.warnings.append(Reason("kept_pair_unknown_entry",
                                            {"entry_id": e, "juror_id": j}))
                continue
            if j in ent.conflicts:
                self.warnings.append(Reason("kept_pair_conflict",
                                            {"entry_id": e, "juror_id": j}))
            if j in self.jurors and ent.languages and not (
                    ent.languages & self.juror_langs[j]):
                self.warnings.append(Reason("kept_pair_language",
                                            {"entry_id": e, "juror_id": j}))
        for e in sorted(self.kept_by_entry, key=sort_key):
            if e in self.entries and len(self.kept_by_entry[e]) > self.k_of(e, k):
                self.warnings.append(Reason("entry_over_assigned", {
                    "entry_id": e, "kept": len(self.kept_by_entry[e]), "k": self.k_of(e, k)}))
        for j, load in self.kept_load.items():
            cap = self.jurors[j].cap
            if cap is not None and load > cap:
                self.warnings.append(Reason("kept_pairs_exceed_cap", {
                    "juror_id": j, "kept": load, "cap": cap}))
        self.forbidden_by_entry: dict = {}
        for e, j in forbidden:
            self.forbidden_by_entry.setdefault(e, set()).add(j)
        self.need = {e: max(0, self.k_of(e, k) - len(self.kept_by_entry.get(e, ())))
                     for e in self.entries}

        self.cat_jurors: dict = {}
        for c in self.categories:
            self.cat_jurors[c] = [j for j in self.jurors
                                  if self.judges(j, c) and self.room(j, c) > 0]
        self._readers: dict = {}

    # -- caps -------------------------------------------------------------
    def cat_cap(self, j, c):
        caps = self.jurors[j].category_caps
        if caps is None or c not in caps:
            return None
        return caps[c]

    def caps(self, j, c) -> tuple[int | None, int | None]:
        """(category cap, overall cap) of juror j, kept pairs included."""
        return self.cat_cap(j, c), self.jurors[j].cap

    def judges(self, j, c) -> bool:
        spec = self.jurors[j]
        if spec.categories is not None and c not in spec.categories:
            return False
        cc = self.cat_cap(j, c)
        return (cc is None or cc > 0) and (spec.cap is None or spec.cap > 0)

    def room(self, j, c) -> int | None:
        """New entries juror j may still take in category c (None: no limit)."""
        spec = self.jurors[j]
        left = None
        if spec.cap is not None:
            left = spec.cap - self.kept_load[j]
        cc = self.cat_cap(j, c)
        if cc is not None:
            lc = cc - self.kept_cat_load.get((j, c), 0)
            left = lc if left is None else min(left, lc)
        return 1 if left is None else left  # only the sign matters here

    def overall_room(self, j) -> int | None:
        cap = self.jurors[j].cap
        return None if cap is None else max(0, cap - self.kept_load[j])

    def cat_room(self, j, c) -> int | None:
        cc = self.cat_cap(j, c)
        return None if cc is None else max(0, cc - self.kept_cat_load.get((j, c), 0))

    # -- eligibility ------------------------------------------------------
    def readers(self, c, langs) -> tuple[list, set]:
        key = (c, langs)
        got = self._readers.get(key)
        if got is None:
            if langs:
                lst = [j for j in self.cat_jurors[c] if self.juror_langs[j] & langs]
            else:
                lst = list(self.cat_jurors[c])
            got = self._readers[key] = (lst, set(lst))
        return got

    def excluded(self, e) -> set:
        ent = self.entries[e]
        out = set(ent.conflicts)
        out |= self.forbidden_by_entry.get(e, set())
        out |= self.kept_by_entry.get(e, set())
        return out

    def eligible_list(self, e) -> list:
        ent = self.entries[e]
        lst, st = self.readers(ent.category, ent.languages)
        ex = self.excluded(e) & st
        return [j for j in lst if j not in ex] if ex else lst

    def k_of(self, e, k: int) -> int:
        """Entry ``e``'s number of jurors: its own ``k`` when it has one, else the round's."""
        own = self.entries[e].k
        return k if own is None else own

    def statically_eligible(self, e, j) -> bool:
        """Language, conflict, forbidden and category (caps ignored)."""
        ent = self.entries[e]
        if j not in self.jurors or not self.judges(j, ent.category):
            return False
        if j in ent.conflicts or j in self.forbidden_by_entry.get(e, ()):
            return False
        return not ent.languages or bool(ent.languages & self.juror_langs[j])

    def breakdown(self, e) -> dict:
        """Why jurors cannot take entry e (each juror counted once, first
        reason in this order)."""
        ent = self.entries[e]
        counts = dict(already_assigned=0, excluded_category=0, excluded_conflict=0,
                      excluded_forbidden=0, excluded_language=0, excluded_cap=0,
                      eligible=0)
        kept = self.kept_by_entry.get(e, set())
        forb = self.forbidden_by_entry.get(e, set())
        c = ent.category
        for j, spec in self.jurors.items():
            if j in kept:
                counts["already_assigned"] += 1
            elif spec.categories is not None and c not in spec.categories:
                counts["excluded_category"] += 1
            elif j in ent.conflicts:
                counts["excluded_conflict"] += 1
            elif j in forb:
                counts["excluded_forbidden"] += 1
            elif ent.languages and not (ent.languages & self.juror_langs[j]):
                counts["excluded_language"] += 1
            elif not self.judges(j, c) or self.room(j, c) <= 0:
                counts["excluded_cap"] += 1
            else:
                counts["eligible"] += 1
        return counts


