"""Property and example tests of competition.uploads.reflow (pure: no app)."""
from __future__ import annotations

import textwrap

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from competition.uploads.reflow import MIN_PROSE_WIDTH, reflow

SETTINGS = settings(max_examples=150, deadline=None)
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàçABCXYZ,.;'!?0123456789", min_size=1, max_size=14)
SENTENCE = st.lists(WORD, min_size=1, max_size=80).map(" ".join)
LINE = st.text(alphabet="abc xyz-.,\t", max_size=120)
ANY_TEXT = st.lists(LINE, max_size=30).map("\n".join)


def words(text: str) -> str:
    return "".join(text.split())


@SETTINGS
@given(ANY_TEXT, st.booleans())
def test_no_character_is_lost_or_added(text, keep_lines):
    assert words(reflow(text, keep_lines=keep_lines)) == words(text)


@SETTINGS
@given(ANY_TEXT, st.booleans())
def test_reflow_is_idempotent(text, keep_lines):
    once = reflow(text, keep_lines=keep_lines)
    assert reflow(once, keep_lines=keep_lines) == once


@SETTINGS
@given(st.lists(SENTENCE, min_size=1, max_size=5), st.integers(MIN_PROSE_WIDTH, 110))
def test_hard_wrapped_paragraphs_come_back_whole(paragraphs, width):
    filled = [textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs]
    # A column of text as wide as a page's: its widest line reaches MIN_PROSE_WIDTH.
    assume(all(max(map(len, f.split("\n"))) >= MIN_PROSE_WIDTH for f in filled if "\n" in f))
    wrapped = "\n\n".join(filled)
    assert reflow(wrapped) == "\n\n".join(paragraphs)


@SETTINGS
@given(st.lists(st.lists(st.text("abcdefg ,", min_size=1, max_size=MIN_PROSE_WIDTH - 1)
                         .filter(str.strip).map(lambda s: " ".join(s.split())), min_size=1, max_size=8),
                min_size=1, max_size=4))
def test_short_lines_of_a_poem_are_kept(stanzas):
    poem = "\n\n".join("\n".join(lines) for lines in stanzas)
    assert reflow(poem) == poem


@SETTINGS
@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=6).map("\n".join), min_size=1, max_size=6))
def test_blank_line_paragraphs_are_never_merged(blocks):
    text = "\n\n".join(blocks)
    assert len(reflow(text).split("\n\n")) >= len([b for b in blocks if b.strip()])
    assert reflow(text, keep_lines=True) == text


def test_an_essay_page_from_a_pdf():
    page = ("Migration is not a new story. My grandmother came to Lisbon from Cabo\n"
            "Verde when she was nineteen, with one suitcase and a well-\n"
            "known song that she still sings when she cooks.\n"
            "\n"
            "Today I know that she is more than a migrant.\n")
    assert reflow(page) == ("Migration is not a new story. My grandmother came to Lisbon from Cabo "
                            "Verde when she was nineteen, with one suitcase and a well-known song that "
                            "she still sings when she cooks.\n\nToday I know that she is more than a migrant.")


def test_a_short_last_line_ends_its_paragraph():
    page = ("The first paragraph runs across the whole width of the page and wraps\n"
            "onto a second line here.\n"
            "The second paragraph starts on the next line without a blank line and it\n"
            "wraps as well.")
    assert reflow(page).split("\n\n") == [
        "The first paragraph runs across the whole width of the page and wraps onto a second line here.",
        "The second paragraph starts on the next line without a blank line and it wraps as well."]


def test_a_poem_keeps_its_lines_even_when_they_are_long():
    poem = ("I carry the sea of my mother and the mountains of my father in my pockets\n"
            "and nobody at the border asks me what I carry inside")
    assert reflow(poem, keep_lines=True) == poem
    assert reflow("") == "" and reflow("\n \n") == ""


def test_the_public_body_of_a_pdf_essay_is_reflowed_and_a_pdf_poem_keeps_its_lines():
    from pathlib import Path

    from judging.exports.model import Item, WorkFile

    wrapped = ("Stereotypes are shortcuts. They let us think we know someone before we\n"
               "have met them, and they are hard to unlearn.")
    pdf = WorkFile(purpose="work", kind="pdf", path=Path("x.pdf"), web_path=None, text=wrapped)
    essay = Item(entry_id=1, reference="MTM-1", title="t", language="en", discipline="essay", age_group="11-18",
                 category_id=1, files=(pdf,))
    assert essay.body == " ".join(wrapped.split("\n"))
    poem = Item(entry_id=2, reference="MTM-2", title="t", language="en", discipline="poem", age_group="11-18",
                category_id=2, files=(pdf,))
    assert poem.body == wrapped
    typed = Item(entry_id=3, reference="MTM-3", title="t", language="en", discipline="essay", age_group="11-18",
                 category_id=3, text=wrapped)
    assert typed.body == wrapped  # typed text is the teacher's own line breaks
