"""Lossless removal of metadata from JPEG and JPEG 2000 data, as embedded in PDFs.

A PDF shows a JPEG (``/DCTDecode``) or JPEG 2000 (``/JPXDecode``) picture from the file's own bytes, so
the camera's EXIF (author, GPS position, serial numbers), XMP, IPTC, comments and embedded thumbnails
travel inside the PDF with it. These functions keep only what decoding needs and cut everything after
the end of the picture, without decoding it again: the picture is unchanged, bit for bit.

JPEG: kept are the frame, scan, table and restart segments, the Adobe segment (it says how CMYK and
YCbCr data are stored) and a JFIF segment rebuilt without its thumbnail. Every other APPn segment (EXIF,
XMP, ICC, Photoshop/IPTC, FlashPix, Ducky...), every comment and every JPEG extension segment go.

JPEG 2000: kept are the boxes a decoder needs (signature, file type, reader requirements, header with
its colour specification, codestream and, for JPX, the codestream and layer headers); XML, UUID (XMP),
UUID info, IPR, association and label boxes go, and so do the comments inside the codestream.

Both raise :class:`ValueError` on data that is not well formed: such a picture cannot be cleaned.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

# JPEG marker segments that decoding needs (ITU T.81 table B.1): SOF0-SOF15 but DHT/JPG/DAC, which are
# listed on their own; DHT, DAC, SOS, DQT, DNL, DRI, DHP, EXP.
_JPEG_KEEP = {*range(0xC0, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF} - {0xC8}
_APP0, _APP14, _SOS, _EOI = 0xE0, 0xEE, 0xDA, 0xD9
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
_MAX_SEGMENTS = 100_000
_MARKER_START = re.compile(rb"\xff(?=[^\x00\xd0-\xd7])")


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without metadata segments and without anything after its end (see the module's docstring).
    A file cut off inside its picture data is kept as far as it goes and given an end marker."""
    return rewrite_jpeg(data).cleaned


@dataclass
class JpegRewrite:
    cleaned: bytes  # what strip_jpeg returns
    headers: bytes  # the same without the scans' entropy-coded data: every table and header, decodable fast
    complete: bool  # the data had its end marker (else it was cut off and ``cleaned`` was given one)


def rewrite_jpeg(data: bytes) -> JpegRewrite:
    """:func:`strip_jpeg`, and the cleaned file's headers alone (a decoder reads them all and errors where
    one is wrong, filling the missing pixels with grey), and whether the file was complete."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = [b"\xff\xd8"]
    headers = [b"\xff\xd8"]
    pos, n = 2, len(data)
    for _ in range(_MAX_SEGMENTS):
        if pos >= n:
            raise ValueError("JPEG ends before its end marker")
        if data[pos] != 0xFF:
            raise ValueError("JPEG marker expected")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            raise ValueError("JPEG ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return JpegRewrite(b"".join(out), b"".join(headers) + b"\xff\xd9", True)
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if marker in (0x00, 0xD8) or pos + 2 > n:
            raise ValueError("bad JPEG marker")
        length = struct.unpack(">H", data[pos : pos + 2])[0]
        if length < 2 or pos + length > n:
            raise ValueError("JPEG segment runs past the end")
        payload = data[pos + 2 : pos + length]
        pos += length
        kept = None
        if marker in _JPEG_KEEP:
            kept = bytes((0xFF, marker)) + struct.pack(">H", length) + payload
        elif marker == _APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 12:
            kept = b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00"  # no thumbnail
        elif marker == _APP14 and payload.startswith(b"Adobe") and len(payload) >= 12:
            kept = b"\xff\xee\x00\x0e" + payload[:12]
        if kept is not None:
            out.append(kept)
            headers.append(kept)
        if marker == _SOS:
            end = _entropy_end(data, pos)
            out.append(data[pos:end])
            if end >= n:  # cut off inside the picture data: what there is, then the end marker
                out.append(b"\xff\xd9")
                return JpegRewrite(b"".join(out), b"".join(headers) + b"\xff\xd9", False)
            pos = end
    raise ValueError("too many JPEG segments")


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at ``pos`` ends: the first 0xFF that starts a marker (not a
    stuffed 0xFF00, not a restart marker; with fill bytes, the first of them), or the end of the data."""
    found = _MARKER_START.search(data, pos)
    return found.start() if found else len(data)


# JPEG 2000 (ISO 15444-1 annex I, 15444-2 annex M) ------------------------------------------------------
_JP2_KEEP = {b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jp2c", b"jpch", b"jplh"}
_JP2_SUPERBOXES = {b"jp2h", b"jpch", b"jplh", b"res ", b"cgrp"}
_JP2_INNER_KEEP = {b"ihdr", b"bpcc", b"colr", b"pclr", b"cmap", b"cdef", b"res ", b"resc", b"resd", b"cgrp",
                   b"opct", b"creg"}
_SOT, _SOD, _COM, _TLM, _EOC = 0x90, 0x93, 0x64, 0x55, 0xD9


def strip_jp2(data: bytes) -> bytes:
    """A JP2/JPX file or a bare JPEG 2000 codestream without metadata (see the module's docstring)."""
    if data.startswith(b"\xff\x4f\xff\x51"):
        return strip_j2k(data)
    if data[4:12] != b"jP  \r\n\x87\n":
        raise ValueError("not a JPEG 2000 file")
    return b"".join(_boxes(data, _JP2_KEEP))


def _box_items(data: bytes):
    """(type, body) of each box in ``data``; ValueError where a box is not well formed."""
    pos, n = 0, len(data)
    for _ in range(_MAX_SEGMENTS):
        if pos >= n:
            return
        if pos + 8 > n:
            raise ValueError("bad JPEG 2000 box")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if length == 1:
            if pos + 16 > n:
                raise ValueError("bad JPEG 2000 box")
            length = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif length == 0:
            length = n - pos  # the last box runs to the end
        if length < header or pos + length > n:
            raise ValueError("JPEG 2000 box runs past the end")
        yield kind, data[pos + header : pos + length]
        pos += length
    raise ValueError("too many JPEG 2000 boxes")


def _boxes(data: bytes, keep: set[bytes]):
    for kind, body in _box_items(data):
        if kind not in keep:
            continue
        if kind == b"jp2c":
            body = strip_j2k(body)
        elif kind in _JP2_SUPERBOXES:
            body = b"".join(_boxes(body, _JP2_INNER_KEEP))
        if len(body) + 8 > 0xFFFFFFFF:
            yield struct.pack(">I4sQ", 1, kind, len(body) + 16) + body
        else:
            yield struct.pack(">I4s", len(body) + 8, kind) + body


def strip_j2k(data: bytes) -> bytes:
    """A JPEG 2000 codestream without its comment (COM) segments, in the main and the tile-part headers,
    and without anything after its end. Tile-part lengths are corrected; the optional index of tile-part
    lengths (TLM) goes when one of them changes."""
    if not data.startswith(b"\xff\x4f"):
        raise ValueError("not a JPEG 2000 codestream")
    main, pos = _segments_until(data, 2, _SOT)
    tiles: list[bytes] = []
    changed = False
    n = len(data)
    for _ in range(_MAX_SEGMENTS):
        if pos + 2 > n or data[pos] != 0xFF:
            raise ValueError("JPEG 2000 marker expected")
        if data[pos + 1] == _EOC:
            if changed:
                main = [s for s in main if s[1] != _TLM]
            kept = b"".join(s for s in main if s[1] != _COM)
            return b"\xff\x4f" + kept + b"".join(tiles) + b"\xff\xd9"
        if data[pos + 1] != _SOT or pos + 12 > n or data[pos + 2 : pos + 4] != b"\x00\x0a":
            raise ValueError("JPEG 2000 tile-part expected")
        psot = struct.unpack(">I", data[pos + 6 : pos + 10])[0]
        header, sod = _segments_until(data, pos + 12, _SOD)
        end = data.rfind(b"\xff\xd9") if psot == 0 else pos + psot
        if end <= sod or end > n:
            raise ValueError("JPEG 2000 tile-part runs past the end")
        kept_header = [s for s in header if s[1] != _COM]
        changed |= len(kept_header) != len(header)
        body = data[sod:end]  # SOD and the packets
        sot = bytearray(data[pos : pos + 12])
        if psot:
            sot[6:10] = struct.pack(">I", 12 + sum(map(len, kept_header)) + len(body))
        tiles.append(bytes(sot) + b"".join(kept_header) + body)
        pos = end
    raise ValueError("too many JPEG 2000 tile-parts")


def _segments_until(data: bytes, pos: int, stop: int) -> tuple[list[bytes], int]:
    """The marker segments from ``pos`` up to the ``stop`` marker, and the offset of that marker."""
    found = []
    n = len(data)
    for _ in range(_MAX_SEGMENTS):
        if pos + 2 > n or data[pos] != 0xFF:
            raise ValueError("JPEG 2000 marker expected")
        if data[pos + 1] == stop:
            return found, pos
        if pos + 4 > n:
            raise ValueError("bad JPEG 2000 segment")
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if length < 2 or pos + 2 + length > n:
            raise ValueError("JPEG 2000 segment runs past the end")
        found.append(data[pos : pos + 2 + length])
        pos += 2 + length
    raise ValueError("too many JPEG 2000 segments")


_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def jp2_metadata(data: bytes) -> list[bytes]:
    """The XML and XMP payloads and the codestream comments of a JPEG 2000 file (for reading their text)."""
    found: list[bytes] = []
    try:
        if data.startswith(b"\xff\x4f"):
            codestreams = [data]
        else:
            codestreams = []
            for kind, body in _box_items(data):
                if kind == b"xml ":
                    found.append(body)
                elif kind == b"uuid" and body[:16] == _XMP_UUID:
                    found.append(body[16:])
                elif kind == b"jp2c":
                    codestreams.append(body)
        for codestream in codestreams:
            header, _ = _segments_until(codestream, 2, _SOT)
            found += [segment[6:] for segment in header if segment[1] == _COM and segment[4:6] == b"\x00\x01"]
    except ValueError:
        pass  # what could be read
    return found
