"""Hypothesis strategies: random assignment instances.

Sizes and the kind of constraints are drawn by Hypothesis (so they shrink);
the details come from a Hypothesis-controlled ``random.Random``, which keeps
example generation cheap for instances with dozens of sets.
"""
from __future__ import annotations

from hypothesis import strategies as st

from judging.assignment.assign import EntrySpec, JurorSpec

LANGS = ["en", "fr", "de"]
CATEGORIES = ["poem", "essay", "drawing"]


@st.composite
def instances(draw, *, max_entries=16, max_jurors=9, langs=True, conflicts=True,
              caps=True, categories=3, k=None):
    n_jurors = draw(st.integers(1, max_jurors))
    n_entries = draw(st.integers(0, max_entries))
    n_cats = draw(st.integers(1, categories))
    use_langs = langs and draw(st.booleans())
    use_conf = conflicts and draw(st.booleans())
    use_caps = caps and draw(st.booleans())
    kk = draw(st.integers(1, 4)) if k is None else k
    seed = draw(st.integers(0, 2 ** 16))
    rnd = draw(st.randoms(use_true_random=False))
    cats = CATEGORIES[:n_cats]
    jurors = []
    for j in range(n_jurors):
        jl = frozenset(rnd.sample(LANGS, rnd.randint(1, 3))) if use_langs \
            else frozenset(LANGS)
        cap = cat_caps = None
        if use_caps:
            cap = rnd.choice([None, None, rnd.randint(0, 14)])
            if rnd.random() < 0.4:
                cat_caps = {c: rnd.randint(0, 6) for c in rnd.sample(cats, rnd.randint(1, n_cats))}
        jurors.append(JurorSpec(f"j{j}", jl, cap=cap, category_caps=cat_caps))
    ids = [j.id for j in jurors]
    entries = []
    for i in range(n_entries):
        el = frozenset(rnd.sample(LANGS, rnd.randint(0, 2))) if use_langs else frozenset()
        conf = frozenset(rnd.sample(ids, rnd.randint(0, min(2, n_jurors)))) if use_conf \
            else frozenset()
        entries.append(EntrySpec(i, rnd.choice(cats), el, conf))
    return entries, jurors, kk, seed
