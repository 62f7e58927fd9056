"""Decide what a file is from its content (magic bytes), never from its name."""

from __future__ import annotations

import re

# Tags that make browsers treat a file as HTML (WHATWG MIME sniffing), lower-case.
_HTML_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
    b"<meta",
    b"<link",
    b"<object",
    b"<embed",
    b"<img",
)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff(data: bytes) -> str:
    """Name the format of ``data``: "jpeg", "png", "pdf", "zip", "gif", "tiff",
    "svg", "html", ..., "text" for something that looks like plain text, and
    "unknown" for anything else."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"8BPS"):
        return "psd"
    if head.startswith((b"\xc5\xd0\xd3\xc6", b"%!PS")):
        return "postscript"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return "heic"
        return "avif" if brand in (b"avif", b"avis") else "video"
    if head.startswith((b"\x00\x00\x00\x0cjP  ", b"\xff\x4f\xff\x51")):
        return "jpeg2000"
    if _is_bmp(head):
        return "bmp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        return "archive"
    if head.startswith(b"\x7fELF") or head[:4] in (b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return "executable"
    if head.startswith(b"MZ") and b"\x00" in head:
        return "executable"
    markup = _markup(data[:2048])
    if markup:
        return markup
    return "text" if looks_textual(data[:8192]) else "unknown"


def _is_bmp(head: bytes) -> bool:
    # "BM" alone is too weak (a poem may start with "BM"): also check the
    # reserved zero bytes and a known DIB header size.
    return (
        len(head) >= 18
        and head.startswith(b"BM")
        and head[6:10] == b"\x00\x00\x00\x00"
        and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124)
    )


def _markup(start: bytes) -> str | None:
    """SVG, HTML or other XML, looking past a UTF-8 BOM and leading blanks."""
    text = start.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if not text.startswith(b"<"):
        return None
    if text.startswith(b"<svg") or (text.startswith((b"<?xml", b"<!doctype svg")) and b"<svg" in text):
        return "svg"
    if text.startswith(b"<?xml"):
        return "html" if re.search(rb"<html[\s>]", text) else "xml"
    for tag in _HTML_TAGS:
        if text.startswith(tag):
            rest = text[len(tag) : len(tag) + 1]
            if tag == b"<!--" or rest in (b" ", b">", b"\t", b"\n", b"\r", b"/"):
                return "html"
    return None


def looks_textual(sample: bytes) -> bool:
    """Plausibly text: UTF-16/32 with a BOM, or no NUL and few control bytes."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100 + 2
