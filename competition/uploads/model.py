"""Plain data going in and out of the pipeline."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FileKind(enum.StrEnum):
    """What an upload is, by its content (the ``kind`` of entry and campaign files)."""

    IMAGE = "image"
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    TXT = "txt"


KINDS = frozenset(kind.value for kind in FileKind)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_pdf_pages: int = 20  # the caller passes the per-discipline value
    max_zip_entries: int = 1000
    max_zip_uncompressed: int = 50 * 1024 * 1024
    pdf_timeout_s: float = 20.0
    pdf_memory_bytes: int = 768 * 1024 * 1024


@dataclass
class CleanedFile:
    kind: str  # "image" | "pdf" | "docx" | "odt" | "txt"
    original_sha256: str
    cleaned: bytes  # the copy jurors may see: no metadata at all
    cleaned_mime: str
    cleaned_ext: str
    web: bytes | None = None  # images: web-size JPEG (long side 1600)
    thumb: bytes | None = None  # images: thumbnail JPEG (long side 400)
    text: str | None = None  # extracted / decoded text (PDF, DOCX, ODT, TXT)
    width: int | None = None
    height: int | None = None
    page_count: int | None = None
    # The text that cleaning removed (EXIF Artist, PDF Author, XMP creator, comments' authors, PNG text
    # chunks, a document's author...), as lines "field: value": for the name check, never for jurors.
    hidden_text: str = ""
