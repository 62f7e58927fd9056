"""Build real (good and bad) files for the upload tests, in memory."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from PIL import Image, PngImagePlugin


# ---------------------------------------------------------------- pictures
def photo(size=(64, 48), mode="RGB", seed=1) -> Image.Image:
    """A small noisy picture (so JPEG encoding has something to chew on)."""
    rnd = random.Random(seed)
    im = Image.new(mode, size)
    bands = len(mode)
    im.putdata(
        [
            tuple(rnd.randrange(256) for _ in range(bands)) if bands > 1 else rnd.randrange(256)
            for _ in range(size[0] * size[1])
        ]
    )
    return im


def noisy(size, mode="RGB"):
    bands = [Image.effect_noise(size, 80).point(lambda v, k=k: (v + 40 * k) % 256) for k in range(len(mode))]
    return Image.merge(mode, bands) if len(mode) > 1 else bands[0]


def opened(data):
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **kw)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def raw_png(
    width: int, height: int, bit_depth: int, color_type: int, rows: bytes | None = None, extra_chunks: list[bytes] = ()
) -> bytes:
    """A PNG written by hand: IHDR as given, IDAT from ``rows`` (each row
    prefixed with filter byte 0) or a tiny bogus IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    idat = zlib.compress(rows if rows is not None else b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + b"".join(extra_chunks)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_insert_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """Insert an APPn/COM segment right after SOI."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ms Teacher Name</dc:creator>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


# ---------------------------------------------------------------- PDFs
def build_pdf(
    objs: list[bytes],
    root: int = 1,
    trailer_extra: bytes = b"",
    prev: int | str | None = None,
    header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
) -> bytes:
    """A PDF from numbered object bodies (object i+1 = objs[i]) with a
    correct classic xref table. ``prev="self"`` makes /Prev point at itself."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    prev_entry = b"" if prev is None else b" /Prev %d" % (xref if prev == "self" else prev)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        root,
        trailer_extra,
        prev_entry,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_objects(
    texts=(b"Hello world",), catalog_extra=b"", page_extra=b"", more=(), resources=b"/Font << /F1 3 0 R >>"
) -> list[bytes]:
    """Catalog (1), Pages (2), Font (3), then per page: Page, Contents; then ``more``."""
    n = len(texts)
    first = 4
    kids = b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(texts):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R" % (first + 2 * i + 1)
            + b" /Resources << "
            + resources
            + b" >>"
            + page_extra
            + b" >>"
        )
        objs.append(pdf_stream(b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET", compress=True))
    return objs + list(more)


def simple_pdf(**kw) -> bytes:
    trailer_extra = kw.pop("trailer_extra", b"")
    return build_pdf(pdf_objects(**kw), trailer_extra=trailer_extra)


# ---------------------------------------------------------------- DOCX / ODT
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ms Teacher Name</dc:creator>'
    "<cp:lastModifiedBy>Ms Teacher Name</cp:lastModifiedBy></cp:coreProperties>"
)


def docx_paragraphs(paragraphs: list[str]) -> str:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' if p else "<w:p/>" for p in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
        f"<w:body>{body}</w:body></w:document>"
    )


def docx(
    document_xml: str | None = None,
    *,
    main_type: str = DOCX_MAIN,
    extra: dict[str, bytes | str] = (),
    document_rels: str | None = None,
) -> bytes:
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main_type),
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": document_xml or docx_paragraphs(["First line", "Second line"]),
        "docProps/core.xml": CORE,
    }
    if document_rels:
        files["word/_rels/document.xml.rels"] = document_rels
    files.update(dict(extra))
    return zip_of(files)


def rels(*relationships: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(relationships)
        + "</Relationships>"
    )


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odt_content(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def odt(
    content_xml: str | None = None,
    *,
    mimetype: bytes = b"application/vnd.oasis.opendocument.text",
    extra: dict[str, bytes | str] = (),
) -> bytes:
    files = {
        "mimetype": mimetype,
        "META-INF/manifest.xml": '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        "content.xml": content_xml or odt_content("<text:p>First line</text:p><text:p>Second line</text:p>"),
        "meta.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODT_NS}><office:meta>'
        "<meta:initial-creator>Ms Teacher Name</meta:initial-creator><dc:creator>Ms Teacher Name</dc:creator>"
        "</office:meta></office:document-meta>",
    }
    files.update(dict(extra))
    return zip_of(files)


def zip_of(files: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else compression
            zf.writestr(info, body.encode() if isinstance(body, str) else body)
    return out.getvalue()


def pdf_with_object_stream(hidden_obj: bytes) -> bytes:
    """PDF 1.5 with a cross-reference stream; object 6 (the catalog's
    /OpenAction) lives compressed inside object stream 7, so its bytes never
    appear in the file."""
    regular = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        2: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
        5: pdf_stream(b"BT /F1 14 Tf 72 770 Td (Hello) Tj ET"),
    }
    index = b"6 0 "
    regular[7] = pdf_stream(index + hidden_obj, b" /Type /ObjStm /N 1 /First %d" % len(index), compress=True)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(regular):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + regular[number] + b"\nendobj\n"
    offsets[8] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 9):
        rows.append(struct.pack(">BIH", 2, 7, 0) if number == 6 else struct.pack(">BIH", 1, offsets[number], 0))
    xref = pdf_stream(b"".join(rows), b" /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R", compress=True)
    out += b"8 0 obj\n" + xref + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[8]
    return bytes(out)


def gray_icc_profile(gamma: float = 1.0) -> bytes:
    """A minimal ICC v2 greyscale display profile with a pure gamma curve, built
    by hand: with gamma 1.0 a stored 128 means 50 % linear light, which is
    about 188 in sRGB, so a converter that ignores the profile is caught."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    desc = b"desc" + b"\0" * 4 + struct.pack(">I", 5) + b"gray\0" + b"\0" * 8 + b"\0" * 3 + b"\0" * 67
    wtpt = b"XYZ " + b"\0" * 4 + s15(0.9642) + s15(1.0) + s15(0.8249)
    trc = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", wtpt), (b"kTRC", trc)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntrGRAYXYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# ---------------------------------------------------------------- hidden data (names planted in metadata)
PLANTED = "Amira Kowalski"  # a pupil's name, planted wherever a file can hide text


def planted_xmp(name: str = PLANTED) -> bytes:
    return XMP_PACKET.replace(b"Ms Teacher Name", name.encode())


def iptc_segment(name: str = PLANTED) -> bytes:
    """An APP13 Photoshop block with an IPTC By-line (2:80)."""
    value = name.encode()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(value)) + value
    iptc += b"\x00" * (len(iptc) % 2)
    return b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc


def tagged_jpeg(name: str = PLANTED, size=(64, 48), mode="RGB", trailer: bool = True) -> bytes:
    """A camera-like JPEG that names ``name`` in EXIF (Artist, XPAuthor, Copyright, owner; GPS too), XMP,
    an ICC profile, a comment, IPTC, a JFXX thumbnail that has EXIF of its own, and after its end."""
    exif = Image.Exif()
    exif[0x013B] = name
    exif[0x9C9D] = name.encode("utf-16-le") + b"\x00\x00"
    exif[0x8298] = f"(c) {name}"
    exif.get_ifd(0x8825).update({1: "N", 2: (38.0, 43.0, 21.0), 3: "W", 4: (9.0, 8.0, 22.0)})
    exif.get_ifd(0x8769)[0xA430] = name
    im = photo(size, mode)
    data = encode(im, "JPEG", exif=exif, xmp=planted_xmp(name), comment=name.encode(),
                  icc_profile=b"\x00" * 40 + f"desc {name}".encode())
    thumb_exif = Image.Exif()
    thumb_exif[0x013B] = name
    thumbnail = encode(photo((8, 6), "RGB", seed=2), "JPEG", exif=thumb_exif)
    data = jpeg_insert_segment(data, 0xED, iptc_segment(name))
    data = jpeg_insert_segment(data, 0xE0, b"JFXX\x00\x10" + thumbnail)
    return data + (f"after the end: {name}".encode() if trailer else b"")


def tagged_png(name: str = PLANTED) -> bytes:
    """A PNG naming ``name`` in tEXt, zTXt and iTXt chunks (before and after the pixels), eXIf and tIME."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", name)
    info.add_text("Comment", f"drawn by {name}", zip=True)
    info.add_itxt("Title", f"{name}'s drawing", lang="en", tkey="Title")
    exif = Image.Exif()
    exif[0x013B] = name
    data = encode(photo((40, 30)), "PNG", pnginfo=info, exif=exif)
    late = png_chunk(b"tEXt", b"Source\x00" + name.encode()) + png_chunk(b"tIME", struct.pack(">HBBBBB", 2026, 11, 3, 9, 30, 0))
    end = data.rindex(b"\x00\x00\x00\x00IEND")
    return data[:end] + late + data[end:]


def tagged_jp2(name: str = PLANTED, size=(32, 24)) -> bytes:
    """A JPEG 2000 file with an XML box and an XMP UUID box that name ``name``, and a codestream comment."""
    data = encode(photo(size), "JPEG2000", comment=f"made by {name}".encode())
    xml = b"<note><author>" + name.encode() + b"</author></note>"
    xmp = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC") + planted_xmp(name)
    boxes = struct.pack(">I4s", 8 + len(xml), b"xml ") + xml + struct.pack(">I4s", 8 + len(xmp), b"uuid") + xmp
    return data + boxes


def image_xobject(data: bytes, width: int, height: int, filters: bytes = b"/DCTDecode", extra: bytes = b"",
                  colour: bytes = b"/DeviceRGB") -> bytes:
    return (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8"
            b" /Filter %s /Length %d%s >>\nstream\n" % (width, height, colour, filters, len(data), extra)
            + data + b"\nendstream")


def pdf_page(content: bytes, resources: bytes = b"", more=(), page_extra: bytes = b"", catalog_extra: bytes = b"",
             trailer_extra: bytes = b"") -> bytes:
    """One A4 page: catalog (1), pages (2), page (3), its content (4), a font (5), then ``more`` (6, 7, ...)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
        + resources + b" >>" + page_extra + b" >>",
        pdf_stream(b"BT /F1 14 Tf 72 770 Td (My drawing) Tj ET\n" + content, compress=True),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return build_pdf(objs + list(more), trailer_extra=trailer_extra)


def fpdf_photo_pdf(jpeg: bytes) -> bytes:
    """A PDF made by fpdf2 (as a school's software would), which embeds the JPEG's own bytes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Our class photo")
    pdf.image(io.BytesIO(jpeg), x=10, y=30, w=120)
    return bytes(pdf.output())
