"""Hypothesis strategies: random assignment instances."""
from __future__ import annotations

from hypothesis import strategies as st

from judging.assignment import EntrySpec, JurorSpec

LANGS = ["en", "fr", "de"]
CATEGORIES = ["poem", "essay", "drawing"]


@st.composite
def instances(draw, *, max_entries=16, max_jurors=9, langs=True, conflicts=True,
              caps=True, categories=3, k=None):
    n_jurors = draw(st.integers(1, max_jurors))
    n_entries = draw(st.integers(0, max_entries))
    cats = CATEGORIES[:categories]
    jurors = []
    for j in range(n_jurors):
        jl = draw(st.frozensets(st.sampled_from(LANGS), min_size=1)) if langs \
            else frozenset(LANGS)
        cap = draw(st.none() | st.integers(0, 14)) if caps else None
        cat_caps = draw(st.none() | st.dictionaries(
            st.sampled_from(cats), st.integers(0, 6), max_size=2)) if caps else None
        jurors.append(JurorSpec(f"j{j}", jl, cap=cap, category_caps=cat_caps))
    ids = [j.id for j in jurors]
    entries = []
    for i in range(n_entries):
        cat = draw(st.sampled_from(cats))
        el = draw(st.frozensets(st.sampled_from(LANGS), max_size=2)) if langs \
            else frozenset()
        conf = draw(st.frozensets(st.sampled_from(ids), max_size=2)) if conflicts \
            else frozenset()
        entries.append(EntrySpec(i, cat, el, conf))
    kk = draw(st.integers(1, 4)) if k is None else k
    seed = draw(st.integers(0, 2 ** 16))
    return entries, jurors, kk, seed
