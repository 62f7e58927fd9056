"""Blindness check: find the names of an entry's makers in its text and file names.

Before a teacher submits an entry we look for the names of its pupils, the
teacher, the school, the class and the city in the entry's texts (typed text,
title, translation, text extracted from uploaded files) and in the file names,
so the teacher can remove whatever would identify the makers to the jury.
The caller also passes, under a source label of its own, the text that
cleaning removes from each file (a photo's EXIF Artist, a PDF's Author, an
annotation's author, PNG text chunks): jurors never get it, but a name there
is worth a warning to the secretariat ("possible name in the file's hidden
data").

This module is pure: plain data in, plain data out, no Flask.  Hits carry a
``kind`` code ("pupil", "teacher", "school", "class", "city"); the web layer
translates those codes into user-facing labels.

Matching rules
--------------
* Case-insensitive, accent/diacritic-insensitive in both directions: text and
  needles are folded with an explicit table (ß→ss, ø→o, ł→l, ı/İ→i, æ→ae, đ→d,
  þ→th, curly apostrophes→', …), Unicode NFKD, removal of all combining marks
  and ``str.casefold``.  A needle written with an umlaut (ä/ö/ü/ø) also
  matches the German "ae/oe/ue" spelling (needle "Müller" hits "Mueller"); the
  reverse direction is not attempted.
* Whole words only: a needle starting with a letter must not be preceded by a
  letter, a needle ending with a letter must not be followed by one.  Digits
  and ``_ . -`` separate words, so "amira_k_poem.pdf" and "amira2.pdf" hit
  pupil "Amira".  Words of scripts written without spaces (Han, kana, Thai,
  Lao, Khmer, Myanmar, Tibetan) match anywhere; Hangul needles only need a
  boundary at their start (Korean particles attach to the name).
* Simple inflections on the last word of a needle: for words of 4+ letters an
  ending of up to 3 letters ("Amiras", "Mehmeta", "Mehmetov") or an apostrophe
  ending of up to 4 letters ("Amira's", "Mehmet'ten"); words of exactly 3
  letters only take the apostrophe ending ("Ana's", not "Anas" -- otherwise
  "Dan" would hit French "dans").  A few English derivational endings are not
  counted as inflections ("Mark" does not hit "marked"/"market", "Will" does
  not hit "willing").  Stem changes ("Kasia"→"Kasię", "Warszawa"→"Warszawie")
  are not handled.
* Needles shorter than 3 characters match only exactly, as whole words.
  Needles that are also common words (:data:`STOP_WORDS`: "al", "jo", "la",
  "nice", "will", "mark", "rose", …) only match where the text writes them
  with a capital letter ("Al came" hits, "al dente" does not). So does one
  part of a teacher's name that wordfreq counts as a common word in English
  or French (:func:`is_common_word`: "teacher" in a poem is not Tomás
  Teacher); the full name matches anywhere.  Needles with
  fewer than 2 letters/digits, or with no letter at all ("12"), are ignored.
* Multi-word needles match across any run of whitespace, punctuation,
  hyphens, underscores and line breaks ("Saint-Denis" hits "saint denis").
  An apostrophe inside a needle word is optional ("O'Brien" hits "OBrien").
* Pupils and teachers are also looked for by each part of their name
  ("Amira Kowalski" → "Amira", "Kowalski"), skipping titles and particles
  ("Mrs", "de", "van").  A one-letter part is an initial: "Amira K." hits
  "Amira", "Amira K." and "Amira Kowalski".
* Schools and classes are also looked for without their generic words:
  "Escola Básica Camões" → "Camões" (capitalised only), "Class 6B" → "6B".
* HTML is treated as plain text (tags do not hide names, entities are not
  decoded).

Offsets
-------
``Hit.start``/``Hit.end`` are ``str`` indices into the *original* text
(``texts[source][start:end]`` is the matched text, including any trailing
combining marks).  Matching runs on a folded copy; because folding changes
lengths ("ß"→"ss", "ﬁ"→"fi", "e\\u0301"→"e") the folded text keeps a sparse
index map back to the original.  ``Hit.line`` is 1-based within its source.

Performance: the folded text is scanned once by one compiled regular
expression (the literal starts of all needles, grouped by first character,
behind a "word start" test); only where it stops are the needles' own
regular expressions tried.  Compiled needles are cached per needle list.

The package, in the order a search runs: ``needles`` (what is looked for and
what is found), ``folding`` (the folded text and its map back), ``words``
(common words and generic parts of names), ``variants`` (each needle as
regular expressions) and ``matcher`` (the scan and each hit's excerpt).
"""
from __future__ import annotations

from competition.blindness.folding import normalise
from competition.blindness.matcher import ELLIPSIS, IdentityMatcher, find_identity_hits
from competition.blindness.needles import KINDS, Hit, Needle
from competition.blindness.words import STOP_WORDS, is_common_word

__all__ = [
    "ELLIPSIS",
    "KINDS",
    "STOP_WORDS",
    "Hit",
    "IdentityMatcher",
    "Needle",
    "find_identity_hits",
    "is_common_word",
    "normalise",
]
