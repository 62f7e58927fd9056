"""Pictures: colour conversion to sRGB, alpha, bit depth, and the three output sizes."""

import io
import struct

import pytest
from PIL import Image, ImageCms

from competition.uploads import UploadLimits, clean_upload
from tests.upload_builders import encode, gray_icc_profile, noisy, opened, raw_png

IMG = {"image"}


# ------------------------------------------------------------ colour
def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (32, 32), (255, 0, 0, 0)), "JPEG", quality=95)  # pure cyan
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    assert out.mode == "RGB"
    r, g, b = out.getpixel((16, 16))
    assert r < 40 and g > 215 and b > 215, (r, g, b)


def test_cmyk_jpeg_with_a_mismatched_icc_profile_still_works():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()  # RGB profile on CMYK data
    data = encode(Image.new("CMYK", (32, 32), (0, 255, 0, 0)), "JPEG", icc_profile=icc)
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    r, g, b = out.getpixel((16, 16))
    assert r > 215 and g < 40 and b > 215, (r, g, b)  # magenta


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_embedded_icc_profile_is_used_for_the_conversion_to_srgb(fmt):
    data = encode(Image.new("L", (8, 8), 128), fmt, icc_profile=gray_icc_profile(gamma=1.0), quality=100)
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    assert "icc_profile" not in out.info
    assert all(abs(v - 188) <= 3 for v in out.getpixel((4, 4))), out.getpixel((4, 4))  # not 128


def test_garbage_icc_profile_is_ignored():
    data = encode(noisy((16, 16)), "JPEG", icc_profile=b"not an ICC profile" * 20)
    assert opened(data).info["icc_profile"].startswith(b"not an ICC")
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    assert out.size == (16, 16) and "icc_profile" not in out.info


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    rows = b"".join(b"\x00" + struct.pack(">H", 0x8080) * 8 for _ in range(8))  # 50 % grey
    data = raw_png(8, 8, 16, 0, rows)
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    assert all(abs(v - 128) <= 3 for v in out.getpixel((4, 4)))


def test_sixteen_bit_rgb_png():
    rows = b"".join(b"\x00" + struct.pack(">HHH", 0xFFFF, 0x0000, 0x8080) * 8 for _ in range(8))
    out = opened(clean_upload(raw_png(8, 8, 16, 2, rows), IMG, UploadLimits()).cleaned)
    r, g, b = out.getpixel((4, 4))
    assert r > 240 and g < 15 and abs(b - 128) <= 6, (r, g, b)


def test_palette_png_with_alpha_is_flattened_onto_white():
    im = Image.new("P", (16, 16), 0)
    im.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    im.paste(1, (8, 0, 16, 16))  # right half: palette entry 1, made fully transparent
    data = encode(im, "PNG", transparency=bytes([255, 0]))
    assert Image.open(io.BytesIO(data)).mode == "P"
    out = opened(clean_upload(data, IMG, UploadLimits()).cleaned)
    left, right = out.getpixel((3, 8)), out.getpixel((12, 8))
    assert left[0] > 220 and left[1] < 40 and left[2] < 40, left
    assert min(right) > 240, right  # transparent became white, not blue or black


@pytest.mark.parametrize("mode,colour", [("RGBA", (0, 0, 0, 0)), ("LA", (0, 0))])
def test_transparent_pixels_become_white(mode, colour):
    out = opened(clean_upload(encode(Image.new(mode, (8, 8), colour), "PNG"), IMG, UploadLimits()).cleaned)
    assert min(out.getpixel((4, 4))) > 245


# ------------------------------------------------------------ outputs
def smooth(size):
    return Image.merge(
        "RGB",
        [Image.linear_gradient("L").resize(size), Image.radial_gradient("L").resize(size), Image.new("L", size, 90)],
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_full_web_and_thumbnail_sizes(fmt):
    data = encode(smooth((2400, 1200)), fmt)
    result = clean_upload(data, IMG, UploadLimits())
    assert (result.kind, result.cleaned_mime, result.cleaned_ext) == ("image", "image/jpeg", ".jpg")
    assert opened(result.cleaned).size == (2400, 1200) == (result.width, result.height)
    assert opened(result.web).size == (1600, 800)
    assert opened(result.thumb).size == (400, 200)
    assert result.text is None and result.page_count is None


def test_small_picture_is_not_enlarged():
    result = clean_upload(encode(noisy((300, 500)), "PNG"), IMG, UploadLimits())
    assert opened(result.web).size == (300, 500)
    assert opened(result.thumb).size == (240, 400)
