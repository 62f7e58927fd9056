"""Pictures: every bad input is built here as a real file."""

import io
import struct
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile

from competition.uploads import UploadLimits, UploadRejected, clean_upload
from competition.uploads.images import header_size
from tests.upload_builders import XMP_PACKET, encode, jpeg_insert_segment, noisy, opened, photo, png_chunk, raw_png

IMG = {"image"}


def reject(data, accept=IMG, limits=None):
    with pytest.raises(UploadRejected) as info:
        clean_upload(data, accept, limits or UploadLimits())
    return info.value


def assert_no_metadata(jpeg: bytes):
    im = opened(jpeg)
    assert im.format == "JPEG"
    assert not im.getexif()
    assert "icc_profile" not in im.info and "comment" not in im.info and "xmp" not in im.info
    assert b"Exif" not in jpeg and b"GPS" not in jpeg and b"ICC_PROFILE" not in jpeg
    assert b"http://ns.adobe.com/xap" not in jpeg and b"Ms Teacher Name" not in jpeg
    # only SOI, JFIF (APP0), quantisation/huffman tables, SOF, SOS: no APP1..APP15, no COM
    pos = 2
    while jpeg[pos] == 0xFF and jpeg[pos + 1] != 0xDA:
        marker = jpeg[pos + 1]
        assert marker == 0xE0 or not (0xE1 <= marker <= 0xEF or marker == 0xFE), hex(marker)
        pos += 2 + struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]


# ------------------------------------------------------------ size limits
def test_png_header_claiming_20000_by_20000_is_rejected_before_decoding():
    data = raw_png(20000, 20000, 8, 2)  # 1.2 billion bytes of pixels promised, 16 bytes given
    assert header_size(data) == (20000, 20000)
    exc = reject(data)
    assert exc.code == "image.too_many_pixels"
    assert exc.params["w"] == 20000 and exc.params["h"] == 20000
    assert "20000" in str(exc.message) and "megapixels" in str(exc.message)


def test_image_over_configured_pixel_cap():
    data = encode(noisy((300, 200)), "PNG")
    assert clean_upload(data, IMG, UploadLimits(max_pixels=60_000)).width == 300
    exc = reject(data, limits=UploadLimits(max_pixels=59_999))
    assert exc.code == "image.too_many_pixels" and (exc.params["w"], exc.params["h"]) == (300, 200)


def test_pixel_cap_is_checked_from_the_jpeg_header_before_decoding():
    # header says 5000x5000, the scan data is cut off: the cap must win over "truncated"
    big = encode(Image.new("RGB", (5000, 5000), "white"), "JPEG", quality=10)
    assert header_size(big) == (5000, 5000)
    exc = reject(big[:2000], limits=UploadLimits(max_pixels=1_000_000))
    assert exc.code == "image.too_many_pixels"


def test_picture_too_long_on_one_side_for_jpeg():
    exc = reject(raw_png(70_000, 10, 8, 0))
    assert exc.code == "image.too_long" and "70000" in str(exc.message)


@pytest.mark.parametrize("side", [10_000, 20_000])  # over Pillow's warning and its error threshold
def test_pillow_decompression_bomb_checks_become_rejections(side):
    exc = reject(raw_png(side, side, 8, 0), limits=UploadLimits(max_pixels=10**12))
    assert exc.code == "image.too_many_pixels"


# ------------------------------------------------------------ broken files
def test_truncated_jpeg():
    data = encode(noisy((256, 256)), "JPEG", quality=95)
    exc = reject(data[: len(data) * 6 // 10])
    assert exc.code == "image.truncated"
    assert "incomplete" in str(exc.message)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_caught_even_if_other_code_set_load_truncated_images(monkeypatch, fmt):
    data = encode(noisy((256, 256)), fmt)
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    assert clean_upload(data, IMG, UploadLimits()).width == 256
    assert reject(data[: len(data) * 6 // 10]).code == "image.truncated"


def test_truncated_png():
    data = encode(noisy((256, 256)), "PNG")
    assert reject(data[: len(data) // 2]).code in ("image.truncated", "image.corrupt")


def test_jpeg_magic_with_garbage_is_corrupt():
    assert reject(b"\xff\xd8\xff\xe0" + b"\x13" * 500).code == "image.corrupt"


# ------------------------------------------------------------ not a JPEG/PNG
def minimal_psd() -> bytes:
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 32, 32, 8, 3)
    return header + struct.pack(">I", 0) * 3 + struct.pack(">H", 0) + b"\x00" * (32 * 32 * 3)


SPOOFED = {
    "tiff": lambda: encode(photo(), "TIFF"),
    "psd": minimal_psd,
    "postscript": lambda: (
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\n%%EOF\n"
    ),
    "svg": lambda: (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    ),
    "html": lambda: b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
}


@pytest.mark.parametrize("found", SPOOFED)
def test_png_name_with_other_content_is_rejected_by_content(found):
    data = SPOOFED[found]()
    exc = reject(data)
    assert exc.code == "type.not_accepted"
    assert exc.params["found"] == found
    assert "JPEG or PNG" in str(exc.message)


def test_svg_with_script():
    data = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>fetch('/steal?c='+document.cookie)</script></svg>"
    )
    exc = reject(data, accept={"image", "pdf", "txt"})
    assert exc.code == "type.not_accepted" and exc.params["found"] == "svg"


def test_animated_gif_is_rejected():
    frames = [Image.new("P", (16, 16), i) for i in range(3)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    exc = reject(data)
    assert exc.code == "type.not_accepted" and exc.params["found"] == "gif"


def test_apng_is_rejected_as_animated():
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "green", "blue")]
    data = encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    exc = reject(data)
    assert exc.code == "image.animated" and "still" in str(exc.message)


def test_multi_picture_jpeg_from_a_phone_is_accepted():
    frames = [noisy((64, 48)), noisy((32, 24))]
    data = encode(frames[0], "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = clean_upload(data, IMG, UploadLimits())
    assert (result.width, result.height) == (64, 48)


# ------------------------------------------------------------ hidden payloads
def test_jpeg_html_polyglot_loses_the_html():
    html = b"<html><script>alert(document.domain)</script></html>"
    data = jpeg_insert_segment(encode(noisy((64, 64)), "JPEG"), 0xFE, html)
    assert html in data and opened(data).info.get("comment") == html
    result = clean_upload(data, IMG, UploadLimits())
    for blob in (result.cleaned, result.web, result.thumb):
        assert b"<script" not in blob and b"<html" not in blob and b"alert" not in blob
        assert_no_metadata(blob)


def test_jpeg_with_zip_appended_loses_the_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("payload.txt", "SECRET-ZIP-PAYLOAD")
    data = encode(noisy((64, 64)), "JPEG") + out.getvalue()
    result = clean_upload(data, IMG, UploadLimits())
    for blob in (result.cleaned, result.web, result.thumb):
        assert b"PK\x03\x04" not in blob and b"PK\x05\x06" not in blob and b"SECRET-ZIP" not in blob
    assert result.cleaned.endswith(b"\xff\xd9")


# ------------------------------------------------------------ metadata and orientation
def test_exif_gps_and_orientation_6_are_applied_then_removed():
    stored = Image.new("RGB", (40, 20), "white")
    stored.paste((255, 0, 0), (0, 0, 10, 10))  # mark the stored top-left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Artist] = "Ms Teacher Name"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    data = encode(stored, "JPEG", exif=exif, quality=95)
    src = Image.open(io.BytesIO(data))
    assert src.size == (40, 20) and src.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = clean_upload(data, IMG, UploadLimits())
    out = opened(result.cleaned)
    assert (result.width, result.height) == (20, 40) == out.size
    # orientation 6: stored row 0 is the visual right side, stored column 0 the visual top
    red = out.getpixel((15, 4))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60, red
    for corner in [(2, 2), (2, 37), (17, 37)]:
        assert min(out.getpixel(corner)) > 200, corner
    assert_no_metadata(result.cleaned)
    assert_no_metadata(result.web)
    assert_no_metadata(result.thumb)
    assert opened(result.thumb).size == (20, 40)


def test_jpeg_xmp_comment_and_icc_are_stripped():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(noisy((64, 64)), "JPEG", icc_profile=icc, comment=b"Ms Teacher Name")
    data = jpeg_insert_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET)
    src = opened(data)
    assert src.info.get("icc_profile") and src.info.get("comment") and src.info.get("xmp")
    result = clean_upload(data, IMG, UploadLimits())
    assert_no_metadata(result.cleaned)


def test_png_text_chunks_xmp_and_exif_are_stripped():
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Ms Teacher Name"
    body = encode(noisy((32, 32)), "PNG", exif=exif)
    extra = [
        png_chunk(b"tEXt", b"Author\x00Ms Teacher Name"),
        png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Ms Teacher Name")),
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP_PACKET),
    ]
    data = body[:33] + b"".join(extra) + body[33:]  # after the IHDR chunk
    src = opened(data)
    assert src.info.get("Author") == "Ms Teacher Name" and "xmp" in src.info and src.getexif()
    result = clean_upload(data, IMG, UploadLimits())
    assert_no_metadata(result.cleaned)
