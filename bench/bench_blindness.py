"""Timing of the blindness name matcher on a 5,000-word essay and 40 needles.

Run:  .venv/bin/python bench/bench_blindness.py [--repeat N]

Prints, in milliseconds (best and median of N runs):
  * baseline  -- a plain ``str.lower().find`` loop over the same needles
                 (no accents, no inflections, no word boundaries: not a
                 usable matcher, only a floor to compare against);
  * cold      -- ``find_identity_hits`` with the needle cache and the re
                 module's cache cleared (compiles the needles, then searches);
  * warm      -- ``find_identity_hits`` with the needles already compiled
                 (what the web layer pays when a teacher re-checks an entry);
  * compile   -- building an ``IdentityMatcher`` alone.
This is not a test and asserts nothing about time.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competition.blindness import IdentityMatcher, Needle, find_identity_hits
from competition.blindness.matcher import _cached_matcher

WORDS = (
    "the a of and to in is was that for it with as his on be at by this had not are but "
    "from or have an they which one you were her all she there would their we him been has "
    "when who will more no if out so said what up its about into than them can only other "
    "new some could time these two may then do first any my now such like our over man me "
    "even most made after also did many before must through back years where much your way "
    "well down should because each just those people how too little state good very make "
    "world still own see men work long get here between both life being under never day "
    "same another know while last might us great old year off come since against go came "
    "right used take three école café naïve façade große straße über señora coração "
    "journey border sea boat grandmother village river home language school friend window "
    "bread winter summer letter mountain city train suitcase photograph memory song dream"
).split()

FIRST = (
    "Amira Mehmet José Zoë Łukasz Işık Søren Chloé Ana Li Wei Tomasz Fatima Olena Yusuf "
    "Mariana João Björn Élodie Nikola"
).split()
LAST_INITIALS = "KABCDEFGHIJLMNOPRSTU"


def make_needles() -> list[Needle]:
    needles = [Needle("pupil", f"{f} {LAST_INITIALS[i]}.") for i, f in enumerate(FIRST)]
    needles += [
        Needle("pupil", n)
        for n in ("Jan Kowalski", "Aylin Öztürk", "Malik Ndiaye", "Sofia Rossi", "Emma Schäfer",
                  "Noah Dubois", "Hana Novák", "Igor Petrović", "Lea Müller", "Ahmed Haddad")
    ]
    needles += [
        Needle("teacher", "Marie-Claire Lefèvre"),
        Needle("teacher", "Mrs Joanna Nowak"),
        Needle("teacher", "Dr. Kemal Yıldız"),
        Needle("teacher", "Ingrid Sørensen"),
        Needle("school", "Escola Básica Camões"),
        Needle("school", "Lycée Victor Hugo"),
        Needle("school", "Szkoła Podstawowa nr 12 im. Jana Pawła II"),
        Needle("class", "Class 6B"),
        Needle("city", "Saint-Denis"),
        Needle("city", "Łódź"),
    ]
    assert len(needles) == 40
    return needles


def make_essay(n_words: int = 5000, seed: int = 42) -> str:
    rng = random.Random(seed)
    names = FIRST + ["Kowalski", "Saint-Denis", "Lodz", "Camões", "Amira's", "Mehmeta"]
    out = []
    for i in range(n_words):
        w = rng.choice(names) if rng.random() < 0.01 else rng.choice(WORDS)
        if i % 13 == 12:
            w += ".\n" if i % 52 == 51 else ","
        out.append(w)
    return " ".join(out)


def baseline(text: str, needles: list[Needle]) -> int:
    low = text.lower()
    found = 0
    for n in needles:
        v = n.value.lower()
        i = low.find(v)
        while i != -1:
            found += 1
            i = low.find(v, i + 1)
    return found


def timeit(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    needles = make_needles()
    text = make_essay()
    texts = {"text": text, "title": "A journey", "amira_k_poem.pdf": "amira_k_poem.pdf"}
    print(f"essay: {len(text.split())} words, {len(text)} chars; needles: {len(needles)}")

    def cold():
        _cached_matcher.cache_clear()
        re.purge()  # also forget the re module's compiled-pattern cache
        return find_identity_hits(texts, needles)

    rows = [
        ("baseline str.lower().find", lambda: baseline(text, needles)),
        ("find_identity_hits cold", cold),
        ("find_identity_hits warm", lambda: find_identity_hits(texts, needles)),
        ("IdentityMatcher() compile", lambda: IdentityMatcher(needles)),
    ]
    find_identity_hits(texts, needles)  # warm the per-character fold cache
    for label, fn in rows:
        best, median = timeit(fn, args.repeat)
        print(f"{label:28s} best {best:7.2f} ms   median {median:7.2f} ms")
    hits = find_identity_hits(texts, needles)
    print(f"hits: {len(hits)} (baseline substring matches: {baseline(text, needles)})")


if __name__ == "__main__":
    main()
