"""Display names for uploaded files."""

import unicodedata

import pytest

from competition.uploads import ascii_filename, safe_filename

BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]]


def assert_harmless(name):
    assert name and not name.startswith(".")
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(c) == "Cc" for c in name)
    assert not any(c in name for c in BIDI)
    assert len(name) <= 120
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("/abs/path.pdf", "path.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("C:poem.pdf", "poem.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("poem\r\nSet-Cookie: a=b.txt", "poemSet-Cookie: a=b.txt"),
        ("essay\x00.php.pdf", "essay.php.pdf"),
        (".htaccess", "file.htaccess"),
        ("...pdf", "file.pdf"),
        ("..", "file"),
        ("", "file"),
        ("   ", "file"),
        ("\u200f\u202e", "file"),
        ("😀🎨", "😀🎨"),
        ("Poème d’été.docx", "Poème d’été.docx"),
    ],
)
def test_safe_filename(raw, expected):
    assert safe_filename(raw) == expected
    assert_harmless(safe_filename(raw))


def test_nfc_normalised():
    decomposed = "Poe\u0300me.txt"
    assert safe_filename(decomposed) == "Poème.txt" and len(safe_filename(decomposed)) == 9


def test_long_name_is_cut_and_keeps_its_extension():
    name = safe_filename("a" * 1000 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf") and name.startswith("aaa")


def test_long_name_without_extension():
    assert safe_filename("b" * 1000) == "b" * 120


def test_long_emoji_name_does_not_end_in_a_dangling_joiner():
    family = "👨\u200d👩\u200d👧"
    name = safe_filename(family * 100 + ".png")
    assert name.endswith(".png") and len(name) <= 120 and not name[:-4].endswith("\u200d")


def test_fallback():
    assert safe_filename("../", fallback="drawing") == "drawing"
    assert safe_filename(None) == "file"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Poème d’été.docx", "Poeme d_ete.docx"),
        ("Эссе.pdf", "file.pdf"),
        ("😀", "file"),
        ('say "hi"; name=x.pdf', "say _hi_ name_x.pdf"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("../../etc/passwd", "passwd"),
    ],
)
def test_ascii_filename(raw, expected):
    result = ascii_filename(raw)
    assert result == expected
    assert result.isascii() and '"' not in result and ";" not in result and "\\" not in result
