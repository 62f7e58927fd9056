"""Text drawn with no missing glyph: each run's font has every character, and HarfBuzz shapes it without
glyph 0 (the "notdef" box). Used by the cards of the exports and of the campaign."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import uharfbuzz as hb

from judging.exports.scripts import BY_NAME, code_points, visual_runs


@lru_cache(maxsize=None)
def harfbuzz_font(face: str, weight: str) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(BY_NAME[face].file(weight)))))


def assert_no_notdef(line: str, weight: str = "regular", rtl: bool = False) -> set[str]:
    """Every run of ``line``: its font's cmap has each character, and HarfBuzz shapes it without glyph 0."""
    faces = set()
    for run in visual_runs(line, weight, rtl):
        missing = [c for c in run.text if ord(c) not in code_points(run.face, weight)
                   and unicodedata.category(c) != "Cf"]
        assert not missing, (run, missing)
        buffer = hb.Buffer()
        buffer.add_str(run.text)
        buffer.guess_segment_properties()
        buffer.direction = run.direction
        hb.shape(harfbuzz_font(run.face, weight), buffer)
        assert all(info.codepoint != 0 for info in buffer.glyph_infos), (run, [i.codepoint for i in buffer.glyph_infos])
        if any(c.isalpha() for c in run.text):
            faces.add(run.face)
    return faces
