"""Quote, story and statement cards in the three sizes of the competition's cards, in the campaign's look.

The drawing is the competition cards' (``judging.exports.cards`` and ``fonts``): every script in the
bundled fonts, shaped by raqm, right-to-left text set from the right, emoji left out. Only what consent
allows is drawn: the photo with consent to use the image, the name with consent to show it. The photo
is cropped by ``crop.crop_box`` (face-friendly by default, adjusted by the secretariat).
"""
from __future__ import annotations

import io
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw

from campaign.crop import crop_box
from campaign.models import Kind
from core.files import get_storage
from judging.exports.cards import SIZES, Block, _load, _motif, _text
from judging.exports.fonts import RAQM, Box, Font, coverage, draw_line, is_rtl, printable
from judging.exports.model import HASHTAGS, SLOGAN

INK, MUTED, PANEL = "#1b1f24", "#4a5360", "#ffffff"
LOOK = {"quote": ("#fdf1e7", "#b4472b"), "story": ("#eaf2f8", "#1f5f8b"), "statement": ("#eef3ea", "#3d6b35")}
EXCERPT_WORDS = {"portrait": 90, "square": 60, "landscape": 55}


def _photo_path(sub) -> Path | None:
    photo = sub.public_photo
    if photo is None:
        return None
    storage = get_storage()
    for key in (photo.web_key, photo.cleaned_key):
        if key and storage.exists(key):
            return storage.local_copy(key)  # in S3, a copy on this machine: Pillow reads a path
    return None


def _reading(sub, language: str, size: str) -> tuple[str, str, str | None]:
    """(note, text, direction): the text itself when the fonts draw it, else its translation, else a pointer."""
    body = sub.text.strip()
    if sub.kind == Kind.STORY:
        words = body.split()
        body = " ".join(words[:EXCERPT_WORDS[size]]) + ("…" if len(words) > EXCERPT_WORDS[size] else "")
    if body and coverage(body) >= 0.5:
        text = printable(body)
        return "", text, "rtl" if RAQM and is_rtl(text) else None
    with force_locale(language):
        if sub.translation_text.strip() and coverage(sub.translation_text) >= 0.5:
            words = sub.translation_text.split()
            text = " ".join(words[:EXCERPT_WORDS[size]]) + ("…" if len(words) > EXCERPT_WORDS[size] else "")
            return printable(_("Translation")), printable(text), None
        return "", printable(_("Read it on the campaign page")), None


def _signature(sub, language: str) -> str:
    with force_locale(language):
        name = sub.public_name
        if sub.kind == Kind.STATEMENT:
            return printable(f"{name}, {sub.person_title}")
        return printable(f"{name} · {sub.city.name}" if name else sub.city.name)


def layout(sub, size: str = "portrait", language: str = "en") -> list[Block]:
    width, height = SIZES[size]
    landscape = width > height
    m = 48 if landscape else 64
    photo = _photo_path(sub)
    blocks: list[Block | None] = [_text("slogan", printable(SLOGAN), (m, m, width - m, m + 44), (34, 24), "bold", "accent",
                                        max_lines=1)]
    tags = _text("hashtags", printable(" ".join(HASHTAGS)), (m, height - m - 40, width - m, height - m), (28, 18),
                 "medium", "accent", max_lines=1, valign="bottom")
    blocks.append(tags)
    bottom = (tags.ink[1] if tags else height - m) - 20
    signature = _text("credit", _signature(sub, language), (m, bottom - 80, width - m, bottom), (36, 22), "bold", INK,
                      max_lines=2, valign="bottom", direction="rtl" if RAQM and is_rtl(printable(sub.public_name)) else None)
    blocks.append(signature)
    bottom = (signature.ink[1] if signature else bottom) - 24
    top = m + 70
    text_box: Box = (m, top, width - m, bottom)
    if photo is not None:
        with Image.open(photo) as im:
            pw, ph = im.size
        if landscape:
            area = (m, top, m + 380, bottom)
            text_box = (m + 420, top, width - m, bottom)
        else:
            share = 0.5 if sub.kind == Kind.QUOTE else 0.36
            area = ((width - round((bottom - top) * share * 0.8)) // 2, top, (width + round((bottom - top) * share * 0.8)) // 2,
                    top + round((bottom - top) * share))
            text_box = (m, area[3] + 36, width - m, bottom)
        crop = crop_box(pw, ph, area[2] - area[0], area[3] - area[1], sub.crop_x, sub.crop_y, sub.crop_zoom)
        blocks.append(Block("picture", area, source=photo, crop=crop))
    note, text, direction = _reading(sub, language, size)
    blocks.append(Block("panel", text_box))
    pad = 40
    inner = (text_box[0] + pad, text_box[1] + pad, text_box[2] - pad, text_box[3] - pad)
    if note:
        blocks.append(_text("note", note, (inner[0], inner[1], inner[2], inner[1] + 34), (26, 20), "italic", MUTED,
                            max_lines=1))
        inner = (inner[0], inner[1] + 48, inner[2], inner[3])
    sizes = (64, 30) if sub.kind == Kind.QUOTE else (44, 24)
    weight = "bold" if sub.kind == Kind.QUOTE else "regular"
    blocks.append(_text("excerpt", text, inner, sizes, weight, INK, valign="middle", spacing=1.3, direction=direction))
    return [b for b in blocks if b is not None]


def render(sub, size: str = "portrait", language: str = "en") -> Image.Image:
    width, height = SIZES[size]
    background, accent = LOOK[sub.kind]
    canvas = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 14), fill=accent)
    for block in layout(sub, size, language):
        if block.role == "panel":
            draw.rounded_rectangle(block.box, radius=28, fill=PANEL)
        elif block.role == "picture":
            picture = _load(block)
            if picture is None:
                _motif(canvas, block.box, accent)
            else:
                canvas.paste(picture, block.box[:2])
        for line in block.lines:
            fill = accent if block.fill == "accent" else block.fill
            draw_line(draw, (line.x, line.y), line.text, Font(block.size, block.weight), fill, block.direction)
    return canvas


def card_png(sub, size: str = "portrait", language: str = "en") -> bytes:
    """PNG bytes with no metadata chunk."""
    buffer = io.BytesIO()
    render(sub, size, language).save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
