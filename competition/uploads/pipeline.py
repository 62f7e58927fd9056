"""clean_upload: decide the type from the content, check it, clean it."""

from __future__ import annotations

import hashlib

from flask_babel import lazy_gettext as _l

from competition.uploads.document_hidden import document_hidden
from competition.uploads.documents import document_text, identify
from competition.uploads.errors import UploadRejected, not_accepted
from competition.uploads.images import clean_image
from competition.uploads.model import KINDS, CleanedFile, UploadLimits
from competition.uploads.pdfs import clean_pdf
from competition.uploads.sniff import sniff
from competition.uploads.text import decode_text
from competition.uploads.zipsafe import SafeZip

TEXT_MIME = "text/plain; charset=utf-8"
_KIND_OF = {"jpeg": "image", "png": "image", "pdf": "pdf", "text": "txt"}


def clean_upload(data: bytes, accept: set[str], limits: UploadLimits | None = None, derived: bool = True) -> CleanedFile:
    """Check an uploaded file and return the copies that may be stored and
    shown. ``accept`` is a subset of {"image", "pdf", "docx", "odt", "txt"}.
    Raises UploadRejected with a message that tells how to fix the problem. ``derived=False``: an image's
    web copy and thumbnail are left empty, for the task queue to make (images.derive_copies)."""
    limits = limits or UploadLimits()
    accept = set(accept)
    if not accept or not accept <= KINDS:
        raise ValueError(f"accept must be a non-empty subset of {sorted(KINDS)}, got {sorted(accept)}")
    data = bytes(data)
    if len(data) < 2:
        raise UploadRejected(
            "file.empty",
            _l(
                "The file is empty. Check that you chose the right file and that it was saved completely, then upload it again."
            ),
            size=len(data),
        )
    if len(data) > limits.max_bytes:
        raise UploadRejected(
            "file.too_large",
            _l(
                "The file is %(size).1f MB; the limit is %(max).1f MB. Make it smaller (for example save pictures at a lower resolution) and upload it again.",
                size=len(data) / 1_048_576,
                max=limits.max_bytes / 1_048_576,
            ),
            size=len(data),
            max_bytes=limits.max_bytes,
        )
    digest = hashlib.sha256(data).hexdigest()
    found = sniff(data)
    kind = _KIND_OF.get(found, found)
    if found == "unknown" and "txt" in accept:
        kind = "txt"  # let the text decoder say why this is not text
    if found == "zip":
        try:
            container = SafeZip(data, limits)
            kind = found = identify(container)
        except UploadRejected:
            if accept & {"docx", "odt"}:
                raise
        else:
            if kind in accept:
                return _text_result(kind, digest, document_text(kind, container), document_hidden(kind, container))
    if kind not in accept:
        raise not_accepted(found, accept)
    if kind == "image":
        img = clean_image(data, limits, derived)
        return CleanedFile(
            kind="image",
            original_sha256=digest,
            cleaned=img.cleaned,
            cleaned_mime="image/jpeg",
            cleaned_ext=".jpg",
            web=img.web,
            thumb=img.thumb,
            width=img.width,
            height=img.height,
            hidden_text=img.hidden,
        )
    if kind == "pdf":
        pdf = clean_pdf(data, limits)
        return CleanedFile(
            kind="pdf",
            original_sha256=digest,
            cleaned=pdf.cleaned,
            cleaned_mime="application/pdf",
            cleaned_ext=".pdf",
            text=pdf.text,
            page_count=pdf.pages,
            hidden_text=pdf.hidden,
        )
    return _text_result("txt", digest, decode_text(data))


def _text_result(kind: str, digest: str, text: str, hidden: str = "") -> CleanedFile:
    return CleanedFile(
        kind=kind,
        original_sha256=digest,
        cleaned=text.encode("utf-8"),
        cleaned_mime=TEXT_MIME,
        cleaned_ext=".txt",
        text=text,
        hidden_text=hidden,
    )
