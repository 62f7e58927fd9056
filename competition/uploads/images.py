"""JPEG and PNG pictures: check, decode fully, orient, convert to sRGB, strip every piece of metadata and
re-encode (full size, web size, thumbnail). An upright sRGB JPEG loses its metadata losslessly instead,
its headers put through the decoder as the check (jpeg_lossless.py)."""

from __future__ import annotations

import contextlib
import io
import math
import struct
import threading
import warnings
import zlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageFile, ImageOps, JpegImagePlugin, UnidentifiedImageError

from competition.uploads.errors import UploadRejected
from competition.uploads.hidden import hidden_text, image_lines
from competition.uploads.jpeg_lossless import lossless_jpeg, lossless_result
from competition.uploads.model import UploadLimits

FORMATS = ["JPEG", "PNG"]
WEB_SIDE = 1600
THUMB_SIDE = 400
QUALITY_FULL = 90
QUALITY_WEB = 85
QUALITY_THUMB = 80
MAX_SIDE = 65_000  # JPEG cannot store more than 65,535 pixels on a side

_SRGB = None
_WARNINGS_LOCK = threading.Lock()


@dataclass
class CleanImage:
    cleaned: bytes
    web: bytes
    thumb: bytes
    width: int
    height: int
    hidden: str = ""  # the text in the metadata that cleaning removed (hidden.py)


def clean_image(data: bytes, limits: UploadLimits, derived: bool = True) -> CleanImage:
    """The cleaned full-size copy and, with ``derived``, the web copy and thumbnail (else empty: ``derive_copies``)."""
    size = header_size(data)
    if size:
        _check_pixels(*size, limits)
    im = _open(data, limits)
    _check_pixels(*im.size, limits)
    fmt = im.format
    if fmt == "PNG" and getattr(im, "n_frames", 1) > 1:
        raise UploadRejected(
            "image.animated",
            _l("This PNG picture is animated. Upload a still picture: a JPEG or PNG photo or scan of the drawing."),
        )
    if fmt in ("JPEG", "MPO") and (lossless := lossless_jpeg(data, im)) is not None:
        return lossless_result(data, im, lossless, derived, limits)
    _decode(im, data)
    hidden = hidden_text(image_lines(im))
    # Keep a JPEG's chroma subsampling (re-encoding 4:2:0 as 4:4:4 only adds bytes); PNG drawings keep full colour.
    sampling = JpegImagePlugin.get_sampling(im) if fmt in ("JPEG", "MPO") else 0
    full = to_srgb(_upright(im))
    del im
    width, height = full.size
    cleaned = encode_jpeg(full, QUALITY_FULL, subsampling=sampling if sampling in (0, 1, 2) else 0)
    if not derived:
        return CleanImage(cleaned, b"", b"", width, height, hidden)
    if fmt in ("JPEG", "MPO") and max(width, height) > WEB_SIDE:
        # The web copy comes from a second, reduced-scale decode (libjpeg's DCT
        # scaling via draft()), which is cheaper than resizing the full image.
        del full
        small = _draft(data, WEB_SIDE)
    else:
        small = full
    web_im = fit(small, WEB_SIDE)
    web = encode_jpeg(web_im, QUALITY_WEB)
    thumb = encode_jpeg(fit(web_im, THUMB_SIDE), QUALITY_THUMB)
    return CleanImage(cleaned, web, thumb, width, height, hidden)


def derive_copies(cleaned: bytes) -> tuple[bytes, bytes]:
    """The web copy and the thumbnail of a cleaned JPEG (made by the task queue, after the upload's request)."""
    with Image.open(io.BytesIO(cleaned)) as im:
        im.draft("RGB", (WEB_SIDE, WEB_SIDE))  # libjpeg's scaled decode: cheaper than resizing the full picture
        web_im = fit(im.convert("RGB"), WEB_SIDE)
    return encode_jpeg(web_im, QUALITY_WEB), encode_jpeg(fit(web_im, THUMB_SIDE), QUALITY_THUMB)


def header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the PNG IHDR or the JPEG SOF segment, without
    handing the file to a decoder."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    for marker, pos in _jpeg_segments(data):
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and pos + 7 <= len(data):
            h, w = struct.unpack(">HH", data[pos + 3 : pos + 7])
            return w, h
    return None


def _jpeg_segments(data: bytes):
    """(marker, offset of its length field) for each JPEG header segment, up
    to and including the first start-of-scan."""
    if not data.startswith(b"\xff\xd8"):
        return
    pos, n = 2, len(data)
    for _ in range(10_000):
        while pos < n and data[pos] != 0xFF:
            pos += 1
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos + 3 > n:
            return
        marker = data[pos]
        pos += 1
        if marker in (0x01, *range(0xD0, 0xD8)):
            continue
        if marker == 0xD9:
            return
        yield marker, pos
        if marker == 0xDA:
            return
        pos += struct.unpack(">H", data[pos : pos + 2])[0]


def _complete(data: bytes) -> bool:
    """The file ends as it should: a PNG's IEND chunk, or a JPEG's
    end-of-image marker after the scan data (where 0xFF bytes are stuffed,
    so FF D9 can only be that marker)."""
    if data.startswith(b"\x89PNG"):
        return b"IEND\xaeB`\x82" in data
    scan = next((pos for marker, pos in _jpeg_segments(data) if marker == 0xDA), None)
    return scan is not None and data.find(b"\xff\xd9", scan) >= 0


def _check_pixels(w: int, h: int, limits: UploadLimits) -> None:
    if w <= 0 or h <= 0:
        raise _corrupt()
    if max(w, h) > MAX_SIDE:
        raise UploadRejected(
            "image.too_long",
            _l(
                "The picture is %(w)d × %(h)d pixels, which is too long on one side (the limit is %(max)d pixels). "
                "Crop it or save it at a smaller size and upload it again.",
                w=w,
                h=h,
                max=MAX_SIDE,
            ),
            w=w,
            h=h,
        )
    if w * h > limits.max_pixels:
        raise UploadRejected(
            "image.too_many_pixels",
            _l(
                "The picture is %(w)d × %(h)d pixels; the limit is %(max)s megapixels. "
                "Save or export it at a smaller size (for example 4000 pixels on the long side) and upload it again.",
                w=w,
                h=h,
                max=f"{limits.max_pixels / 1e6:g}",
            ),
            w=w,
            h=h,
            max_pixels=limits.max_pixels,
        )


def _corrupt() -> UploadRejected:
    return UploadRejected(
        "image.corrupt",
        _l(
            "The picture file is damaged and cannot be opened. Open it on your device, save or export it again as JPEG or PNG, and upload the new file."
        ),
    )


def _open(data: bytes, limits: UploadLimits) -> Image.Image:
    # Pillow's own bomb check is a backstop behind _check_pixels. Warning
    # filters are process-global and catch_warnings is not thread-safe before
    # Python 3.14, so our own calls take turns (opening reads only the header).
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadRejected(
                "image.too_many_pixels",
                _l("The picture has far too many pixels. Save or export it at a smaller size and upload it again."),
                max_pixels=limits.max_pixels,
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
            raise _corrupt() from None


def _truncated() -> UploadRejected:
    return UploadRejected(
        "image.truncated",
        _l(
            "The picture file is incomplete (it was cut off, perhaps during copying or downloading). "
            "Save or export it again and upload the complete file."
        ),
    )


def _decode(im: Image.Image, data: bytes) -> None:
    """Decode every pixel so a truncated or damaged file is caught now."""
    try:
        im.load()
    except OSError as exc:
        raise (_truncated() if "truncated" in str(exc) else _corrupt()) from None
    except (SyntaxError, ValueError, EOFError, struct.error, zlib.error, IndexError):
        raise _corrupt() from None
    # Other code in the process may have set Pillow's global switch that
    # silently pads cut-off files; then check the file's ending ourselves.
    if ImageFile.LOAD_TRUNCATED_IMAGES and not _complete(data):
        raise _truncated()


def _upright(im: Image.Image) -> Image.Image:
    # A broken EXIF block can raise nearly anything: keep the picture as stored.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(im, in_place=True)
    return im


def _srgb_profile() -> ImageCms.ImageCmsProfile:
    global _SRGB
    if _SRGB is None:
        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _SRGB


def to_srgb(im: Image.Image) -> Image.Image:
    """8-bit RGB in sRGB with no alpha (flattened onto white) and no metadata."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode in ("P", "PA"):
        im = im.convert("RGBA" if im.mode == "PA" or im.has_transparency_data else "RGB")
    elif im.mode in ("LA", "La"):
        im = im.convert("LA")
    elif im.mode == "RGBa":
        im = im.convert("RGBA")
    elif im.mode in ("L", "RGB") and "transparency" in im.info:
        im = im.convert(im.mode + "A" if im.mode == "L" else "RGBA")
    if im.mode in ("RGBA", "LA"):
        base = im.mode[:-1]
        flat = Image.new(base, im.size, 255 if base == "L" else (255, 255, 255))
        flat.paste(im.convert(base), mask=im.getchannel("A"))
        im = flat
    if icc:
        im = _apply_profile(im, icc)
    if im.mode != "RGB":
        im = im.convert("RGB")
    im.info = {}
    return im


def _apply_profile(im: Image.Image, icc: bytes) -> Image.Image:
    """Convert to sRGB with the embedded profile; an unusable or mismatched
    profile leaves the picture to the plain conversion."""
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out = ImageCms.profileToProfile(
            im, src, _srgb_profile(), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError, KeyError):
        return im
    return out or im


def fit(im: Image.Image, side: int) -> Image.Image:
    w, h = im.size
    if max(w, h) <= side:
        return im
    scale = side / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # Pillow's thumbnail() defaults: antialiased bicubic after a fast box reduction.
    return im.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def encode_jpeg(im: Image.Image, quality: int, subsampling: int | str = "4:2:0") -> bytes:
    im.info = {}  # JPEG save falls back to im.info for the comment
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, subsampling=subsampling, exif=b"")
    return out.getvalue()


def _draft(data: bytes, side: int) -> Image.Image:
    im = Image.open(io.BytesIO(data), formats=FORMATS)
    w, h = im.size
    scale = side / max(w, h)
    im.draft(None, (max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))))
    _decode(im, data)
    return to_srgb(_upright(im))
