"""The text that cleaning removes from a file, kept so that the name check can read it.

Cleaning drops metadata that jurors must never get: a photo's EXIF Artist, a PDF's Author, an XMP
creator, a comment's author. The same text tells the secretariat that the file may name the pupils or
their teacher. These helpers read it, as lines "field: value", from the metadata before it is removed;
:func:`hidden_text` joins them for ``CleanedFile.hidden_text``. They never decode pixels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL import ExifTags, Image, IptcImagePlugin

MAX_CHARS = 20_000  # of hidden text kept per file
MAX_VALUE = 500  # characters of one value
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}  # Windows' XPTitle/Comment/Author/Keywords/Subject (UTF-16)
USER_COMMENT = 0x9286
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
IPTC_FIELDS = {  # IPTC-IIM record 2 datasets that hold words, not codes
    5: "ObjectName", 25: "Keywords", 80: "By-line", 85: "By-lineTitle", 90: "City", 92: "Sub-location",
    95: "Province-State", 101: "Country", 105: "Headline", 110: "Credit", 115: "Source", 116: "CopyrightNotice",
    118: "Contact", 120: "Caption-Abstract", 122: "Writer-Editor",
}


def clip(value: str) -> str:
    value = " ".join(value.replace("\x00", " ").split())
    return value[:MAX_VALUE]


def hidden_text(lines: Iterable[str]) -> str:
    """The lines, once each, in order, within :data:`MAX_CHARS`."""
    seen: set[str] = set()
    out: list[str] = []
    size = 0
    for line in lines:
        if not line or line in seen:
            continue
        seen.add(line)
        size += len(line) + 1
        if size > MAX_CHARS:
            break
        out.append(line)
    return "\n".join(out)


def _decode(value: bytes, tag: int | None = None) -> str:
    if tag in XP_TAGS:
        return value.decode("utf-16-le", "replace")
    if tag == USER_COMMENT and len(value) >= 8:
        prefix, value = value[:8], value[8:]
        if prefix.startswith(b"UNICODE"):
            encoding = "utf-16-be" if value[:1] == b"\x00" else "utf-16-le"
            return value.decode(encoding, "replace")
    return value.decode("utf-8", "replace") if _is_text(value) else ""


def _is_text(value: bytes) -> bool:
    sample = value[:200]
    return bool(sample) and sum(32 <= b < 127 or b >= 128 or b in (9, 10, 13) for b in sample) >= 0.9 * len(sample)


def exif_lines(exif: Image.Exif, prefix: str = "EXIF") -> list[str]:
    """Every text value of the main and Exif IFDs (Artist, Copyright, XPAuthor, UserComment, owner, ...)."""
    lines = []
    sources = [(exif, ExifTags.TAGS)]
    try:
        sources.append((exif.get_ifd(EXIF_IFD), ExifTags.TAGS))
    except Exception:  # noqa: BLE001 - a broken Exif IFD: read what the main IFD holds
        pass
    for ifd, names in sources:
        for tag, value in ifd.items():
            if tag in (EXIF_IFD, GPS_IFD):
                continue
            text = value if isinstance(value, str) else _decode(value, tag) if isinstance(value, bytes) else ""
            text = clip(text)
            if text:
                lines.append(f"{prefix} {names.get(tag, hex(tag))}: {text}")
    return lines


def xmp_lines(data: bytes | str, prefix: str = "XMP") -> list[str]:
    """The values of an XMP packet (element text and attribute values, e.g. dc:creator), with their names."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    data = data.strip(b"\x00 \t\r\n")
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, RecursionError):
        text = clip(re.sub(rb"<[^>]*>", b" ", data).decode("utf-8", "replace"))
        return [f"{prefix}: {text}"] if text else []
    parents = {child: parent for parent in root.iter() for child in parent}
    lines = []
    for element in root.iter():
        if element.text and element.text.strip():
            named = element  # rdf:li and rdf:Seq take the name of the property that holds them
            while named is not None and str(named.tag).startswith(RDF):
                named = parents.get(named)
            lines.append(f"{prefix} {_local(named.tag) if named is not None else 'value'}: {clip(element.text)}")
        for attribute, value in element.attrib.items():
            if _local(attribute) != "about" and value.strip():
                lines.append(f"{prefix} {_local(attribute)}: {clip(value)}")
    return lines


def _local(name) -> str:
    return str(name).rsplit("}", 1)[-1]


def image_lines(im: Image.Image, prefix: str = "") -> list[str]:
    """Text in a picture's metadata, read from an opened (not necessarily decoded) Pillow image: EXIF,
    XMP, comments, IPTC, and a PNG's text chunks (tEXt, zTXt, iTXt) once the PNG is loaded."""
    lines: list[str] = []
    try:
        lines += exif_lines(im.getexif(), f"{prefix}EXIF")
    except Exception:  # noqa: BLE001 - broken EXIF: nothing to read, it is dropped anyway
        pass
    info = im.info
    for key in ("xmp", "XML:com.adobe.xmp"):
        if info.get(key):
            lines += xmp_lines(info[key], f"{prefix}XMP")
    comment = info.get("comment")
    if isinstance(comment, bytes):
        comment = _decode(comment)
    if isinstance(comment, str) and clip(comment):
        lines.append(f"{prefix}comment: {clip(comment)}")
    if im.format == "PNG":  # tEXt, zTXt, iTXt: all of them once loaded, those before the pixels otherwise
        chunks = im.text if _loaded(im) else {k: v for k, v in info.items() if isinstance(v, str)}
        for key, value in chunks.items():
            if key != "XML:com.adobe.xmp" and clip(str(value)):
                lines.append(f"{prefix}PNG {clip(key)}: {clip(str(value))}")
    if im.format in ("JPEG", "MPO"):
        lines += _iptc_lines(im, prefix)
    return lines


def _loaded(im: Image.Image) -> bool:
    return getattr(im, "im", None) is not None


def _iptc_lines(im: Image.Image, prefix: str) -> list[str]:
    try:
        iptc = IptcImagePlugin.getiptcinfo(im) or {}
    except Exception:  # noqa: BLE001 - a broken Photoshop block: dropped anyway
        return []
    lines = []
    for (record, dataset), value in iptc.items():
        if record != 2 or dataset not in IPTC_FIELDS:
            continue
        for item in value if isinstance(value, list) else [value]:
            text = clip(_decode(item)) if isinstance(item, bytes) else ""
            if text:
                lines.append(f"{prefix}IPTC {IPTC_FIELDS[dataset]}: {text}")
    return lines
