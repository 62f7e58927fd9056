"""DOCX and ODT: refuse macros, external links and unsafe containers, then
keep only the text (paragraph breaks included). The cleaned copy is that text
as UTF-8, so author names, comments, tracked changes, pictures and their
metadata are dropped by construction. Another module reads the text
of what is dropped (document properties, comments and their authors, tracked
changes, the pictures' EXIF) for the name check (document_hidden.py)."""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from flask_babel import lazy_gettext as _l

from competition.uploads.errors import UploadRejected
from competition.uploads.zipsafe import SafeZip, damaged

# Transitional and Strict OOXML ("Strict Open XML Document" in Word).
W_NAMESPACES = (
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}",
    "{http://purl.oclc.org/ooxml/wordprocessingml/main}",
)
# What each WordprocessingML element contributes to the text.
WORD_TAGS = {
    ns + local: action
    for ns in W_NAMESPACES
    for local, action in {"p": "p", "t": "t", "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}.items()
}
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
SCRIPT = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ODT_MIME = b"application/vnd.oasis.opendocument.text"

# External targets that open only when clicked (hyperlinks) are kept; ones a
# word processor fetches by itself (templates, pictures, OLE, frames) are not.
CLICK_ONLY_RELS = ("/hyperlink",)
ODT_LINKED = {
    DRAW + "image",
    DRAW + "object",
    DRAW + "object-ole",
    DRAW + "plugin",
    DRAW + "applet",
    DRAW + "floating-frame",
    TEXT + "section-source",
}
_PARA = (TEXT + "p", TEXT + "h")
_HIDDEN = (OFFICE + "annotation", TEXT + "tracked-changes")  # carry names; deleted text
_SKIP = {*_HIDDEN, OFFICE + "annotation-end", TEXT + "note-citation"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WS = re.compile(r"[ \t\r\n]+")


def identify(z: SafeZip) -> str:
    """ "docx", "odt", or what other ZIP it is (for the rejection message)."""
    names = set(z.names())
    if "mimetype" in names:
        mime = z.read("mimetype", 100).strip()
        if mime == ODT_MIME:
            return "odt"
        if mime.startswith(b"application/vnd.oasis.opendocument."):
            return "opendocument"
        if mime == b"application/epub+zip":
            return "epub"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
    return "zip"


def _macros() -> UploadRejected:
    return UploadRejected(
        "document.macros",
        _l(
            "The document contains macros, which are not allowed. Save it as a normal document without macros "
            "(Word: “Word Document (.docx)”; LibreOffice: “ODF Text Document (.odt)”) and upload that."
        ),
    )


def _external() -> UploadRejected:
    return UploadRejected(
        "document.external",
        _l(
            "The document loads something from outside the file (for example a template or a linked picture). "
            "Insert pictures into the document instead of linking them, or save it as PDF, and upload it again."
        ),
    )


def _parse(z: SafeZip, name: str, events=("end",)):
    """Iterate over one XML part with entity, DTD and external-reference
    protection; turn any XML problem into a 'damaged' rejection."""
    stream = z.open(name)
    try:
        yield from iterparse(stream, events=events, forbid_dtd=True)
    except (ParseError, DefusedXmlException, RecursionError, UnicodeError, ValueError):
        raise damaged() from None
    finally:
        stream.close()


def docx_text(z: SafeZip) -> str:
    names = z.names()
    if any(
        n.lower().endswith(("vbaproject.bin", "vbadata.xml")) or n.lower().startswith("word/activex/") for n in names
    ):
        raise _macros()
    for _, el in _parse(z, "[Content_Types].xml"):
        if el.tag in (CT + "Default", CT + "Override") and "macroenabled" in el.get("ContentType", "").lower():
            raise _macros()
    for name in names:
        if name.endswith(".rels"):
            for _, el in _parse(z, name):
                if (
                    el.tag == REL
                    and el.get("TargetMode", "").lower() == "external"
                    and not el.get("Type", "").endswith(CLICK_ONLY_RELS)
                ):
                    raise _external()
    paragraphs: list[str] = []
    stack: list[list[str]] = []  # paragraphs inside paragraphs (text boxes)
    current: list[str] = []
    skip = 0  # inside mc:Fallback, which repeats mc:Choice
    for event, el in _parse(z, "word/document.xml", ("start", "end")):
        if el.tag == MC_FALLBACK:
            skip += 1 if event == "start" else -1
            continue
        action = WORD_TAGS.get(el.tag)
        if action is None or skip:
            continue
        if event == "start":
            if action == "p":
                stack.append(current)
                current = []
        elif action == "p":
            paragraphs.append("".join(current))
            current = stack.pop() if stack else []
            el.clear()
        else:
            current.append((el.text or "") if action == "t" else action)
    return "\n".join(paragraphs)


def odt_text(z: SafeZip) -> str:
    if any(n.startswith(("Basic/", "Scripts/")) for n in z.names()):
        raise _macros()
    paragraphs: list[str] = []
    depth = 0  # open text:p / text:h elements
    hidden = 0  # open comments / tracked (deleted) changes: never read them
    for event, el in _parse(z, "content.xml", ("start", "end")):
        tag = el.tag
        if event == "start":
            _check_odt_element(el)
            if tag in _HIDDEN:
                hidden += 1
            elif tag in _PARA:
                depth += 1
        elif tag in _HIDDEN:
            hidden -= 1
        elif tag in _PARA:
            depth -= 1
            if depth == 0 and not hidden:
                out: list[str] = []
                try:
                    _render(el, out)
                except RecursionError:
                    raise damaged() from None
                paragraphs.append("".join(out))
                el.clear()
    return "\n".join(paragraphs)


def _check_odt_element(el) -> None:
    if el.tag == SCRIPT + "event-listener":
        raise _macros()
    href = el.get(XLINK_HREF)
    if href is None:
        return
    if href.lower().startswith(("vnd.sun.star.script:", "macro:", "vnd.sun.star.basic:")):
        raise _macros()
    if el.tag in ODT_LINKED and (_SCHEME.match(href) or href.startswith(("/", "../"))):
        raise _external()


def _render(el, out: list[str]) -> None:
    """Mixed content of an ODF paragraph: collapse white space as ODF says,
    expand text:s / text:tab / text:line-break."""
    tag = el.tag
    if tag == TEXT + "s":
        try:
            out.append(" " * min(max(int(el.get(TEXT + "c", "1")), 1), 1000))
        except ValueError:
            out.append(" ")
    elif tag == TEXT + "tab":
        out.append("\t")
    elif tag == TEXT + "line-break":
        out.append("\n")
    elif tag not in _SKIP:
        if el.text:
            out.append(_WS.sub(" ", el.text))
        for child in el:
            _render(child, out)
            if child.tag in _PARA:
                out.append("\n")
            if child.tail:
                out.append(_WS.sub(" ", child.tail))


def document_text(kind: str, z: SafeZip) -> str:
    text = docx_text(z) if kind == "docx" else odt_text(z)
    text = text.strip("\n")
    if not text.strip():
        raise UploadRejected(
            "document.empty",
            _l(
                "The document contains no text. Check that you chose the right file, or save your text again and upload it."
            ),
        )
    return text

