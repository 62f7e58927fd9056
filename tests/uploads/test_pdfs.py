"""PDF documents: built by hand (exact bytes) or with pypdf's writer."""

import functools
import io
import zlib

import pytest
from pypdf import PdfReader, PdfWriter

from competition.uploads import UploadLimits, UploadRejected, clean_upload, pdfs
from competition.uploads.sandbox import SandboxCrashed, SandboxMemory, SandboxTimeout
from tests.upload_builders import XMP_PACKET, build_pdf, pdf_objects, pdf_stream, pdf_with_object_stream, simple_pdf

PDF = {"pdf"}


def reject(data, accept=PDF, limits=None):
    with pytest.raises(UploadRejected) as info:
        clean_upload(data, accept, limits or UploadLimits(pdf_timeout_s=10))
    return info.value


def active(data):
    exc = reject(data)
    assert exc.code == "pdf.active_content", exc
    return exc.params["what"]


def test_normal_pdf_text_is_extracted_page_by_page():
    data = simple_pdf(texts=(b"First page of my essay", b"Second page", b"The end"))
    result = clean_upload(data, PDF, UploadLimits())
    assert (result.kind, result.cleaned_mime, result.cleaned_ext, result.page_count) == (
        "pdf",
        "application/pdf",
        ".pdf",
        3,
    )
    assert result.text.split("\n\n") == ["First page of my essay", "Second page", "The end"]
    reread = PdfReader(io.BytesIO(result.cleaned), strict=True)
    assert [p.extract_text() for p in reread.pages] == ["First page of my essay", "Second page", "The end"]
    assert result.web is None and result.thumb is None


def test_openaction_javascript():
    data = simple_pdf(catalog_extra=b" /OpenAction << /S /JavaScript /JS (app.alert('hi')) >>")
    assert active(data) == "javascript"
    assert "JavaScript" in str(reject(data).message)


def test_openaction_javascript_with_hex_escaped_names():
    data = simple_pdf(catalog_extra=b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")
    assert b"JavaScript" not in data and b"/JS" not in data
    assert active(data) == "javascript"


def test_javascript_inside_a_compressed_object_stream():
    data = pdf_with_object_stream(b"<< /S /JavaScript /JS (app.launchURL('http://x')) >>")
    assert b"JavaScript" not in data
    assert clean_upload(pdf_with_object_stream(b"<< /S /GoTo /D [4 0 R /Fit] >>"), PDF, UploadLimits()).page_count == 1
    assert active(data) == "javascript"


def test_document_level_javascript_in_the_names_tree():
    js = b"<< /S /JavaScript /JS (this.print()) >>"
    data = simple_pdf(catalog_extra=b" /Names << /JavaScript << /Names [(x) 6 0 R] >> >>", more=[js])
    assert active(data) == "javascript"


def test_javascript_in_page_additional_actions():
    data = simple_pdf(page_extra=b" /AA << /O << /S /JavaScript /JS (1) >> >>")
    assert active(data) == "javascript"


def test_launch_action():
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (cmd.exe) >> >>"
    data = simple_pdf(page_extra=b" /Annots [6 0 R]", more=[link])
    assert active(data) == "launch"
    assert "another program" in str(reject(data).message)


def test_embedded_file():
    files = [
        b"<< /Type /Filespec /F (homework.exe) /EF << /F 7 0 R >> >>",
        pdf_stream(b"MZ-not-really-a-program", b" /Type /EmbeddedFile"),
    ]
    data = simple_pdf(catalog_extra=b" /Names << /EmbeddedFiles << /Names [(homework.exe) 6 0 R] >> >>", more=files)
    assert active(data) == "embedded_file"


def test_file_attachment_annotation():
    annot = b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS << /Type /Filespec /F (a.txt) >> >>"
    data = simple_pdf(page_extra=b" /Annots [6 0 R]", more=[annot])
    assert active(data) == "file_attachment"


def test_acroform():
    widget = b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [0 0 100 20] /P 4 0 R >>"
    data = simple_pdf(catalog_extra=b" /AcroForm << /Fields [6 0 R] >>", page_extra=b" /Annots [6 0 R]", more=[widget])
    assert active(data) == "form"


def test_acroform_fields_without_widgets_on_the_page():
    field = b"<< /FT /Tx /T (name) >>"
    assert active(simple_pdf(catalog_extra=b" /AcroForm << /Fields [6 0 R] >>", more=[field])) == "form"


def test_empty_acroform_left_by_an_exporter_is_not_a_form():
    result = clean_upload(simple_pdf(catalog_extra=b" /AcroForm << /Fields [] >>"), PDF, UploadLimits())
    assert b"/AcroForm" not in result.cleaned


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_encrypted_pdf(user_password):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    exc = reject(out.getvalue())
    assert exc.code == "pdf.encrypted" and "password" in str(exc.message)


@functools.cache
def deflated_zeros() -> bytes:
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(b"\x00" * (1 << 23)) for _ in range(10)) + packer.flush()  # 80 MiB
    assert len(body) < 100_000
    return body


def bomb_stream(extra=b"") -> bytes:
    body = deflated_zeros()
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(body), extra) + body + b"\nendstream"


@pytest.mark.parametrize("memory", [768 << 20, 256 << 20])  # pypdf's own limit, then ours (memory // 4)
def test_flatedecode_bomb_in_page_content(memory):
    objs = pdf_objects()
    objs[4] = bomb_stream()  # the page's content stream
    exc = reject(build_pdf(objs), limits=UploadLimits(pdf_memory_bytes=memory))
    assert exc.code == "pdf.bomb" and "too large or complex" in str(exc.message)


def test_flatedecode_bomb_in_an_image_nobody_extracts_text_from():
    image = bomb_stream(
        b" /Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8"
    )
    objs = pdf_objects(resources=b"/XObject << /Im1 6 0 R >>", more=[image])
    assert reject(build_pdf(objs), limits=UploadLimits(pdf_memory_bytes=256 << 20)).code == "pdf.bomb"


def test_self_referencing_prev_xref():
    assert reject(build_pdf(pdf_objects(), prev="self")).code == "pdf.damaged"


def test_two_xref_sections_pointing_at_each_other():
    base = build_pdf(pdf_objects())
    first_xref = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    second_xref = len(base)
    update = b"xref\n0 0\ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        first_xref,
        second_xref,
    )
    looped = base.replace(b"/Root 1 0 R >>\nstartxref", b"/Root 1 0 R /Prev %d >>\nstartxref" % second_xref)
    looped = looped[: len(base) + len(looped) - len(base)] + update
    assert reject(looped).code == "pdf.damaged"


REPAIRABLE = {
    "wrong startxref": lambda pdf: pdf.replace(b"startxref\n", b"startxref\n1"),
    "missing endobj": lambda pdf: pdf.replace(b"endobj", b"", 1),
    "wrong stream length": lambda pdf: pdf.replace(b"/Length ", b"/Length 1", 1),
    "duplicate key": lambda pdf: pdf.replace(b"/Type /Catalog", b"/Type /Catalog /Type /Catalog"),
    "catalog xref offset off by one": lambda pdf: shift_xref_entry(pdf, 1),
    "font xref offset off by one": lambda pdf: shift_xref_entry(pdf, 3),  # only resolved while walking
}


def shift_xref_entry(pdf: bytes, number: int) -> bytes:
    offset = pdf.index(b"\n%d 0 obj" % number) + 1
    return pdf.replace(b"%010d 00000 n" % offset, b"%010d 00000 n" % (offset + 1))


@pytest.mark.parametrize("damage", REPAIRABLE)
def test_damage_that_a_lenient_parser_would_repair_is_rejected(damage):
    data = REPAIRABLE[damage](simple_pdf())
    assert data != simple_pdf()
    assert PdfReader(io.BytesIO(data), strict=False).pages[0].extract_text() == "Hello world"
    assert reject(data).code == "pdf.damaged"


def test_garbage_after_the_header():
    assert reject(b"%PDF-1.7\n" + bytes(range(256)) * 40).code == "pdf.damaged"


def test_html_named_pdf():
    exc = reject(b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>")
    assert exc.code == "type.not_accepted" and exc.params["found"] == "html"
    assert "PDF" in str(exc.message)


def test_author_xmp_annotations_and_producer_are_gone_from_the_cleaned_copy():
    xmp = pdf_stream(XMP_PACKET, b" /Type /Metadata /Subtype /XML")
    info = b"<< /Author (Ms Teacher Name) /Creator (Ms Teacher Name) /Producer (SchoolPDF 1.0) /Title (Pupil 42) >>"
    note = b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /T (Ms Teacher Name) /Contents (Good work) >>"
    objs = pdf_objects(
        catalog_extra=b" /Metadata 6 0 R",
        page_extra=b" /Metadata 6 0 R /Annots [8 0 R] /PieceInfo << /App << /Private (Ms Teacher Name) >> >>",
        more=[xmp, info, note],
    )
    data = build_pdf(objs, trailer_extra=b" /Info 7 0 R")
    source = PdfReader(io.BytesIO(data))
    assert source.metadata.author == "Ms Teacher Name" and source.xmp_metadata is not None

    result = clean_upload(data, PDF, UploadLimits())
    cleaned = result.cleaned
    for secret in (
        b"Ms Teacher Name",
        b"SchoolPDF",
        b"Pupil 42",
        b"Good work",
        b"xmpmeta",
        b"/Metadata",
        b"/Info",
        b"/Author",
        b"/Producer",
        b"/Annots",
        b"/PieceInfo",
    ):
        assert secret not in cleaned, secret
    reread = PdfReader(io.BytesIO(cleaned), strict=True)
    assert reread.metadata is None and reread.xmp_metadata is None
    assert result.text == "Hello world"


def test_metadata_on_an_image_xobject_is_gone():
    xmp = pdf_stream(XMP_PACKET, b" /Type /Metadata /Subtype /XML")
    image = pdf_stream(
        b"\x80" * 4,
        b" /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Metadata 7 0 R",
    )
    objs = pdf_objects(resources=b"/XObject << /Im1 6 0 R >> /Font << /F1 3 0 R >>", more=[image, xmp])
    cleaned = clean_upload(build_pdf(objs), PDF, UploadLimits()).cleaned
    assert b"Ms Teacher Name" not in cleaned and b"/Metadata" not in cleaned and b"/Im1" in cleaned


def test_page_count_over_the_limit():
    data = simple_pdf(texts=(b"one", b"two", b"three"))
    assert clean_upload(data, PDF, UploadLimits(max_pdf_pages=3)).page_count == 3
    exc = reject(data, limits=UploadLimits(max_pdf_pages=2))
    assert exc.code == "pdf.too_many_pages" and exc.params == {"pages": 3, "max": 2}
    assert "3 pages" in str(exc.message) and "at most 2" in str(exc.message)


def test_illustration_scan_as_a_one_page_pdf():
    limits = UploadLimits(max_pdf_pages=1)
    assert clean_upload(simple_pdf(), {"image", "pdf"}, limits).kind == "pdf"
    assert reject(simple_pdf(texts=(b"a", b"b")), {"image", "pdf"}, limits).code == "pdf.too_many_pages"


@pytest.mark.parametrize(
    "failure,code",
    [(SandboxTimeout, "pdf.timeout"), (SandboxMemory, "pdf.too_complex"), (SandboxCrashed, "pdf.damaged")],
)
def test_worker_failures_become_clear_rejections(monkeypatch, failure, code):
    def broken(*args, **kwargs):
        raise failure("simulated")

    monkeypatch.setattr(pdfs, "run_isolated", broken)
    exc = reject(simple_pdf())
    assert exc.code == code and str(exc.message)
