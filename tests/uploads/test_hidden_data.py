"""Files carry nothing hidden: a name planted in every place a PDF, a picture or a document can hide text is
absent from the cleaned bytes (raw, every decompressed stream, every decoded string, every embedded picture's
metadata), and present in ``hidden_text``, which only the name check reads."""

import io
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader

from competition.uploads import UploadLimits, UploadRejected, clean_upload
from tests.upload_builders import (
    PLANTED,
    docx,
    docx_paragraphs,
    fpdf_photo_pdf,
    image_xobject,
    odt,
    odt_content,
    pdf_page,
    pdf_stream,
    photo,
    planted_xmp,
    tagged_jp2,
    tagged_jpeg,
    tagged_png,
)

PDF = {"pdf"}
FIRST, LAST = PLANTED.split()


def clean(data, accept=PDF):
    return clean_upload(data, accept, UploadLimits(pdf_timeout_s=20))


def _forms(name: str) -> set[bytes]:
    out = set()
    for variant in (name, name.lower(), name.upper()):
        for encoding in ("utf-8", "utf-16-be", "utf-16-le", "latin-1"):
            out.add(variant.encode(encoding))
    return out


def pdf_everything(data: bytes) -> list[bytes]:
    """The raw file, every object's decoded strings, and every stream decoded (pictures as stored)."""
    reader = PdfReader(io.BytesIO(data))
    found = [data, str(reader.trailer).encode()]
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if obj is None:
            continue
        found.append(str(obj).encode("utf-8", "replace"))
        if hasattr(obj, "get_data"):
            found.append(obj.get_data())
            raw = obj._data
            try:
                found.append(zlib.decompressobj().decompress(raw))
            except zlib.error:
                pass
    return found


def assert_absent(chunks, *names) -> None:
    for chunk in chunks:
        for name in names or (PLANTED, FIRST, LAST):
            for form in _forms(name):
                assert form not in chunk, (name, chunk[:200])


def pictures(data: bytes) -> list[tuple[dict, bytes]]:
    """(dictionary, stored bytes) of every picture XObject of the cleaned PDF."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if hasattr(obj, "get_data") and obj.get("/Subtype") == "/Image":
            found.append((obj, obj.get_data()))
    return found


def assert_bare_jpeg(data: bytes) -> None:
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG"
    assert not im.getexif() and {name for name, _ in im.applist} <= {"APP0", "APP14"}
    assert not ({"exif", "xmp", "comment", "icc_profile", "photoshop"} & set(im.info)), im.info.keys()
    assert data.endswith(b"\xff\xd9")


def test_an_exif_gps_photo_in_a_pdf_made_by_fpdf2_comes_out_bare_and_pixel_identical():
    jpeg = tagged_jpeg()
    data = fpdf_photo_pdf(jpeg)
    assert PLANTED.encode() in data  # fpdf2 embeds the camera file as it is
    result = clean(data)
    assert_absent(pdf_everything(result.cleaned))
    [(image, stored)] = pictures(result.cleaned)
    assert image["/Filter"] == "/DCTDecode"
    assert_bare_jpeg(stored)
    original, kept = Image.open(io.BytesIO(jpeg)), Image.open(io.BytesIO(stored))
    assert original.tobytes() == kept.tobytes()  # lossless: the same coefficients, decoded the same
    for line in ("EXIF Artist: Amira Kowalski", "EXIF XPAuthor: Amira Kowalski", "EXIF Copyright: (c) Amira Kowalski",
                 "EXIF CameraOwnerName: Amira Kowalski", "XMP creator: Amira Kowalski", "comment: Amira Kowalski",
                 "IPTC By-line: Amira Kowalski"):
        assert f"picture {line}" in result.hidden_text.splitlines(), (line, result.hidden_text)


def test_jpeg_behind_flate_as_a_soft_mask_inline_and_inside_a_form_is_cleaned_everywhere():
    jpeg = tagged_jpeg(trailer=False)
    gray = tagged_jpeg(mode="L", trailer=False)
    flated = zlib.compress(jpeg)
    inline = tagged_jpeg(size=(8, 6), trailer=False)
    form_content = b"q 10 0 0 10 0 0 cm BI /W 8 /H 6 /CS /RGB /BPC 8 /F /DCT ID " + inline + b"\nEI Q"
    more = [
        image_xobject(flated, 64, 48, b"[/FlateDecode /DCTDecode]", b" /SMask 7 0 R"),
        image_xobject(gray, 64, 48, colour=b"/DeviceGray"),
        pdf_stream(form_content, b" /Type /XObject /Subtype /Form /BBox [0 0 100 100]", compress=True),
    ]
    content = b"q 64 0 0 48 72 600 cm /Im1 Do Q /Fm1 Do\nq 8 0 0 6 72 500 cm\nBI /W 8 /H 6 /CS /RGB /BPC 8 /F /DCT ID " + inline + b"\nEI\nQ"
    data = pdf_page(content, b"/XObject << /Im1 6 0 R /Fm1 8 0 R >>", more)
    assert PdfReader(io.BytesIO(data)).pages[0].images  # a real, readable page
    result = clean(data)
    assert_absent(pdf_everything(result.cleaned))
    stored = pictures(result.cleaned)
    assert len(stored) == 2 and all(image["/Filter"] == "/DCTDecode" for image, _ in stored)
    for _image, picture in stored:
        assert_bare_jpeg(picture)
    page = PdfReader(io.BytesIO(result.cleaned)).pages[0]
    inline_images = [op for op in page.get_contents().operations if op[1] == b"INLINE IMAGE"]
    assert len(inline_images) == 1
    assert_bare_jpeg(inline_images[0][0]["data"])
    assert result.text.strip() == "My drawing"
    assert result.hidden_text.count("picture EXIF Artist: Amira Kowalski") == 1  # the same line once


def test_jpeg_2000_picture_loses_its_xml_xmp_and_codestream_comment():
    jp2 = tagged_jp2()
    data = pdf_page(b"q 32 0 0 24 72 600 cm /Im1 Do Q", b"/XObject << /Im1 6 0 R >>",
                    [image_xobject(jp2, 32, 24, b"/JPXDecode")])
    result = clean(data)
    assert_absent(pdf_everything(result.cleaned))
    [(_image, stored)] = pictures(result.cleaned)
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(jp2)).tobytes()
    assert "picture XMP author: Amira Kowalski" in result.hidden_text
    assert "picture XMP creator: Amira Kowalski" in result.hidden_text


def test_author_annotation_popup_page_xmp_thumbnail_info_bookmarks_and_application_data():
    thumb = tagged_jpeg(size=(16, 12), trailer=False)
    note = (b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /T (Tina Marquez) /Contents (Well done Amira Kowalski)"
            b" /Subj (Amira) /RC (<body><p>Amira Kowalski</p></body>) /Popup 7 0 R >>")
    popup = b"<< /Type /Annot /Subtype /Popup /Rect [0 0 100 100] /Parent 6 0 R /Open true >>"
    highlight = b"<< /Type /Annot /Subtype /Highlight /Rect [0 0 10 10] /QuadPoints [0 0 1 0 0 1 1 1] /T <FEFF0041006D006900720061> >>"
    xmp = pdf_stream(planted_xmp(), b" /Type /Metadata /Subtype /XML")
    outline = b"<< /Type /Outlines /First 12 0 R /Last 12 0 R /Count 1 >>"
    item = b"<< /Title (Amira Kowalski's drawing) /Parent 11 0 R /Dest [3 0 R /Fit] >>"
    more = [note, popup, highlight, xmp, image_xobject(thumb, 16, 12), outline, item,
            b"<< /Author (Amira Kowalski) /Title (by Amira Kowalski) /Creator (Tina Marquez) >>"]
    data = pdf_page(b"", page_extra=b" /Annots [6 0 R 7 0 R 8 0 R] /Metadata 9 0 R /Thumb 10 0 R"
                    b" /PieceInfo << /Editor << /Private (Amira Kowalski) >> >>",
                    more=more, catalog_extra=b" /Metadata 9 0 R /Outlines 11 0 R",
                    trailer_extra=b" /Info 13 0 R")
    source = PdfReader(io.BytesIO(data))
    assert source.metadata.author == PLANTED and len(source.outline) == 1
    result = clean(data)
    assert_absent(pdf_everything(result.cleaned), PLANTED, FIRST, LAST, "Tina Marquez")
    for key in (b"/Annots", b"/Popup", b"/Metadata", b"/Thumb", b"/PieceInfo", b"/Outlines", b"/Info", b"/Author"):
        assert key not in result.cleaned, key
    assert pictures(result.cleaned) == []  # the thumbnail was the only picture
    lines = result.hidden_text.splitlines()
    for line in ("PDF Author: Amira Kowalski", "PDF Creator: Tina Marquez", "XMP creator: Amira Kowalski",
                 "PDF comment on page 1, author: Tina Marquez", "PDF comment on page 1, text: Well done Amira Kowalski",
                 "PDF comment on page 1, rich text: Amira Kowalski", "PDF comment on page 1, author: Amira",
                 "PDF bookmark: Amira Kowalski's drawing", "PDF application data: Amira Kowalski"):
        assert line in lines, (line, lines)


@pytest.mark.parametrize("field", [
    b"<< /FT /Tx /T (pupil) /V (Amira Kowalski) >>",
    b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (pupil) /V (Amira Kowalski) /Rect [0 0 100 20] /P 3 0 R"
    b" /AP << /N 7 0 R >> >>",
])
def test_form_fields_and_their_values_are_refused_not_cleaned(field):
    appearance = pdf_stream(b"BT /F1 12 Tf (Amira Kowalski) Tj ET", b" /Type /XObject /Subtype /Form /BBox [0 0 100 20]")
    data = pdf_page(b"", page_extra=b" /Annots [6 0 R]", more=[field, appearance],
                    catalog_extra=b" /AcroForm << /Fields [6 0 R] >>")
    with pytest.raises(UploadRejected) as info:
        clean(data)
    assert info.value.code == "pdf.active_content" and info.value.params["what"] == "form"


def test_a_jpeg_that_cannot_be_parsed_makes_the_pdf_refused_rather_than_kept_with_its_metadata():
    broken = tagged_jpeg(trailer=False)[:400]  # cut inside the EXIF segment
    data = pdf_page(b"", b"/XObject << /Im1 6 0 R >>", [image_xobject(broken, 64, 48)])
    with pytest.raises(UploadRejected) as info:
        clean(data)
    assert info.value.code == "pdf.damaged"


def test_png_text_chunks_exif_and_time_are_gone_and_read():
    data = tagged_png()
    result = clean(data, {"image"})
    for copy in (result.cleaned, result.web, result.thumb):
        assert_absent([copy])
        im = Image.open(io.BytesIO(copy))
        assert im.format == "JPEG" and not im.getexif() and set(im.info) <= {"jfif", "jfif_version", "jfif_unit",
                                                                            "jfif_density", "dpi"}
    lines = result.hidden_text.splitlines()
    for line in ("PNG Author: Amira Kowalski", "PNG Comment: drawn by Amira Kowalski",
                 "PNG Title: Amira Kowalski's drawing", "PNG Source: Amira Kowalski", "EXIF Artist: Amira Kowalski"):
        assert line in lines, (line, lines)


def test_a_camera_jpeg_upload_keeps_no_metadata_and_reports_what_it_held():
    result = clean(tagged_jpeg(), {"image"})
    for copy in (result.cleaned, result.web, result.thumb):
        assert_absent([copy])
        assert_bare_jpeg(copy)
    assert "EXIF Artist: Amira Kowalski" in result.hidden_text and "IPTC By-line: Amira Kowalski" in result.hidden_text


def test_a_plain_file_has_no_hidden_text():
    assert clean(fpdf_photo_pdf(tagged_jpeg("", trailer=False))).hidden_text.count("Amira") == 0
    assert clean(b"A poem\nabout the sea\n", {"txt"}).hidden_text == ""
    plain = io.BytesIO()
    photo((40, 30)).save(plain, "PNG")
    assert clean(plain.getvalue(), {"image"}).hidden_text == ""


def test_docx_comments_tracked_changes_properties_and_pictures_are_dropped_and_read():
    comments = ('<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:comment w:id="0" w:author="Tina Marquez" w:initials="TM"><w:p><w:r><w:t>Ask Amira Kowalski</w:t>'
                "</w:r></w:p></w:comment></w:comments>")
    body = docx_paragraphs(["The sea is wide"]).replace(
        "</w:body>", '<w:p><w:del w:id="1" w:author="Amira Kowalski"><w:r><w:delText>by Amira</w:delText></w:r>'
        "</w:del></w:p></w:body>")
    data = docx(body, extra={"word/comments.xml": comments, "word/media/image1.jpeg": tagged_jpeg(trailer=False)})
    result = clean(data, {"docx"})
    assert result.cleaned == b"The sea is wide" and result.text == "The sea is wide"
    lines = result.hidden_text.splitlines()
    for line in ("document creator: Ms Teacher Name", "comment author: Tina Marquez", "comment t: Ask Amira Kowalski",
                 "tracked change author: Amira Kowalski", "tracked change delText: by Amira",
                 "picture image1.jpeg EXIF Artist: Amira Kowalski"):
        assert line in lines, (line, lines)


def test_odt_comments_and_metadata_are_dropped_and_read():
    body = ("<text:p>The sea is wide<office:annotation><dc:creator>Tina Marquez</dc:creator>"
            "<text:p>Ask Amira Kowalski</text:p></office:annotation></text:p>")
    result = clean(odt(odt_content(body)), {"odt"})
    assert result.text == "The sea is wide"
    lines = result.hidden_text.splitlines()
    assert "comment or change creator: Tina Marquez" in lines and "comment or change p: Ask Amira Kowalski" in lines
    assert "document initial-creator: Ms Teacher Name" in lines


@pytest.mark.parametrize("mode,options", [
    ("RGB", {}), ("L", {}), ("CMYK", {}), ("RGB", {"progressive": True}), ("RGB", {"restart_marker_rows": 1}),
    ("RGB", {"restart_marker_blocks": 3, "subsampling": 0}), ("RGB", {"optimize": True, "quality": 40}),
])
def test_stripping_a_jpeg_keeps_every_pixel_and_is_idempotent(mode, options):
    from competition.uploads.image_streams import strip_jpeg

    exif = Image.Exif()
    exif[0x013B] = PLANTED
    data = io.BytesIO()
    photo((120, 90), mode).save(data, "JPEG", exif=exif, comment=PLANTED.encode(), **options)
    original = data.getvalue() + b"\xff\xd8 a second picture after the end"
    stripped = strip_jpeg(original)
    assert PLANTED.encode() not in stripped and strip_jpeg(stripped) == stripped
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    with pytest.raises(ValueError):
        strip_jpeg(original[:60])  # cut inside a segment
