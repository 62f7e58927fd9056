"""Plain text files."""

import codecs
import os
import random

import pytest

from competition.uploads import UploadLimits, UploadRejected, clean_upload
from competition.uploads.text import guess_legacy

TXT = {"txt"}
POEM = "Mon pays\r\nest là-bas, où l’été dure.\r\n\r\nDeuxième strophe — “voilà”.\r\n"
EXPECTED = "Mon pays\nest là-bas, où l’été dure.\n\nDeuxième strophe — “voilà”.\n"


def clean(data):
    result = clean_upload(data, TXT, UploadLimits())
    assert (result.kind, result.cleaned_mime, result.cleaned_ext) == ("txt", "text/plain; charset=utf-8", ".txt")
    assert result.cleaned == result.text.encode("utf-8")
    return result.text


def reject(data, accept=TXT):
    with pytest.raises(UploadRejected) as info:
        clean_upload(data, accept, UploadLimits())
    return info.value


def test_utf8():
    assert clean(POEM.encode("utf-8")) == EXPECTED


def test_utf8_with_bom():
    assert clean(codecs.BOM_UTF8 + POEM.encode("utf-8")) == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding):
    data = POEM.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert clean(data) == EXPECTED


def test_cp1252_with_accents_and_smart_quotes():
    data = POEM.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert clean(data) == EXPECTED  # “ ” — are cp1252-only: latin-1 would give C1 controls


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("Zażółć gęślą jaźń, łąka i źródło.", "cp1250"),
        ("Мы больше, чем мигранты. Стихотворение о доме.", "cp1251"),
        ("Είμαστε περισσότερα από μετανάστες.", "cp1253"),
        ("Göçmenlerden daha fazlasıyız, şiir.", "cp1254"),
        ("Grüße aus München, schöne Straße.", "cp1252"),
    ],
)
def test_other_legacy_code_pages(text, encoding):
    assert guess_legacy(text.encode(encoding)) == encoding
    assert clean(text.encode(encoding)) == text


def test_old_mac_line_ends_and_blank_lines_are_kept():
    assert clean(b"one\rtwo\r\rthree\n\n\nfour") == "one\ntwo\n\nthree\n\n\nfour"


def test_binary_junk():
    junk = random.Random(7).randbytes(4096)
    exc = reject(junk)
    assert exc.code == "text.binary" and "Plain text" in str(exc.message)


def test_control_characters_without_nul():
    exc = reject(bytes(range(1, 32)) * 50 + b"some words")
    assert exc.code == "text.binary"


def test_a_stray_control_character_is_dropped_not_rejected():
    assert clean(b"line one\x1a\nline two\x07") == "line one\nline two"


def test_utf16_without_bom_is_binary_looking():
    assert reject("hello world".encode("utf-16-le")).code == "text.binary"


def test_damaged_utf16():
    assert reject(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8").code == "text.bad_encoding"


def test_whitespace_only():
    assert reject(b"\r\n   \n\t\n").code == "text.empty"


def test_random_words_never_crash():
    rnd = random.Random(3)
    for _ in range(50):
        data = bytes(rnd.choice(b"abc \n\xe9\xe8\x93\x94\xb3\xbf") for _ in range(rnd.randrange(2, 200)))
        try:
            assert isinstance(clean(data), str)
        except UploadRejected as exc:
            assert exc.code in ("text.empty", "text.binary")


def test_text_not_accepted_in_a_picture_field():
    exc = reject(POEM.encode(), accept={"image"})
    assert exc.code == "type.not_accepted" and exc.params["found"] == "text"


def test_os_random_is_not_text():
    assert reject(os.urandom(1000)).code == "text.binary"
