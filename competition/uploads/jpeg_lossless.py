"""A JPEG upload cleaned without decoding and re-encoding it, when its pixels need no change to be shown right.

Most uploads are photos a browser already shows as they are: 8-bit YCbCr or grey, upright as stored, in
sRGB. For those, cleaning is a rewrite of the file's marker segments (``image_streams.strip_jpeg``, the
code that cleans the pictures inside PDFs): the frame, scan, table and restart segments and the scan data
are copied, a JFIF segment is rebuilt without its thumbnail, the Adobe segment keeps its 12 bytes, and
every other APPn segment (EXIF with its GPS position and thumbnail, XMP, ICC, Photoshop/IPTC, MPF...),
every comment and everything after the end of the picture go. The picture is unchanged, bit for bit, and
the upload request skips the full decode and the re-encode (most of its CPU).

:func:`lossless_jpeg` returns ``None`` (the caller decodes, converts and re-encodes, as for any other
picture) when the pixels must change or the file is unusual:

* not a Huffman-coded 8-bit baseline, extended or progressive frame with 1 or 3 components (CMYK and YCCK,
  arithmetic coding, 12-bit, lossless and hierarchical JPEGs are converted);
* colour stored as RGB rather than YCbCr (Adobe transform 0, or components named R, G, B);
* an EXIF orientation other than "upright" (the copy must be turned, since the EXIF goes);
* an ICC profile that changes the colours of a sample of the colour space by more than 2 levels when
  converted to sRGB (an sRGB profile, or one that cannot be used, leaves them as they are);
* cleaned bytes that still hold a signature of another format (ZIP, PDF, RAR, 7z, HTML, XML, SVG) where
  readers look for one: data hidden inside the scan data (bytes the decoder skips) or in an unused table
  survives a rewrite, a re-encode does not.

Before anything is stored, :func:`lossless_result` puts the rewrite's headers (every table, frame and scan
header, no scan data) through the decoder, which refuses a wrong one; with ``derived``, one draft-mode
decode at the web copy's scale checks the picture and makes its copies.
"""

from __future__ import annotations

import functools
import math

from PIL import Image, ImageChops

from competition.uploads.hidden import hidden_text, image_lines
from competition.uploads.image_streams import JpegRewrite, rewrite_jpeg

_HUFFMAN_FRAMES = {0xC0, 0xC1, 0xC2}  # baseline, extended sequential, progressive (Huffman)
_OTHER_FRAMES = {*range(0xC3, 0xD0)} - {0xC4, 0xC8, 0xCC}  # lossless, hierarchical, arithmetic
_HEADER_ONLY = {0xDE, 0xDF}  # DHP, EXP: hierarchical mode
_ORIENTATION = 0x0112
TOLERANCE = 2  # levels of 255: what an sRGB profile's own rounding may move a colour by
# Signatures of formats a reader looks for near a file's start (a PDF's header in its first kilobyte, a
# browser sniffing HTML, RAR and 7z headers) or end (a ZIP's directory, up to 64 KiB before it): cleaned
# bytes that hold one there are re-encoded instead. Only these windows are searched (the middle of 5 MiB
# of scan data 15 times would cost more than the decode); four bytes or more, so that random scan data
# shows one in about 1 upload in 4,000.
SIGNATURES = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"%PDF", b"Rar!", b"7z\xbc\xaf",
              b"<htm", b"<HTM", b"<scr", b"<SCR", b"<svg", b"<SVG", b"<?xm", b"<!DO", b"<!do")
HEAD, TAIL = 4096, 65_536 + 22 + 2  # the end of central directory record, its longest comment, then EOI


def lossless_jpeg(data: bytes, im: Image.Image) -> JpegRewrite | None:
    """``data`` without metadata, unchanged in its pixels, or None when it must be decoded and re-encoded
    (or is cut off: the decoding path says so). ``im`` is ``data`` opened by Pillow (header read only)."""
    if im.format not in ("JPEG", "MPO") or im.mode not in ("RGB", "L") or not _plain_frame(data, im):
        return None
    if _orientation(im) not in (None, 0, 1):
        return None
    icc = im.info.get("icc_profile")
    if icc and not profile_is_srgb(bytes(icc), im.mode):
        return None
    try:
        rewrite = rewrite_jpeg(data)
    except ValueError:
        return None  # the decoder says what is wrong with it
    if not rewrite.complete or _carries_another_format(rewrite.cleaned):
        return None
    return rewrite


def lossless_result(data: bytes, im: Image.Image, rewrite: JpegRewrite, derived: bool, limits):
    """The picture rewritten without its metadata, once it is known to decode. Without ``derived``, the
    check decodes the rewrite's headers alone, in draft mode: every table, frame and scan header goes
    through the decoder (which refuses a wrong one) and no coefficient is read (a full decode does not
    refuse damaged scan data either: it shows it grey; a cut-off file never gets here). With ``derived``,
    one draft-mode decode of the picture at the web copy's scale checks it and makes the two copies."""
    from competition.uploads.images import (
        QUALITY_THUMB, QUALITY_WEB, THUMB_SIDE, WEB_SIDE, CleanImage, _corrupt, _decode, _open, encode_jpeg, fit,
        to_srgb)

    width, height = im.size
    hidden = hidden_text(image_lines(im))
    if not derived:
        check = _open(rewrite.headers, limits)
        if check.size != (width, height) or check.mode != im.mode:
            raise _corrupt()  # the same frame header, read twice: cannot differ
        check.draft(None, (max(1, math.ceil(width / 8)), max(1, math.ceil(height / 8))))
        _decode(check, rewrite.headers)
        return CleanImage(rewrite.cleaned, b"", b"", width, height, hidden)
    scale = min(1.0, WEB_SIDE / max(width, height))
    im.draft(None, (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))
    _decode(im, data)
    # As derive_copies makes them from the cleaned copy, which has no profile (an sRGB one was dropped).
    im.info.pop("icc_profile", None)
    web_im = fit(to_srgb(im), WEB_SIDE)
    web = encode_jpeg(web_im, QUALITY_WEB)
    return CleanImage(rewrite.cleaned, web, encode_jpeg(fit(web_im, THUMB_SIDE), QUALITY_THUMB), width, height, hidden)


def _carries_another_format(cleaned: bytes) -> bool:
    windows = (cleaned[:HEAD], cleaned[-TAIL:]) if len(cleaned) > HEAD + TAIL else (cleaned,)
    return any(signature in window for window in windows for signature in SIGNATURES)


def _plain_frame(data: bytes, im: Image.Image) -> bool:
    from competition.uploads.images import _jpeg_segments

    frames, components = [], b""
    for marker, pos in _jpeg_segments(data):
        if marker in _HUFFMAN_FRAMES or marker in _OTHER_FRAMES:
            frames.append(marker)
            if pos + 8 > len(data) or data[pos + 2] != 8:  # sample precision
                return False
            count = data[pos + 7]
            components = data[pos + 8 : pos + 8 + 3 * count : 3]
        elif marker in _HEADER_ONLY:
            return False
    if len(frames) != 1 or frames[0] not in _HUFFMAN_FRAMES or len(components) not in (1, 3):
        return False
    if len(components) == 3:
        if "adobe" in im.info and im.info.get("adobe_transform") != 1:
            return False  # Adobe transform 0: stored as RGB
        if "adobe" not in im.info and "jfif" not in im.info and components == b"RGB":
            return False
    return True


def _orientation(im: Image.Image) -> int | None:
    try:
        return im.getexif().get(_ORIENTATION)
    except Exception:  # noqa: BLE001 - a broken EXIF block: the decoding path keeps it as stored too
        return None


def _sample(mode: str) -> Image.Image:
    """Every grey level and a 9-step cube of colours, one pixel each."""
    if mode == "L":
        return Image.frombytes("L", (256, 1), bytes(range(256)))
    steps = [0, 32, 64, 96, 128, 160, 192, 224, 255]
    cube = bytes(v for r in steps for g in steps for b in steps for v in (r, g, b))
    greys = bytes(v for level in range(256) for v in (level, level, level))
    return Image.frombytes("RGB", (len(cube + greys) // 3, 1), cube + greys)


@functools.lru_cache(maxsize=32)
def profile_is_srgb(icc: bytes, mode: str) -> bool:
    """The embedded profile leaves colours as they are when converted to sRGB (within :data:`TOLERANCE`),
    as the decoding path converts them (``images._apply_profile``)."""
    from competition.uploads.images import _apply_profile

    sample = _sample(mode)
    converted = _apply_profile(sample.copy(), icc).convert("RGB")
    if converted.size != sample.size:
        return False
    low_high = ImageChops.difference(converted, sample.convert("RGB")).getextrema()
    return max(high for _low, high in low_high) <= TOLERANCE
