"""How hits are reported: offsets, line numbers, context, order, deduplication."""
from __future__ import annotations

import pytest

from competition.blindness import Hit, Needle, find_identity_hits

LETTER = """\
Dear jury,
this poem is about my friend Amira K. from the school in Lodz.
Amira's family came by train from Łódź in 2015; everybody there knew Amira.
"""


def test_line_numbers_offsets_and_context_exactly():
    needles = [Needle("pupil", "Amira K."), Needle("city", "Łódź")]
    assert find_identity_hits({"text": LETTER}, needles) == [
        Hit("pupil", "Amira K.", "text", 2, 40, 48,
            "…this poem is about my friend Amira K. from the school in Lodz…"),
        Hit("city", "Łódź", "text", 2, 68, 72,
            "…Amira K. from the school in Lodz. Amira's family came by train…"),
        Hit("pupil", "Amira K.", "text", 3, 74, 81,
            "…K. from the school in Lodz. Amira's family came by train from…"),
        Hit("city", "Łódź", "text", 3, 108, 112,
            "…family came by train from Łódź in 2015; everybody there knew…"),
        Hit("pupil", "Amira K.", "text", 3, 143, 148,
            "…in 2015; everybody there knew Amira."),
    ]


@pytest.mark.parametrize(
    "text, line",
    [
        ("Amira", 1),
        ("\nAmira", 2),
        ("a\r\nb\r\nAmira", 3),
        ("a\rb\rAmira", 3),
        ("a\n\n\nAmira", 4),
        ("a\u2028Amira", 2),
        ("x" * 100 + "\n" + "y " * 50 + "Amira", 2),
    ],
)
def test_line_numbers_are_one_based_per_text(text, line):
    (hit,) = find_identity_hits({"text": text}, [Needle("pupil", "Amira")])
    assert hit.line == line


@pytest.mark.parametrize(
    "text, context",
    [
        ("Amira", "Amira"),
        ("I met Amira.", "I met Amira."),
        # whitespace and line breaks collapse to one space
        ("my\n\nfriend   Amira\twrote", "my friend Amira wrote"),
        # cut words are dropped, ellipses mark the cut
        ("one two three four five six seven eight Amira nine ten eleven twelve thirteen fourteen",
         "…four five six seven eight Amira nine ten eleven twelve…"),
        ("a" * 50 + " Amira " + "b" * 50, "…Amira…"),
    ],
)
def test_context(text, context):
    (hit,) = find_identity_hits({"text": text}, [Needle("pupil", "Amira")])
    assert hit.context == context


@pytest.mark.parametrize(
    "prefix",
    [
        "",
        "ß" * 5 + " ",  # folds to two characters each
        "ﬁﬂ ",  # ligatures: two characters each
        "e\u0301" * 4 + " ",  # combining marks: folded away
        "İİİ ",  # casefold gives i + combining dot
        "so\u00adft ",  # soft hyphen: folded away
        "Große Straße, ﬁne café\u0301, İzmir\n",
    ],
)
def test_offsets_map_back_through_length_changing_folds(prefix):
    text = prefix + "Amira Kowalska " + "ß" * 3
    (hit,) = find_identity_hits({"text": text}, [Needle("pupil", "Amira Kowalska")])
    assert text[hit.start:hit.end] == "Amira Kowalska"
    assert hit.line == 1 + prefix.count("\n")


@pytest.mark.parametrize(
    "needle, text, span",
    [
        ("Strasse", "Die Straße ist", "Straße"),
        ("Fine", "ﬁne", "ﬁne"),
        ("Café", "cafe\u0301\u0301!", "cafe\u0301\u0301"),
        ("Izmir", "İZMİR", "İZMİR"),
    ],
)
def test_hit_on_a_length_changing_character(needle, text, span):
    (hit,) = find_identity_hits({"text": text}, [Needle("city", needle)])
    assert text[hit.start:hit.end] == span


def test_overlapping_hits_of_one_needle_are_reported_once():
    # full name, first name and surname all match here: one hit
    text = "by Amira Kowalski, 10"
    hits = find_identity_hits({"text": text}, [Needle("pupil", "Amira Kowalski")])
    assert [(h.start, h.end) for h in hits] == [(3, 17)]


def test_duplicate_needles_are_reported_once():
    needles = [Needle("pupil", "Amira"), Needle("pupil", "Amira")]
    assert len(find_identity_hits({"text": "Amira"}, needles)) == 1


def test_same_place_different_kinds_are_both_reported_in_kind_order():
    text = "Lycée de Nice"
    needles = [Needle("city", "Nice"), Needle("school", "Lycée de Nice"), Needle("pupil", "Nice")]
    hits = find_identity_hits({"text": text}, needles)
    assert [(h.kind, h.start, h.end) for h in hits] == [
        ("school", 0, 13),
        ("pupil", 9, 13),
        ("city", 9, 13),
    ]


def test_hits_are_ordered_by_source_then_position():
    texts = {
        "title": "Amira and Łódź",
        "text": "Łódź\nthen Amira",
        "amira_drawing.png": "amira_drawing.png",
    }
    needles = [Needle("city", "Łódź"), Needle("pupil", "Amira K.")]
    hits = find_identity_hits(texts, needles)
    assert [(h.source, h.line, h.kind) for h in hits] == [
        ("title", 1, "pupil"),
        ("title", 1, "city"),
        ("text", 1, "city"),
        ("text", 2, "pupil"),
        ("amira_drawing.png", 1, "pupil"),
    ]


def test_hits_are_plain_frozen_data():
    (hit,) = find_identity_hits({"text": "Amira"}, [Needle("pupil", "Amira")])
    with pytest.raises(AttributeError):
        hit.kind = "teacher"  # type: ignore[misc]
    assert hash(hit) == hash(Hit("pupil", "Amira", "text", 1, 0, 5, "Amira"))
