"""An image's bytes without its compressed pixels, for tests that search files for names.

A name can hide in an image's metadata (PNG text chunks, JPEG APPn segments and comments) or after its end,
never as text in its compressed pixels (a name drawn on a picture is pixels, not bytes). Searching the
compressed pixels of a 1 MB card for a four-letter name finds one by chance now and then; searching the
rest of the file finds what a reader or a tool could read as text.
"""
from __future__ import annotations

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def without_pixels(data: bytes) -> bytes:
    """``data`` less a PNG's IDAT chunks or a JPEG's entropy-coded scans; any other file unchanged."""
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    return data


def _png(data: bytes) -> bytes:
    kept, pos = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        end = pos + 12 + length  # length, type, data, CRC
        if data[pos + 4:pos + 8] != b"IDAT":
            kept.append(data[pos:end])
        if data[pos + 4:pos + 8] == b"IEND":
            pos = end
            break
        pos = end
    kept.append(data[pos:])  # whatever follows the end
    return b"".join(kept)


def _jpeg(data: bytes) -> bytes:
    kept, pos = [data[:2]], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xD9:  # end of image
            pos += 2
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2  # fill byte, or a marker without a length
            continue
        end = pos + 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        kept.append(data[pos:end])
        pos = end
        if marker == 0xDA:  # start of scan: skip the entropy-coded data up to the next real marker
            while pos + 1 < len(data) and not (data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8))):
                pos += 1
    kept.append(data[pos:])  # whatever follows the end (or what could not be parsed)
    return b"".join(kept)
