"""The one exception the pipeline raises for a bad upload, and how types are named in messages."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class UploadRejected(Exception):
    """The upload cannot be accepted.

    ``code`` is a stable machine-readable string (``"image.truncated"``,
    ``"pdf.active_content"``...), ``message`` a lazily translated sentence for
    the pupil or teacher that says how to fix the problem, ``params`` the
    values that went into it.
    """

    def __init__(self, code: str, message: Any, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def lazy_join(parts: list[Any], sep: str = " ") -> LazyString:
    """Join lazy strings lazily, so the result is translated when shown."""
    return LazyString(lambda: sep.join(str(p) for p in parts))


# What a detected file type is called in messages ("This file is ...").
FOUND_LABELS = {
    "jpeg": _l("a JPEG picture"),
    "png": _l("a PNG picture"),
    "gif": _l("a GIF picture"),
    "tiff": _l("a TIFF image"),
    "psd": _l("a Photoshop (PSD) file"),
    "postscript": _l("a PostScript or EPS file"),
    "webp": _l("a WebP picture"),
    "heic": _l("an iPhone HEIC photo"),
    "avif": _l("an AVIF picture"),
    "bmp": _l("a BMP picture"),
    "jpeg2000": _l("a JPEG 2000 picture"),
    "svg": _l("an SVG drawing"),
    "html": _l("a web page (HTML)"),
    "xml": _l("an XML file"),
    "pdf": _l("a PDF document"),
    "docx": _l("a Word document (.docx)"),
    "odt": _l("an OpenDocument text (.odt)"),
    "xlsx": _l("a spreadsheet"),
    "pptx": _l("a presentation"),
    "opendocument": _l("an OpenDocument file that is not a text document"),
    "epub": _l("an e-book (EPUB)"),
    "zip": _l("a ZIP archive"),
    "ole": _l("an old Microsoft Office file (.doc, .xls or .ppt)"),
    "rtf": _l("a Rich Text (RTF) file"),
    "archive": _l("a compressed archive"),
    "executable": _l("a program"),
    "video": _l("a video or audio file"),
    "text": _l("a plain text file"),
    "unknown": _l("of a type that cannot be recognised"),
}

# How an accepted kind is named in "Accepted here: ...".
ACCEPT_LABELS = {
    "image": _l("a JPEG or PNG picture (a photo or scan of the drawing)"),
    "pdf": _l("a PDF document"),
    "docx": _l("a Word document (.docx)"),
    "odt": _l("an OpenDocument text (.odt)"),
    "txt": _l("a plain text file (.txt)"),
}
_ORDER = ["image", "pdf", "docx", "odt", "txt"]

_IMAGE_TYPES = {"gif", "tiff", "psd", "postscript", "webp", "heic", "avif", "bmp", "jpeg2000", "svg"}
_DOCUMENT_TYPES = {"docx", "odt", "ole", "rtf", "xlsx", "pptx", "opendocument", "epub", "html", "xml", "text"}


def not_accepted(found: str, accept: set[str]) -> UploadRejected:
    """The upload is a (recognised or not) type that this field does not take."""
    accepted = lazy_join([ACCEPT_LABELS[k] for k in _ORDER if k in accept], "; ")
    parts: list[Any] = [
        _l(
            "This file is %(found)s, which cannot be uploaded here. Accepted here: %(accepted)s.",
            found=FOUND_LABELS.get(found, FOUND_LABELS["unknown"]),
            accepted=accepted,
        )
    ]
    if found == "heic" and "image" in accept:
        parts.append(
            _l(
                "On the iPhone, share the photo as JPEG or set Settings → Camera → Formats to “Most Compatible”, then upload it again."
            )
        )
    elif found in _IMAGE_TYPES and "image" in accept:
        parts.append(
            _l("Save or export the picture as JPEG or PNG, or take a photo or scan of the drawing, and upload that.")
        )
    elif found in _DOCUMENT_TYPES | {"jpeg", "png"} and "pdf" in accept:
        parts.append(_l("Save or export it as PDF (for example with “Print → Save as PDF”) and upload that."))
    elif found in _DOCUMENT_TYPES and accept & {"docx", "odt", "txt"}:
        parts.append(_l("Open it in a word processor, save it as one of the accepted types and upload that."))
    return UploadRejected("type.not_accepted", lazy_join(parts), found=found, accepted=sorted(accept))
