"""clean_upload as a whole: sizes, type by content, messages, API shape."""

import hashlib
import pathlib
import re

import pytest

from competition import uploads
from competition.uploads import KINDS, CleanedFile, UploadLimits, UploadRejected, clean_upload
from competition.uploads.sniff import sniff
from tests.upload_builders import docx, encode, photo, simple_pdf

ALL = set(KINDS)


def reject(data, accept=ALL, limits=None):
    with pytest.raises(UploadRejected) as info:
        clean_upload(data, accept, limits or UploadLimits())
    return info.value


@pytest.mark.parametrize("data", [b"", b"\xff", b"%"], ids=["0 bytes", "1 byte", "1 byte text"])
@pytest.mark.parametrize("accept", [{"image"}, {"pdf"}, ALL])
def test_empty_and_one_byte_files(data, accept):
    exc = reject(data, accept)
    assert exc.code == "file.empty" and "empty" in str(exc.message)


def test_file_over_the_size_limit():
    data = encode(photo((64, 64)), "PNG")
    exc = reject(data, limits=UploadLimits(max_bytes=len(data) - 1))
    assert exc.code == "file.too_large" and exc.params == {"size": len(data), "max_bytes": len(data) - 1}
    assert clean_upload(data, ALL, UploadLimits(max_bytes=len(data))).kind == "image"


@pytest.mark.parametrize("accept", [set(), {"gif"}, {"image", "exe"}])
def test_accept_must_be_a_known_subset(accept):
    with pytest.raises(ValueError):
        clean_upload(b"hello", accept, UploadLimits())


def test_default_limits_and_result_shape():
    png = encode(photo((20, 10)), "PNG")
    result = clean_upload(png, {"image"})
    assert isinstance(result, CleanedFile)
    assert result.original_sha256 == hashlib.sha256(png).hexdigest()
    assert UploadLimits() == UploadLimits(
        20 * 1024 * 1024, 40_000_000, 20, 1000, 50 * 1024 * 1024, 20.0, 768 * 1024 * 1024
    )


@pytest.mark.parametrize(
    "make,kind",
    [
        (lambda: encode(photo(), "JPEG"), "image"),
        (lambda: encode(photo(), "PNG"), "image"),
        (simple_pdf, "pdf"),
        (docx, "docx"),
        (lambda: "Un poème\n".encode(), "txt"),
    ],
)
def test_type_comes_from_content(make, kind):
    assert clean_upload(make(), ALL, UploadLimits()).kind == kind
    others = ALL - {kind}
    exc = reject(make(), others)
    assert exc.code == "type.not_accepted"


def test_not_accepted_message_names_what_is_accepted():
    exc = reject(encode(photo(), "PNG"), {"pdf", "txt"})
    message = str(exc.message)
    assert "a PNG picture" in message and "a PDF document" in message and "a plain text file (.txt)" in message
    assert "Save or export it as PDF" in message


@pytest.mark.parametrize(
    "data,found",
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40, "heic"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40, "webp"),
        (b"BM" + b"\x36\x00\x00\x00" + b"\x00" * 4 + b"\x36\x00\x00\x00" + b"\x28\x00\x00\x00" + b"\x00" * 40, "bmp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ole"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60, "executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "executable"),
        (b"GIF89a" + b"\x00" * 20, "gif"),
    ],
)
def test_other_formats_are_named(data, found):
    assert sniff(data) == found
    exc = reject(data, {"image", "pdf"})
    assert exc.params["found"] == found


def test_heic_message_tells_how_to_get_a_jpeg():
    exc = reject(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, {"image"})
    assert "Most Compatible" in str(exc.message)


@pytest.mark.parametrize(
    "text", [b"BMX racing is my life\n", b"MZ is my nickname\n", b"<3 my family\n", b"<b>not html"]
)
def test_plain_text_that_starts_like_a_magic_number(text):
    expected = "text" if not text.startswith(b"<b>") else "html"
    assert sniff(text) == expected


def test_messages_render_without_an_app_and_have_no_leftover_placeholders():
    cases = [
        (b"", ALL),
        (encode(photo(), "PNG"), {"pdf"}),
        (simple_pdf(texts=(b"a", b"b")), {"pdf"}),
        (b"\x00\x01\x02" * 100, {"txt"}),
    ]
    for data, accept in cases:
        limits = UploadLimits(max_pdf_pages=1)
        exc = reject(data, accept, limits)
        message = str(exc.message)
        assert message and "%(" not in message and ")s" not in message
        assert exc.code in str(exc)


def test_the_library_does_not_import_flask_itself():
    package = pathlib.Path(uploads.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text()
        assert not re.search(r"^\s*(from|import)\s+flask(\s|\.|$)", text, re.MULTILINE), source.name
        assert len(text.splitlines()) <= 300, source.name
