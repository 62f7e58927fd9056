"""Property-based checks: whatever comes in, only UploadRejected comes out."""

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from competition.uploads import UploadLimits, UploadRejected, ascii_filename, clean_upload, safe_filename
from tests.upload_builders import docx, encode, odt, photo

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NO_PDF = {"image", "docx", "odt", "txt"}  # PDFs spawn a worker each: covered in test_pdfs
SEEDS = [encode(photo((24, 16)), "PNG"), encode(photo((24, 16)), "JPEG"), docx(), odt(), "Un poème\n\nfin".encode()]


@SETTINGS
@given(st.text())
@example("../../etc/passwd")
@example("\u202e\u200f.\x00")
def test_safe_filename_is_always_harmless_and_stable(name):
    safe = safe_filename(name)
    assert safe and not safe.startswith(".") and len(safe) <= 120
    assert "/" not in safe and "\\" not in safe
    assert not any(
        unicodedata.category(c) == "Cc" or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        for c in safe
    )
    assert safe_filename(safe) == safe


@SETTINGS
@given(st.text())
def test_ascii_filename_is_header_safe(name):
    plain = ascii_filename(name)
    assert plain and plain.isascii() and plain.isprintable()
    assert not any(c in plain for c in '"\\;/\r\n')


def outcome(data, accept=NO_PDF):
    try:
        result = clean_upload(data, accept, UploadLimits())
    except UploadRejected as exc:
        assert exc.code and str(exc.message)
        return None
    assert result.kind in accept
    return result


@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes_are_cleaned_or_rejected(data):
    outcome(data)


@SETTINGS
@given(st.sampled_from(SEEDS), st.data())
def test_damaged_files_are_cleaned_or_rejected(seed, draw):
    data = bytearray(seed)
    for _ in range(draw.draw(st.integers(1, 8))):
        at = draw.draw(st.integers(0, len(data) - 1))
        data[at] = draw.draw(st.integers(0, 255))
    cut = draw.draw(st.integers(2, len(data)))
    outcome(bytes(data[:cut]))
