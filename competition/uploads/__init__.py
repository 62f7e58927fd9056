"""Checking and cleaning of uploaded files, as a library: plain bytes in,
plain data out, no Flask app needed.

    from competition.uploads import clean_upload, UploadLimits, UploadRejected
    try:
        result = clean_upload(data, {"image", "pdf"}, UploadLimits(max_pdf_pages=1))
    except UploadRejected as exc:
        flash(exc.message)          # lazy, translated when rendered
        log.info("upload rejected: %s", exc.code)

The type is decided by content, never by the file name. ``result.cleaned``
is the copy jurors may see (no metadata), ``result.web``/``thumb`` are JPEG
previews for pictures, ``result.text`` the text of documents, and
``result.hidden_text`` the text that cleaning removed (authors, comments, a
photo's EXIF Artist...), for the name check only: never show it to jurors.
"""

from competition.uploads.errors import UploadRejected
from competition.uploads.model import KINDS, CleanedFile, UploadLimits
from competition.uploads.pipeline import clean_upload
from core.filenames import ascii_filename, safe_filename  # names are core's: downloads use them too

__all__ = [
    "KINDS",
    "CleanedFile",
    "UploadLimits",
    "UploadRejected",
    "ascii_filename",
    "clean_upload",
    "safe_filename",
]
