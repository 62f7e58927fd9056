"""What the cleaning of a DOCX or ODT drops (everything but the text), read for the name check only:
document properties (author, last editor, company), comments and their authors, tracked changes and
their authors, and the metadata of the pictures inside (EXIF, XMP, IPTC, PNG text)."""

from __future__ import annotations

import io

from PIL import Image

from competition.uploads.documents import _HIDDEN, W_NAMESPACES, _parse
from competition.uploads.errors import UploadRejected
from competition.uploads.hidden import clip, hidden_text, image_lines
from competition.uploads.zipsafe import SafeZip

DOCX_PARTS = {"docProps/core.xml": "document", "docProps/app.xml": "document", "docProps/custom.xml": "document",
              "word/comments.xml": "comment", "word/people.xml": "reviewer"}
DELETED_TEXT = {ns + "delText" for ns in W_NAMESPACES}
PERSON_ATTRIBUTES = {"author", "initials", "creator", "userId"}
MEDIA_FOLDERS = ("word/media/", "Pictures/")
MEDIA_HEAD = 256 * 1024  # metadata sits at the start of a picture file
MAX_MEDIA = 50


def document_hidden(kind: str, z: SafeZip) -> str:
    """Lines "where field: value" of the text that the cleaned copy (the text only) leaves out. Parts that
    cannot be read are skipped: they never reach anyone."""
    names = set(z.names())
    lines: list[str] = []
    if kind == "docx":
        for part, label in DOCX_PARTS.items():
            if part in names:
                lines += _values(z, part, label)
        lines += _values(z, "word/document.xml", "tracked change", DELETED_TEXT)
    else:
        if "meta.xml" in names:
            lines += _values(z, "meta.xml", "document")
        lines += _odt_hidden(z)
    media = sorted(n for n in names if n.startswith(MEDIA_FOLDERS))[:MAX_MEDIA]
    for name in media:
        try:
            head = z.read(name, MEDIA_HEAD)
            with Image.open(io.BytesIO(head), formats=["JPEG", "PNG"]) as im:  # headers only
                lines += image_lines(im, f"picture {name.rsplit('/', 1)[-1]} ")
        except UploadRejected:
            break  # the unpacking budget is spent: the text was read already
        except Exception:  # noqa: BLE001 - not a picture Pillow reads: nothing to report
            continue
    return hidden_text(lines)


def _values(z: SafeZip, part: str, label: str, texts: set[str] | None = None) -> list[str]:
    """Element text (of every element, or of the tags in ``texts``) and people's names in attributes."""
    lines = []
    try:
        for _, el in _parse(z, part):
            local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if (texts is None or el.tag in texts) and el.text and el.text.strip():
                lines.append(f"{label} {local}: {clip(el.text)}")
            for attribute, value in el.attrib.items():
                if attribute.rsplit("}", 1)[-1] in PERSON_ATTRIBUTES and value.strip():
                    lines.append(f"{label} {attribute.rsplit('}', 1)[-1]}: {clip(value)}")
            if texts is not None:
                el.clear()
    except UploadRejected:
        pass
    return lines


def _odt_hidden(z: SafeZip) -> list[str]:
    """The comments (with their authors) and tracked changes of an ODT's content."""
    lines = []
    hidden = 0
    try:
        for event, el in _parse(z, "content.xml", ("start", "end")):
            if el.tag in _HIDDEN:
                hidden += 1 if event == "start" else -1
            elif event == "end" and hidden and el.text and el.text.strip():
                lines.append(f"comment or change {el.tag.rsplit('}', 1)[-1]}: {clip(el.text)}")
    except UploadRejected:
        pass
    return lines
