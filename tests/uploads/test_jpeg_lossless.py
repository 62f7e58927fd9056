"""JPEG uploads cleaned losslessly (jpeg_lossless.py): the metadata goes, the pixels stay bit for bit, and
anything that needs its pixels changed, or that could carry another file, is decoded and re-encoded."""

import io
import struct
import zipfile

import pytest
from PIL import ExifTags, Image, ImageCms

from competition.uploads import UploadLimits, UploadRejected, clean_upload
from competition.uploads.image_streams import strip_jpeg
from competition.uploads.jpeg_lossless import profile_is_srgb
from tests.upload_builders import (
    PLANTED, XMP_PACKET, encode, gray_icc_profile, jpeg_insert_segment, noisy, planted_xmp, tagged_jpeg)

IMG = {"image"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def upload(data: bytes, derived: bool = False):
    """As the entry's upload request cleans it (copies left to the task queue), or with the copies."""
    return clean_upload(data, IMG, UploadLimits(), derived=derived)


def segments(jpeg: bytes) -> list[int]:
    """The markers of the header segments, up to the first scan."""
    found, pos = [], 2
    while jpeg[pos] == 0xFF and jpeg[pos + 1] != 0xDA:
        found.append(jpeg[pos + 1])
        pos += 2 + struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
    return found


def assert_bare(cleaned: bytes) -> None:
    for form in {PLANTED.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")} | {b"Amira", b"Kowalski"}:
        assert form not in cleaned
    for needle in (b"Exif", b"http://ns.adobe.com", b"ICC_PROFILE", b"Photoshop", b"JFXX", b"MPF"):
        assert needle not in cleaned, needle
    assert all(m in (0xE0, 0xEE) or not (0xE1 <= m <= 0xEF or m == 0xFE) for m in segments(cleaned))
    im = Image.open(io.BytesIO(cleaned))
    assert not im.getexif() and not {"exif", "xmp", "comment", "icc_profile", "photoshop"} & set(im.info)
    assert cleaned.endswith(b"\xff\xd9")


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.tobytes()


def exif_with_thumbnail(name: str = PLANTED) -> bytes:
    """An APP1 EXIF payload naming ``name`` (Artist, GPS) with a camera thumbnail JPEG of its own inside."""
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = name
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    thumb = encode(noisy((16, 12)), "JPEG", comment=name.encode())
    return b"Exif\x00\x00" + exif.tobytes()[6:] + thumb


def camera_jpeg(im: Image.Image, **kw) -> bytes:
    """EXIF with GPS and a thumbnail, XMP, an sRGB ICC profile, a comment, and text after the end."""
    data = encode(im, "JPEG", quality=92, icc_profile=SRGB, comment=PLANTED.encode(), **kw)
    data = jpeg_insert_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + planted_xmp())
    data = jpeg_insert_segment(data, 0xE1, exif_with_thumbnail())
    return data + f"after the end: {PLANTED}".encode()


@pytest.mark.parametrize("kw", [
    {},
    {"progressive": True},
    {"restart_marker_blocks": 3},
    {"progressive": True, "restart_marker_rows": 1},
    {"subsampling": "4:4:4"},
], ids=["baseline", "progressive", "restart-markers", "progressive-restarts", "444"])
def test_a_camera_photo_loses_every_hidden_segment_and_keeps_its_pixels(kw):
    data = camera_jpeg(noisy((120, 90)), **kw)
    source = Image.open(io.BytesIO(data))
    assert source.getexif()[ExifTags.Base.Artist] == PLANTED and {"icc_profile", "xmp", "comment"} <= set(source.info)
    result = upload(data)
    assert_bare(result.cleaned)
    assert result.cleaned == strip_jpeg(data)  # rewritten, not re-encoded
    assert pixels(result.cleaned) == pixels(data)
    assert (result.width, result.height) == (120, 90) and result.web == result.thumb == b""
    if kw.get("progressive"):
        assert result.cleaned.count(b"\xff\xda") > 1
    if "restart_marker_blocks" in kw or "restart_marker_rows" in kw:
        assert b"\xff\xd0" in result.cleaned and b"\xff\xdd" in result.cleaned  # RST0 and DRI kept
    lines = result.hidden_text.splitlines()
    for line in ("EXIF Artist: Amira Kowalski", "XMP creator: Amira Kowalski", "comment: Amira Kowalski"):
        assert line in lines, (line, lines)


def test_the_builders_tagged_jpeg_with_iptc_and_a_jfxx_thumbnail_is_rewritten():
    data = tagged_jpeg(size=(96, 64))
    result = upload(data)
    assert_bare(result.cleaned)
    assert pixels(result.cleaned) == pixels(data)
    assert "IPTC By-line: Amira Kowalski" in result.hidden_text


def test_grey_photo_and_the_copies_made_in_the_same_call():
    data = camera_jpeg(noisy((2000, 1000), "L"))
    result = upload(data, derived=True)
    assert_bare(result.cleaned)
    assert pixels(result.cleaned) == pixels(data)
    for copy, size in ((result.web, (1600, 800)), (result.thumb, (400, 200))):
        assert_bare(copy)
        assert Image.open(io.BytesIO(copy)).size == size


def test_a_phone_multi_picture_file_keeps_the_first_picture_only():
    data = encode(noisy((64, 48)), "MPO", save_all=True, append_images=[noisy((32, 24))])
    result = upload(data)
    assert_bare(result.cleaned)
    assert result.cleaned.count(b"\xff\xd8") == 1 and pixels(result.cleaned) == pixels(data)


def test_a_zip_after_the_end_is_cut_off():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("names.txt", PLANTED)
    data = encode(noisy((64, 64)), "JPEG") + archive.getvalue()
    result = upload(data)
    assert b"PK" not in result.cleaned[-200:] and pixels(result.cleaned) == pixels(data)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(result.cleaned))


# ------------------------------------------------------------ what is decoded and re-encoded instead
def reencoded(result, data: bytes) -> bool:
    return result.cleaned != strip_jpeg(data)


def test_orientation_6_is_applied_so_the_picture_is_re_encoded():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = encode(noisy((40, 20)), "JPEG", exif=exif)
    result = upload(data)
    assert reencoded(result, data) and Image.open(io.BytesIO(result.cleaned)).size == (20, 40) == (result.width, result.height)
    assert_bare(result.cleaned)


def test_a_profile_that_changes_colours_is_applied():
    data = encode(Image.new("L", (8, 8), 128), "JPEG", icc_profile=gray_icc_profile(gamma=1.0), quality=100)
    result = upload(data)
    assert reencoded(result, data)
    assert all(abs(v - 188) <= 3 for v in Image.open(io.BytesIO(result.cleaned)).getpixel((4, 4)))


def swapped_primaries() -> bytes:
    """The sRGB profile with its red and blue primaries swapped: well formed, and not sRGB at all."""
    icc = bytearray(SRGB)
    entries = {bytes(icc[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(struct.unpack(">I", icc[128:132])[0])}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    icc[red + 4 : red + 12], icc[blue + 4 : blue + 12] = icc[blue + 4 : blue + 12], icc[red + 4 : red + 12]
    return bytes(icc)


def test_a_photo_in_another_colour_space_is_converted():
    data = encode(noisy((32, 32)), "JPEG", icc_profile=swapped_primaries())
    result = upload(data)
    assert reencoded(result, data) and "icc_profile" not in Image.open(io.BytesIO(result.cleaned)).info


def test_srgb_profile_is_recognised_and_a_wide_gamut_one_is_not():
    assert profile_is_srgb(SRGB, "RGB")
    assert profile_is_srgb(b"not a profile" * 10, "RGB")  # unusable: the decoding path ignores it too
    assert not profile_is_srgb(swapped_primaries(), "RGB")
    assert not profile_is_srgb(gray_icc_profile(gamma=1.0), "L")


@pytest.mark.parametrize("mode", ["CMYK"])
def test_cmyk_is_converted_to_rgb(mode):
    data = camera_jpeg(Image.new(mode, (32, 32), (255, 0, 0, 0)))
    result = upload(data)
    assert reencoded(result, data)
    assert_bare(result.cleaned)
    out = Image.open(io.BytesIO(result.cleaned))
    assert out.mode == "RGB" and b"Adobe" not in result.cleaned


def unused_table(values: bytes) -> bytes:
    """A DHT segment payload: AC table 3, never used by a scan, whose 'symbols' are ``values``."""
    counts = [0] * 16
    counts[15] = len(values)
    return bytes([0x13]) + bytes(counts) + values


@pytest.mark.parametrize("hide", ["table", "scan"])
def test_another_format_hidden_where_a_decoder_skips_it_makes_the_picture_re_encoded(hide):
    plain = encode(noisy((64, 64)), "JPEG", quality=90)
    if hide == "table":
        html = b"<html><script>alert(1)</script></html>"
        data = plain[:2] + b"\xff\xc4" + struct.pack(">H", len(unused_table(html)) + 2) + unused_table(html) + plain[2:]
        found = b"<html"
    else:  # bytes the decoder discards before the end marker: the end of a ZIP's directory
        found = b"PK\x05\x06"
        data = plain[:-2] + found + b"\x00" * 18 + b"\xff\xd9"
    assert pixels(data) == pixels(plain) and found in strip_jpeg(data)  # a rewrite alone would keep it
    result = upload(data)
    assert reencoded(result, data) and found not in result.cleaned


# ------------------------------------------------------------ the check still refuses broken files
def test_a_cut_off_photo_is_refused_as_truncated():
    data = encode(noisy((256, 256)), "JPEG", quality=95)
    with pytest.raises(UploadRejected) as info:
        upload(data[: len(data) * 6 // 10])
    assert info.value.code == "image.truncated"


@pytest.mark.parametrize("derived", [False, True])
def test_a_wrong_header_in_a_later_progressive_scan_is_refused(derived):
    data = bytearray(encode(noisy((64, 64)), "JPEG", progressive=True))
    last = data.rfind(b"\xff\xda")
    count = data[last + 4]
    data[last + 5 + 2 * count] = 70  # Ss beyond the 63 coefficients of a block
    with pytest.raises(UploadRejected) as info:
        upload(bytes(data), derived)
    assert info.value.code == "image.corrupt"


def test_a_scan_that_names_a_missing_table_is_refused():
    data = bytearray(encode(noisy((64, 64)), "JPEG"))
    sos = data.find(b"\xff\xda")
    data[sos + 6] = 0x33  # first component: DC and AC tables 3, never defined
    with pytest.raises(UploadRejected) as info:
        upload(bytes(data))
    assert info.value.code == "image.corrupt"


def test_xmp_only_and_comment_only_files():
    plain = encode(noisy((48, 48)), "JPEG")
    for data in (jpeg_insert_segment(plain, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET),
                 jpeg_insert_segment(plain, 0xFE, b"Ms Teacher Name")):
        result = upload(data)
        assert b"Ms Teacher Name" not in result.cleaned and pixels(result.cleaned) == pixels(plain)


@pytest.mark.parametrize("derived", [False, True])
def test_damaged_scan_data_is_shown_grey_by_every_decode_so_the_headers_check_loses_nothing(derived):
    """libjpeg only warns about bad Huffman codes: a full decode accepted such a file before the headers-only
    check existed, and the copies show the damage as the original does. If Pillow ever refuses it, the
    headers-only check must read the scan data again: this test says so."""
    data = bytearray(encode(noisy((256, 256)), "JPEG", quality=90))
    middle = (data.find(b"\xff\xda") + len(data)) // 2
    data[middle : middle + 500] = bytes((i * 37) % 255 for i in range(500))  # no 0xFF: no marker
    Image.open(io.BytesIO(bytes(data))).load()  # the full decode does not refuse it
    result = upload(bytes(data), derived)
    assert pixels(result.cleaned) == pixels(bytes(data))
