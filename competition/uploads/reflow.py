"""Reflow text extracted from a PDF into paragraphs (pure: no Flask, no I/O).

A PDF holds lines, not paragraphs: pypdf gives every printed line its own line
break. Shown as is, an essay reads as a column of broken lines. This joins a
line to the next one when the line was wrapped, that is when the next line's
first word would not have fitted at its end, within the block's widest line.
Blank lines stay paragraph breaks; in prose, a line break that is not a wrap (the
short last line of a paragraph) becomes one too. A block whose widest line is short (a poem,
a list, an address) keeps its lines, and so does a whole poem (``keep_lines``).
"""
from __future__ import annotations

import re

# Lines narrower than this are not wrapped prose: a PDF's text column holds more.
MIN_PROSE_WIDTH = 55
# Proportional fonts: a wrapped line may hold fewer characters than the widest one.
SLACK = 0.8
_BLANK = re.compile(r"\n[ \t\f\v\r]*\n\s*")


def reflow(text: str, *, keep_lines: bool = False) -> str:
    """The text with hard-wrapped lines joined; paragraphs separated by one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    blocks = [b for b in _BLANK.split(text) if b.strip()]
    return "\n\n".join(_block(b, keep_lines) for b in blocks)


def _block(block: str, keep_lines: bool) -> str:
    lines = [" ".join(line.split()) for line in block.split("\n")]
    lines = [line for line in lines if line]
    width = max(len(line) for line in lines)
    if keep_lines or width < MIN_PROSE_WIDTH:
        return "\n".join(lines)
    # Prose: a line break that is not a wrap ends a paragraph, so the result reflows to itself.
    paragraphs = [lines[0]]
    for line, previous in zip(lines[1:], lines):
        first_word = line.split(" ", 1)[0]
        if len(previous) + 1 + len(first_word) <= width * SLACK:
            paragraphs.append(line)
        elif previous.endswith("\u00ad"):  # a soft hyphen only marks where a word was cut
            paragraphs[-1] = paragraphs[-1][:-1] + line
        elif previous.endswith("-") and previous[-2:-1].isalpha():
            paragraphs[-1] += line  # "well-" + "known"
        else:
            paragraphs[-1] += " " + line
    return "\n\n".join(paragraphs)
