"""Properties of the matcher over arbitrary text (hypothesis)."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.blindness import ELLIPSIS, Needle, find_identity_hits

NEEDLES = [
    Needle("pupil", "Amira K."),
    Needle("pupil", "José"),
    Needle("pupil", "Li"),
    Needle("teacher", "Işık Yılmaz"),
    Needle("school", "Escola Básica Camões"),
    Needle("city", "Łódź"),
    Needle("city", "Saint-Denis"),
    Needle("class", "Class 6B"),
]

# Ways a text may write each needle (all must be found with exactly this span).
RENDERINGS = {
    Needle("pupil", "José"): ["José", "jose", "JOSE", "Jose\u0301", "José's"],
    Needle("city", "Łódź"): ["Łódź", "Lodz", "LODZ", "ŁÓDŹ"],
    Needle("city", "Saint-Denis"): ["Saint-Denis", "saint denis", "SAINT\nDENIS", "Saint–Denis"],
    Needle("teacher", "Işık Yılmaz"): ["Işık Yılmaz", "ISIK YILMAZ", "Isik Yilmaz", "Yılmaz"],
    Needle("school", "Escola Básica Camões"): ["Escola Básica Camões", "escola basica\ncamoes"],
}

settings.register_profile(
    "blindness", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text made of pieces that are likely to interact with the needles.
PIECES = st.sampled_from(
    ["Amira", "K.", "Kowalski", "jose", "Li", "like", "Łódź", "saint", "denis", "class", "6B",
     "ß", "ﬁ", "\u0301", "İ", "ı", "\u00ad", "'", "’", "-", "_", " ", "\n", "\r\n", "<b>", "é"]
)
TEXTS = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map("".join))


def _line_of(text: str, offset: int) -> int:
    return len((text[:offset] + "x").splitlines())


@settings(settings.get_profile("blindness"))
@given(TEXTS)
def test_hits_are_well_formed(text):
    hits = find_identity_hits({"text": text}, NEEDLES)
    last = (-1, -1)
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert h.source == "text"
        assert h.line == _line_of(text, h.start)
        assert (h.start, h.end) >= last
        last = (h.start, h.end)
        inner = h.context.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
        assert re.sub(r"\s+", " ", text[h.start:h.end]).strip() in inner
    same = {}
    for h in hits:  # hits of one needle never overlap
        for s, e in same.get((h.kind, h.value), []):
            assert h.start >= e or h.end <= s
        same.setdefault((h.kind, h.value), []).append((h.start, h.end))


@settings(settings.get_profile("blindness"))
@given(
    st.sampled_from(sorted(RENDERINGS, key=lambda n: n.value)),
    st.data(),
    st.text(max_size=80),
    st.text(max_size=80),
)
def test_an_inserted_name_is_found_with_its_exact_span(needle, data, before, after):
    rendering = data.draw(st.sampled_from(RENDERINGS[needle]))
    text = f"{before} {rendering} {after}"
    start = len(before) + 1
    hits = find_identity_hits({"text": text}, [needle])
    assert any(
        h.start == start and h.end == start + len(rendering) for h in hits
    ), (text, hits)


@settings(settings.get_profile("blindness"))
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=300))
def test_short_names_only_hit_whole_words(text):
    for h in find_identity_hits({"text": text}, [Needle("pupil", "Li")]):
        assert text[h.start:h.end] == "li"
        assert h.start == 0 or text[h.start - 1] == " "
        assert h.end == len(text) or text[h.end] == " "
