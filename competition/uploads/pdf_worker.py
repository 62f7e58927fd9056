"""The PDF work done inside the sandboxed worker process (see pdfs.py).

Everything here returns plain picklable dicts: {"ok": True, "cleaned",
"text", "pages", "hidden"} or {"ok": False, "code", "params"}; the messages are
made on the parent side. "hidden" is the text that cleaning removed (authors,
comments, the pictures' EXIF...), for the name check only (pdf_scrub.py). It assumes it runs in a disposable process: it edits the
parsed objects in place.
"""

from __future__ import annotations

import io
import logging
import zlib
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from competition.uploads.hidden import hidden_text
from competition.uploads.pdf_scrub import clean_pictures, removed_text, walk
from competition.uploads.pdf_scrub import get as _get

# Page keys that do not belong in the jurors' copy: annotations (comments
# carry their author's name; links), per-page XMP, application private data,
# thumbnails, article beads, structure/tab info, page actions.
PAGE_DROP = ("/Annots", "/Metadata", "/PieceInfo", "/Thumb", "/B", "/StructParents", "/Tabs", "/AA", "/LastModified")
# Keys dropped from every object: XMP, application private data, and a picture's
# link to its high-resolution original (OPI: a file path on someone's computer).
OBJECT_DROP = ("/Metadata", "/PieceInfo", "/OPI")
# Findings in the order they are reported when a file has several.
PRIORITY = ["javascript", "launch", "embedded_file", "file_attachment", "form", "rich_media"]
_ACTION_FINDINGS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "form",
    "/ImportData": "form",
    "/GoToE": "embedded_file",
    "/RichMediaExecute": "rich_media",
}


class _Collect(logging.Handler):
    """pypdf logs (rather than raises) when it repairs a broken file, even in
    strict mode, e.g. "Circular xref chain detected". Keep those records."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def process(data: bytes, max_pages: int, max_inflated: int) -> dict[str, Any]:
    """Check and clean one PDF. ``max_inflated`` caps what one Flate stream
    may inflate to; all streams together may inflate to 4 times that."""
    log = _Collect()
    logger = logging.getLogger("pypdf")
    saved = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # collected, not printed
    logger.addHandler(log)
    try:
        return _process(data, max_pages, max_inflated, log)
    except LimitReachedError:
        return _err("pdf.bomb")
    except (MemoryError, RecursionError):
        return _err("pdf.too_complex")
    except Exception:  # noqa: BLE001 - any parse error in strict mode: a damaged file
        return _err("pdf.damaged")
    finally:
        logger.removeHandler(log)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _err(code: str, **params: Any) -> dict[str, Any]:
    return {"ok": False, "code": code, "params": params}


def _process(data: bytes, max_pages: int, max_inflated: int, log: _Collect) -> dict[str, Any]:
    reader = PdfReader(io.BytesIO(data), strict=True)
    if reader.is_encrypted:
        return _err("pdf.encrypted")
    pages = len(reader.pages)
    if log.records:
        return _err("pdf.damaged")
    if pages == 0:
        return _err("pdf.no_pages")
    if pages > max_pages:
        return _err("pdf.too_many_pages", pages=pages, max=max_pages)
    findings, decoded_ok = scan(reader.trailer.raw_get("/Root"), max_inflated)
    for what in PRIORITY:
        if what in findings:
            return _err("pdf.active_content", what=what)
    if log.records:
        return _err("pdf.damaged")
    if not decoded_ok:
        return _err("pdf.bomb")
    text = _extract_text(reader)
    hidden = removed_text(reader)
    try:
        cleaned, from_pictures = _clean_copy(reader)
    except ValueError:  # a picture whose structure cannot be cleaned
        return _err("pdf.damaged")
    return {"ok": True, "cleaned": cleaned, "text": text, "pages": pages, "hidden": hidden_text(hidden + from_pictures)}


def inspect(d: DictionaryObject) -> set[str]:
    """What active or embedded content this one dictionary represents."""
    found = set()
    if "/JS" in d or "/JavaScript" in d:
        found.add("javascript")
    action = _get(d, "/S")
    if action in _ACTION_FINDINGS:
        found.add(_ACTION_FINDINGS[action])
    kind = _get(d, "/Type")
    if kind == "/EmbeddedFile" or "/EmbeddedFiles" in d or (kind == "/Filespec" and "/EF" in d):
        found.add("embedded_file")
    subtype = _get(d, "/Subtype")
    if subtype == "/FileAttachment":
        found.add("file_attachment")
    elif subtype == "/Widget":
        found.add("form")
    elif subtype in ("/RichMedia", "/Movie", "/Screen", "/3D"):
        found.add("rich_media")
    if "/XFA" in d:
        found.add("form")
    if "/AcroForm" in d:  # a catalog with a form; an empty /Fields is no form
        form = _get(d, "/AcroForm")
        fields = _get(form, "/Fields") if isinstance(form, DictionaryObject) else None
        if (isinstance(fields, ArrayObject) and len(fields)) or (isinstance(form, DictionaryObject) and "/XFA" in form):
            found.add("form")
    return found


def scan(root: Any, max_inflated: int) -> tuple[set[str], bool]:
    """Findings in the whole object graph, and whether every Flate stream
    inflates to a sane size (a FlateDecode bomb does not)."""
    findings: set[str] = set()
    total = 0
    ok = True
    for d in walk(root):
        findings |= inspect(d)
        if ok and isinstance(d, StreamObject) and _is_flate(d):
            size = inflated_size(getattr(d, "_data", b""), max_inflated + 1)
            total += size
            ok = size <= max_inflated and total <= 4 * max_inflated
    return findings, ok


def _is_flate(stream: StreamObject) -> bool:
    filters = _get(stream, "/Filter")
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) else None
    return filters in ("/FlateDecode", "/Fl")


def inflated_size(raw: bytes, cap: int) -> int:
    """Bytes that zlib data inflates to, counted in chunks up to ``cap``,
    without keeping them. A corrupt stream counts as what inflated so far."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size < cap:
            size += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size


def _extract_text(reader: PdfReader) -> str:
    parts = []
    for page in reader.pages:
        try:
            parts.append(page.extract_text() or "")
        except LimitReachedError:
            raise
        except Exception:  # noqa: BLE001 - unusual fonts: no text for this page, not a rejection
            parts.append("")
    return "\n\n".join(p.replace("\x00", "") for p in parts)


def _clean_copy(reader: PdfReader) -> tuple[bytes, list[str]]:
    """Only the pages, in a fresh file: no /Info, no XMP, no outline, no names,
    and pictures without their own metadata. Keys are dropped from the parsed
    objects first, so what they point to is never copied. Also returns the text
    the pictures' metadata held."""
    for page in reader.pages:
        for key in PAGE_DROP:
            page.pop(key, None)
    for d in walk(reader.trailer.raw_get("/Root")):
        for key in OBJECT_DROP:
            d.pop(key, None)
    from_pictures = clean_pictures(reader)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), from_pictures
