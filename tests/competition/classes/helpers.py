"""Reading a page as a person does, for the class tests (counting rows: tests/rows.py)."""
from __future__ import annotations

import html
import re


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, runs of spaces joined."""
    without_tags = re.sub(r"<[^>]*>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(without_tags))
