"""PDF documents: parsed and cleaned in a sandboxed worker (pdf_worker.py);
this side turns the worker's answer into a result or a clear rejection."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from competition.uploads import pdf_worker
from competition.uploads.errors import UploadRejected
from competition.uploads.model import UploadLimits
from competition.uploads.sandbox import SandboxError, SandboxMemory, SandboxTimeout, run_isolated

FOUND = {
    "javascript": _l("JavaScript code"),
    "launch": _l("an action that starts another program"),
    "embedded_file": _l("an attached file"),
    "file_attachment": _l("a file attachment"),
    "form": _l("a fillable form"),
    "rich_media": _l("embedded multimedia content"),
}


@dataclass
class CleanPdf:
    cleaned: bytes
    text: str
    pages: int
    hidden: str = ""  # the text that cleaning removed (hidden.py)


def clean_pdf(data: bytes, limits: UploadLimits) -> CleanPdf:
    try:
        result = run_isolated(
            pdf_worker.process,
            (data, limits.max_pdf_pages, limits.pdf_memory_bytes // 4),
            timeout_s=limits.pdf_timeout_s,
            memory_bytes=limits.pdf_memory_bytes,
        )
    except SandboxTimeout:
        raise _rejection("pdf.timeout", {}) from None
    except SandboxMemory:
        raise _rejection("pdf.too_complex", {}) from None
    except SandboxError:
        raise _rejection("pdf.damaged", {}) from None
    if not result["ok"]:
        raise _rejection(result["code"], result["params"])
    return CleanPdf(result["cleaned"], result["text"], result["pages"], result["hidden"])


def _rejection(code: str, params: dict) -> UploadRejected:
    if code == "pdf.encrypted":
        msg = _l(
            "This PDF is protected with a password or security restrictions. "
            "Save or export it again as a PDF without a password (for example with “Print → Save as PDF”) and upload the new file."
        )
    elif code == "pdf.active_content":
        msg = _l(
            "This PDF contains %(what)s, which is not allowed for safety reasons. "
            "Save it again with “Print → Save as PDF” (this removes it), then upload the new file.",
            what=FOUND.get(params.get("what"), FOUND["javascript"]),
        )
    elif code == "pdf.too_many_pages":
        msg = _l(
            "This PDF has %(pages)d pages, but at most %(max)d are allowed here. Remove the extra pages and upload it again.",
            pages=params["pages"],
            max=params["max"],
        )
    elif code == "pdf.no_pages":
        msg = _l("This PDF has no pages. Export your work as PDF again and upload the new file.")
    elif code in ("pdf.bomb", "pdf.too_complex", "pdf.timeout"):
        msg = _l(
            "This PDF is too large or complex to be checked. Save it again as a smaller PDF "
            "(for example with “Print → Save as PDF”, or with smaller pictures) and upload the new file."
        )
    else:
        code = "pdf.damaged"
        msg = _l(
            "This PDF file is damaged or was not saved correctly. Open it and save it again with “Print → Save as PDF”, then upload the new file."
        )
    return UploadRejected(code, msg, **params)
