"""Display names for files people upload and download, and their ASCII fallback for a Content-Disposition header.

The stored file never uses them. Plain text in, plain text out: no Flask app needed (competition.uploads
and the campaign name uploads with ``safe_filename``; ``core.files.content_disposition`` uses ``ascii_filename``).
"""

from __future__ import annotations

import re
import unicodedata

MAX_LEN = 120
# Bidirectional formatting characters (a right-to-left override turns
# "evil\u202Egpj.exe" into what looks like "evilexe.jpg"), the Arabic letter
# mark and the byte order mark. ZWJ/ZWNJ stay: emoji sequences and some
# scripts need them.
_INVISIBLE = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF])
_EXT = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+,\-]+")


def safe_filename(name: str, fallback: str = "file") -> str:
    """A harmless display name: no directories, control or bidi characters,
    NFC-normalised, at most 120 characters (keeping the extension), never
    empty and never starting with a dot."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = "".join(c for c in name if unicodedata.category(c) != "Cc").translate(_INVISIBLE)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _DRIVE.sub("", name)
    name = name.strip().rstrip(". ")
    if name.startswith("."):
        rest = name.lstrip(". ")
        # ".pdf" -> "file.pdf", "..hidden.txt" -> "hidden.txt"
        name = f"{_fallback(fallback)}.{rest}" if rest and "." not in rest else rest
    if not name:
        return _fallback(fallback)
    if len(name) > MAX_LEN:
        match = _EXT.search(name)
        ext = match.group(0) if match else ""
        stem = name[: MAX_LEN - len(ext)]
        # don't leave a dangling joiner, variation selector or combining mark
        while stem and (stem[-1] in "\u200d\u200c\ufe0f\ufe0e " or unicodedata.combining(stem[-1])):
            stem = stem[:-1]
        name = (stem or _fallback(fallback)) + ext
    return name


def _fallback(fallback: str) -> str:
    if fallback == "file":
        return "file"
    return safe_filename(fallback, "file") if fallback else "file"


def ascii_filename(name: str) -> str:
    """An ASCII-only version for the plain ``filename=`` parameter of a
    Content-Disposition header (use ``filename*`` for the real name)."""
    name = safe_filename(name)
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _ASCII_UNSAFE.sub("_", plain.encode("ascii", "replace").decode("ascii").replace("?", "_"))
    plain = re.sub(r"_+", "_", plain).strip(" _")
    match = _EXT.search(plain)
    ext = match.group(0) if match else ""
    stem = plain[: len(plain) - len(ext)].strip(" _.")
    if not stem:
        stem = "file"
    return stem + ext
