"""Inside the PDF worker (see pdf_worker.py): read the text that cleaning removes, and clean the pictures
that the cleaned copy keeps.

What cleaning removes and :func:`removed_text` reads first: the document information dictionary (/Info:
Author, Title, Creator...), every XMP packet (catalog, page, picture, form), annotations (their author /T,
/Contents, subject and rich text; pop-ups go with them), bookmarks, and application data (/PieceInfo).

What :func:`clean_pictures` does to the pages that are kept: every JPEG (``/DCTDecode``) and JPEG 2000
(``/JPXDecode``) picture, including soft masks, pictures inside forms and patterns, and inline pictures in
content streams, loses its EXIF, XMP, IPTC, ICC, comments and thumbnails, losslessly (image_streams.py);
the text in them is returned. Pictures in other encodings (Flate, LZW, run-length, CCITT, JBIG2) hold only
pixels. A JPEG that cannot be parsed raises ValueError: the caller refuses the file.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

from PIL import Image
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from competition.uploads.hidden import clip, image_lines, xmp_lines
from competition.uploads.image_streams import jp2_metadata, strip_jp2, strip_jpeg

MAX_OBJECTS = 500_000
_DCT, _JPX = "/DCTDecode", "/JPXDecode"
_ABBREVIATIONS = {"/DCT": _DCT, "/Fl": "/FlateDecode", "/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode",
                  "/LZW": "/LZWDecode", "/RL": "/RunLengthDecode", "/CCF": "/CCITTFaxDecode"}
_ANNOTATION_TEXT = {"/T": "author", "/Contents": "text", "/Subj": "subject", "/RC": "rich text"}
_TAG = re.compile(r"<[^>]*>")
_INLINE_IMAGE = re.compile(rb"(?:^|[\s\])>])BI[\s/]")


def walk(start: Any):
    """Yield every dictionary and stream reachable from ``start``, resolving indirect references (including
    objects inside object streams) once each."""
    stack = [start]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        count += 1
        if count > MAX_OBJECTS:
            raise MemoryError("too many objects")
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))  # raw values: references stay unresolved
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def get(d: DictionaryObject, key: str) -> Any:
    value = dict.get(d, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _text(value: Any) -> str:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, bytes):
        return clip(bytes(value).decode("utf-8", "replace"))
    return clip(value) if isinstance(value, str) else ""


def _strings(start: Any, limit: int = 200) -> list[str]:
    """String values anywhere under ``start`` (for application data of unknown shape)."""
    found, stack, seen = [], [start], set()
    while stack and len(found) < limit and len(seen) < MAX_OBJECTS:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, (DictionaryObject, ArrayObject)):
            stack.extend(dict.values(obj) if isinstance(obj, DictionaryObject) else list.__iter__(obj))
        elif text := _text(obj):
            found.append(text)
    return found


# What cleaning removes ---------------------------------------------------------------------------------

def removed_text(reader) -> list[str]:
    """Lines "where field: value" of the text in the parts of the file that cleaning removes."""
    lines = []
    info = reader.trailer.get("/Info")
    info = info.get_object() if isinstance(info, IndirectObject) else info
    if isinstance(info, DictionaryObject):
        lines += [f"PDF {key[1:]}: {text}" for key, value in info.items() if (text := _text(value))]
    for d in walk(reader.trailer.raw_get("/Root")):
        if isinstance(d, StreamObject) and (get(d, "/Type") == "/Metadata" or get(d, "/Subtype") == "/XML"):
            lines += xmp_lines(d.get_data())
        if "/PieceInfo" in d:
            lines += [f"PDF application data: {text}" for text in _strings(dict.get(d, "/PieceInfo"))]
        if "/Title" in d and ("/Parent" in d or "/First" in d) and "/Type" not in d:  # a bookmark
            lines += [f"PDF bookmark: {text}" for text in [_text(dict.get(d, "/Title"))] if text]
    for number, page in enumerate(reader.pages, start=1):
        annotations = get(page, "/Annots")
        for annotation in annotations if isinstance(annotations, ArrayObject) else ():
            annotation = annotation.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            for key, label in _ANNOTATION_TEXT.items():
                value = get(annotation, key)
                text = _text(value.get_data() if isinstance(value, StreamObject) else value)
                if key == "/RC":  # rich text: XHTML
                    text = clip(_TAG.sub(" ", text))
                if text:
                    lines.append(f"PDF comment on page {number}, {label}: {text}")
    return lines


# Pictures that are kept ---------------------------------------------------------------------------------

def clean_pictures(reader) -> list[str]:
    """Strip the metadata of every JPEG and JPEG 2000 picture reachable from the pages (as they are now:
    call after dropping thumbnails and annotations); return the text it held."""
    lines: list[str] = []
    for d in walk(ArrayObject(reader.pages)):
        if not isinstance(d, StreamObject):
            continue
        subtype = get(d, "/Subtype")
        if subtype == "/Image":
            lines += _clean_image(d)
        elif subtype == "/Form":
            lines += _clean_inline([d], d)
    for page in reader.pages:
        contents = get(page, "/Contents")
        streams = [s.get_object() for s in contents] if isinstance(contents, ArrayObject) else [contents]
        streams = [s for s in streams if isinstance(s, StreamObject)]
        if streams:
            lines += _clean_inline(streams, contents)
    return lines


def _filters(value: Any, parms: Any) -> tuple[list[str], list[Any]]:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    parms = parms.get_object() if isinstance(parms, IndirectObject) else parms
    names = list(value) if isinstance(value, ArrayObject) else [value] if value else []
    names = [_ABBREVIATIONS.get(str(n), str(n)) for n in names]
    parms = list(parms) if isinstance(parms, ArrayObject) else [parms] * len(names)
    return names, (parms + [None] * len(names))[: len(names)]


def picture_lines(data: bytes, jpeg: bool) -> list[str]:
    """The text in one embedded picture's metadata."""
    if not jpeg:
        return [line for payload in jp2_metadata(data) for line in xmp_lines(payload, "picture XMP")]
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as im:  # the header only; nothing is decoded
            return image_lines(im, "picture ")
    except Exception:  # noqa: BLE001 - unreadable metadata is removed all the same
        return []


def _clean_image(stream: StreamObject) -> list[str]:
    filters, parms = _filters(dict.get(stream, "/Filter"), dict.get(stream, "/DecodeParms"))
    if not filters or filters[-1] not in (_DCT, _JPX):
        return []
    data = stream._data if len(filters) == 1 else stream.get_data()  # the filters before DCT/JPX undone
    jpeg = filters[-1] == _DCT
    lines = picture_lines(data, jpeg)
    cleaned = strip_jpeg(data) if jpeg else strip_jp2(data)
    if cleaned != data or len(filters) > 1:
        stream._data = cleaned
        if hasattr(stream, "decoded_self"):
            stream.decoded_self = None
        stream[NameObject("/Filter")] = NameObject(filters[-1])
        if isinstance(parms[-1], DictionaryObject):
            stream[NameObject("/DecodeParms")] = parms[-1]
        else:
            stream.pop("/DecodeParms", None)
    return lines


def _clean_inline(streams: list[StreamObject], contents: Any) -> list[str]:
    """JPEG inline pictures (``BI … ID … EI``) in a content stream, split over ``streams``. Only when one
    changes is the content rewritten (into the first stream, the others emptied)."""
    content = ContentStream(contents if isinstance(contents, ArrayObject) else streams[0], None)
    if not _INLINE_IMAGE.search(content.get_data()):
        return []
    lines: list[str] = []
    changed = False
    operations = content.operations
    for operands, operator in operations:
        if operator != b"INLINE IMAGE":
            continue
        settings = operands["settings"]
        filters, _parms = _filters(settings.get("/F", settings.get("/Filter")), None)
        if filters and filters[-1] == _DCT and len(filters) == 1:
            lines += picture_lines(operands["data"], True)
            cleaned = strip_jpeg(operands["data"])
            changed |= cleaned != operands["data"]
            operands["data"] = cleaned
    if changed:
        content.operations = operations
        for index, stream in enumerate(streams):
            _replace(stream, content.get_data() if index == 0 else b"")
    return lines


def _replace(stream: StreamObject, data: bytes) -> None:
    stream._data = zlib.compress(data) if data else b""
    if hasattr(stream, "decoded_self"):
        stream.decoded_self = None
    stream.pop("/DecodeParms", None)
    if data:
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        stream.pop("/Filter", None)
