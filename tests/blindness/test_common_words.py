"""A teacher's name that is also a common word, and the matched words marked in the excerpt."""
from __future__ import annotations

import pytest

from competition.blindness import Needle, find_identity_hits, is_common_word

TEACHER = [Needle("teacher", "Tomás Teacher")]


@pytest.mark.parametrize("text", [
    "My teacher says that we are more than migrants.",
    "Teacher, you taught me the names of the winds.",  # a poem's line starts with a capital
    "the sea\nTeacher of waves",
    "She said so. Teacher knows.",
])
def test_a_common_word_alone_is_not_the_teachers_name(text):
    assert find_identity_hits({"text": text}, TEACHER) == []


@pytest.mark.parametrize("text, matched", [
    ("Written with Tomás Teacher in class", "Tomás Teacher"),
    ("written with tomas teacher", "tomas teacher"),  # the full name counts anywhere
    ("We thank Mr Teacher for the paper", "Teacher"),  # capitalised inside a sentence
    ("Tomás showed us the map", "Tomás"),  # a part that is no common word
])
def test_the_full_name_or_a_rare_part_still_matches(text, matched):
    (hit,) = find_identity_hits({"text": text}, TEACHER)
    assert text[hit.start:hit.end] == matched and hit.marked[1] == matched


def test_a_pupils_first_name_is_found_even_if_it_is_a_common_word():
    assert is_common_word("maria")
    (hit,) = find_identity_hits({"text": "my friend maria sings"}, [Needle("pupil", "Maria S.")])
    assert hit.marked == ("my friend ", "maria", " sings")


def test_the_excerpt_is_cut_in_three_parts_that_make_the_context():
    text = "A long introduction that goes on and on before the name Amira appears in the middle of it all."
    (hit,) = find_identity_hits({"text": text}, [Needle("pupil", "Amira K.")])
    before, match, after = hit.marked
    assert match == "Amira" and before.startswith("\u2026") and after.endswith("\u2026")
    assert before + match + after == hit.context
