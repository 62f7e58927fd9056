"""Plain text files: find the encoding, refuse binary data, normalise line
ends to \\n and keep blank lines (stanzas)."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

from flask_babel import lazy_gettext as _l

from competition.uploads.errors import UploadRejected

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Legacy 8-bit encodings tried when the file is not UTF-8, in order of
# preference (ties go to the first). Western European first.
LEGACY = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "koi8_r"]
_NON_ASCII_WORD = re.compile(rb"\S*[\x80-\xff]\S*")
_RARE = set("ÐÝÞðýþ¤¦¨¯´¸")  # rarely inside words in any language written in these code pages
_NEWLINES = re.compile(r"\r\n|[\r\x85\u2028\u2029\f\v]")
_WORD_PUNCT = set("'’-.·")


def _binary() -> UploadRejected:
    return UploadRejected(
        "text.binary",
        _l(
            "This file is not a plain text file. Open your text in a word processor or text editor and save it as “Plain text (.txt)”, then upload it again."
        ),
    )


def decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise UploadRejected(
                    "text.bad_encoding",
                    _l(
                        "The text file is damaged: its characters cannot be read. Save it again as “Plain text (.txt)” with the UTF-8 encoding and upload it."
                    ),
                ) from None
            break
    else:
        if b"\x00" in data:
            raise _binary()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode(guess_legacy(data))
    text = _NEWLINES.sub("\n", text.lstrip("\ufeff"))
    controls = sum(1 for c in text if c != "\n" and c != "\t" and unicodedata.category(c) == "Cc")
    if controls > len(text) // 100 + 2:
        raise _binary()
    if controls:
        text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    if not text.strip():
        raise UploadRejected(
            "text.empty",
            _l("The text file is empty. Check that you chose the right file and upload it again."),
        )
    return text


def guess_legacy(data: bytes) -> str:
    """Pick the legacy code page under which the words with non-ASCII bytes
    look most like words; "latin-1" (which never fails) as a last resort."""
    words = _NON_ASCII_WORD.findall(data[:262_144])[:4000]
    best, best_score = "latin-1", None
    for encoding in LEGACY:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(_badness(w.decode(encoding)) for w in words)
        if best_score is None or score < best_score:
            best, best_score = encoding, score
    return best


def _script(c: str) -> str:
    if c.isascii():
        return "LATIN"
    name = unicodedata.name(c, "")
    return name.split(" ", 1)[0] if name else "?"


def _badness(word: str) -> int:
    """How unlike a real word this decoding is: C1 controls, symbols between
    letters, mixed scripts, mostly-accented Latin words, odd capitals."""
    score = 0
    letters = [c for c in word if c.isalpha()]
    score += 5 * sum(1 for c in word if "\x80" <= c <= "\x9f")
    for i in range(1, len(word) - 1):
        c = word[i]
        if not c.isalpha() and c not in _WORD_PUNCT and word[i - 1].isalpha() and word[i + 1].isalpha():
            score += 2
    if not letters:
        return score
    scripts = {_script(c) for c in letters}
    if len(scripts) > 1:
        score += 3
    if scripts == {"LATIN"} and len(letters) >= 3 and 2 * sum(not c.isascii() for c in letters) > len(letters):
        score += 2
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        score += 1
    score += sum(1 for c in word if c in _RARE)
    return score
