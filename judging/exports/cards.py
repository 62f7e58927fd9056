"""Social-media cards: one PNG per entry and size, laid out as blocks that can be checked without reading pixels.

``layout_card`` decides every block (its box, its lines already wrapped and placed) and ``render_card``
only draws them, so tests check that no text leaves the card or overlaps other text. Every string
drawn goes through ``fonts.printable``: Latin, Greek and Cyrillic in Roboto, Arabic, Hebrew,
Devanagari, Ethiopic, Chinese and Japanese in the bundled Noto fonts, shaped by raqm; a right-to-left
work is set from the right, line by line. A text mostly in a script no bundled font has (Korean…) is
replaced by its translation, else by a line pointing to the campaign page; emoji are left out. The
PNG carries no metadata at all: the cards are about children.
"""
from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageColor, ImageDraw, ImageOps, JpegImagePlugin

from core.i18n import language_name
from judging.exports.fonts import RAQM, Box, Font, Line, coverage, draw_line, fit_text, is_rtl, place_lines, printable
from judging.exports.model import HASHTAGS, SLOGAN, Item, WorkFile
from judging.exports.wording import award_title, category_title, credit

log = logging.getLogger(__name__)

SIZES = {"portrait": (1080, 1350), "square": (1080, 1080), "landscape": (1200, 675)}
INK, MUTED, PANEL = "#1b1f24", "#4a5360", "#ffffff"
PALETTES = {  # background and accent: calm, one per discipline
    "poem": ("#f3eef8", "#5b3f8c"), "essay": ("#ecf4ef", "#2f6b4f"), "illustration": ("#fbf2e6", "#9c4f26"),
}
MAX_DECODE_PIXELS = 40_000_000  # a format that cannot be decoded smaller (PNG…) above this shows the motif
EXTREME_RATIO = 4.0  # beyond this mismatch with its area, a picture is cropped rather than shrunk to a sliver
ESSAY_WORDS, TITLE_CHARS = 70, 140
EXCERPT_LINES = {"portrait": 10, "square": 7, "landscape": 8}  # a poem's opening lines on a card


@dataclass(frozen=True)
class Block:
    """A thing drawn on the card: text (``lines`` set), a panel, a picture or the neutral motif."""

    role: str  # slogan, award, category, note, excerpt, title, credit, hashtags, panel, rule, picture, motif
    box: Box
    lines: tuple[Line, ...] = ()
    size: int = 0
    weight: str = "regular"
    fill: str = INK
    direction: str | None = None
    source: Path | None = None  # picture file
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # part of the source shown, as fractions

    @property
    def ink(self) -> Box:
        if not self.lines:
            return self.box
        boxes = [line.bbox for line in self.lines if line.text]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes)) if boxes else self.box


def card_name(item: Item, size: str) -> str:
    return f"{item.slug}-{size}.png"


def _text(role: str, text: str, box: Box, sizes: tuple[int, int], weight: str = "regular", fill: str = INK, *,
          align: str = "left", valign: str = "top", spacing: float = 1.2, max_lines: int | None = None,
          direction: str | None = None, ellipsis: str = "…", hanging: str = "", keep_lines: bool = False
          ) -> Block | None:
    if not text.strip():
        return None
    fitted = fit_text(text, box, sizes[0], sizes[1], weight, spacing=spacing, max_lines=max_lines,
                      direction=direction, ellipsis=ellipsis, hanging=hanging, keep_lines=keep_lines)
    if not fitted.lines:
        return None
    if direction == "rtl":
        align = "right"
    return Block(role, box, tuple(place_lines(fitted, box, align, valign)), fitted.size, weight, fill, direction)


def _excerpt(body: str, discipline: str, most: int) -> str:
    """The opening of a text: a poem's first lines (breaks kept), an essay's first words."""
    if discipline == "poem":
        lines: list[str] = []
        for raw in body.split("\n"):
            line = raw.strip()
            if line or (lines and lines[-1]):
                lines.append(line)
        while lines and not lines[-1]:
            lines.pop()
        kept = lines[:most]
        while kept and not kept[-1]:
            kept.pop()
        text = "\n".join(kept)
        return text.rstrip(" ,;:") + "…" if len(lines) > len(kept) else text
    words = [w for w in body.replace("\n", " ").split(" ") if w]
    text = " ".join(words[:ESSAY_WORDS])
    return text.rstrip(" ,;:") + "…" if len(words) > ESSAY_WORDS else text


def _reading(item: Item, language: str, lines: int) -> tuple[str, str, str, str | None]:
    """What the text panel shows: (kind, note, text, direction), text printable.

    kind is "text" (the work's opening), "translation" (its translation's, when the font cannot draw
    the work), "message" (a line pointing to the campaign page) or "" (nothing to read).
    """
    body = printable(item.body).strip()
    if body and coverage(item.body) >= 0.5:
        return "text", "", _excerpt(body, item.discipline, lines), "rtl" if RAQM and is_rtl(body) else None
    name = language_name(item.language, language)
    with force_locale(language):
        if item.translation_text.strip() and coverage(item.translation_text) >= 0.5:
            note = _("Translation — original in %(language)s", language=name)
            translation = printable(item.translation_text).strip()
            return "translation", printable(note), _excerpt(translation, item.discipline, lines), None
        if not item.body.strip():
            return "", "", "", None
        message = (_("A poem in %(language)s — read it on the campaign page", language=name)
                   if item.discipline == "poem" else
                   _("An essay in %(language)s — read it on the campaign page", language=name))
    return "message", "", printable(message), None


def _quoted_title(item: Item, language: str) -> tuple[str, str]:
    """The title in the language's quotes, and what ends it when cut ("…" and the closing quote)."""
    title = " ".join(w for w in printable(item.title).replace("\n", " ").split(" ") if w)
    if not title or coverage(item.title) < 0.5:
        return "", "…"
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    with force_locale(language):
        opening, _sep, closing = _("“%(title)s”", title="\x00").partition("\x00")
    return printable(opening) + title + printable(closing), "…" + printable(closing)


def _picture(file: WorkFile | None, area: Box) -> Block:
    """The illustration contained in ``area``, or cropped from its top when its shape is extreme; else the motif."""
    source = _source(file)
    size = _source_size(source) if source else None
    if not size:
        return Block("motif", area)
    (w, h), (aw, ah) = size, (area[2] - area[0], area[3] - area[1])
    mismatch = (w / h) / (aw / ah)
    if 1 / EXTREME_RATIO <= mismatch <= EXTREME_RATIO:
        scale = min(aw / w, ah / h)
        pw, ph = max(1, round(w * scale)), max(1, round(h * scale))
        x, y = area[0] + (aw - pw) // 2, area[1] + (ah - ph) // 2
        return Block("picture", (x, y, x + pw, y + ph), source=source)
    if mismatch < 1:  # very tall: the full width, a piece of the area's shape from the top
        crop = (0.0, 0.0, 1.0, min(1.0, (w * ah / aw) / h))
    else:  # very wide: the full height, the centre
        share = min(1.0, (h * aw / ah) / w)
        crop = ((1 - share) / 2, 0.0, (1 + share) / 2, 1.0)
    return Block("picture", area, source=source, crop=crop)


def _source(file: WorkFile | None) -> Path | None:
    if file is None:
        return None
    return next((p for p in (file.web_path, file.path) if p is not None and Path(p).is_file()), None)


def _open(path: Path) -> Image.Image | None:
    """Open lazily (header only). A JPEG too large for Pillow's bomb check is still opened: it is decoded at 1/8."""
    try:
        return Image.open(path)
    except Image.DecompressionBombError:
        try:
            return JpegImagePlugin.JpegImageFile(path)  # no check here; ``_decodable`` bounds what is decoded
        except Exception:  # not a JPEG: nothing can decode it smaller
            return None
    except Exception:  # noqa: BLE001 - a broken upload shows the motif, never breaks the export
        log.warning("card: cannot open %s", path)
        return None


def _decodable(im: Image.Image) -> bool:
    reduction = 64 if im.format == "JPEG" else 1  # draft() decodes a JPEG at down to 1/8 of each side
    return im.width * im.height / reduction <= MAX_DECODE_PIXELS


def _source_size(path: Path) -> tuple[int, int] | None:
    im = _open(path)
    if im is None:
        return None
    with im:
        if not _decodable(im) or not im.width or not im.height:
            return None
        turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        return (im.height, im.width) if turned else im.size


def _load(block: Block) -> Image.Image | None:
    """The block's picture, decoded no larger than needed (JPEG draft), flattened on white, at the block's size."""
    im = _open(block.source) if block.source else None
    if im is None:
        return None
    target = (block.box[2] - block.box[0], block.box[3] - block.box[1])
    left, top, right, bottom = block.crop
    try:
        with im:
            if not _decodable(im):
                return None
            turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            need = (math.ceil(target[0] / (right - left)), math.ceil(target[1] / (bottom - top)))
            im.draft("RGB", need[::-1] if turned else need)
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                im = flat
            im = im.convert("RGB")
            w, h = im.size
            area = (math.floor(left * w), math.floor(top * h), max(math.floor(left * w) + 1, math.ceil(right * w)),
                    max(math.floor(top * h) + 1, math.ceil(bottom * h)))
            return im.crop(area).resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    except Exception:  # noqa: BLE001 - truncated or odd files show the motif
        log.warning("card: cannot decode %s", block.source)
        return None


# Text styles at the portrait scale: (largest size, smallest size, weight, colour, most lines).
STYLES = {
    "slogan": (34, 24, "bold", "accent", 1), "award": (56, 34, "bold", INK, 1),
    "category": (32, 22, "regular", MUTED, 1), "title": (56, 30, "bold", INK, 2),
    "credit": (34, 22, "regular", MUTED, 2), "hashtags": (28, 18, "medium", "accent", 2),
    "note": (26, 20, "italic", MUTED, 1), "poem": (60, 30, "regular", INK, None),
    "essay": (46, 30, "regular", INK, None), "message": (40, 26, "italic", MUTED, 3),
}


def _styled(role: str, text: str, box: Box, scale: float, style: str | None = None, **options) -> Block | None:
    high, low, weight, fill, lines = STYLES[style or role]
    options.setdefault("max_lines", lines)
    return _text(role, text, box, (round(high * scale), round(low * scale)), weight, fill, **options)


def layout_card(item: Item, size: str = "portrait", language: str = "en") -> list[Block]:
    """Every block of the card, boxes in pixels; text blocks hold their wrapped, placed lines."""
    width, height = SIZES[size]
    landscape = width > height
    scale, m = (0.8, 48) if landscape else (1.0, 64 if height > width else 56)
    title, closing = _quoted_title(item, language)
    words = {"slogan": printable(SLOGAN), "award": printable(award_title(item.award, language)),
             "category": printable(category_title(item.age_group, item.discipline, language)),
             "credit": printable(credit(item, language, isolate=True)), "hashtags": printable(" ".join(HASHTAGS))}
    left, right = (676, width - m) if landscape else (m, width - m)
    blocks: list[Block | None] = []
    y = m + 8
    for role, room, gap in (("slogan", 44, 14), ("award", 68, 2), ("category", 42, 26)):
        room = round(room * scale)
        blocks.append(_styled(role, words[role], (left, y, right, y + room), scale))
        y += room + round(gap * scale)
    bottom = height - m
    tags = _styled("hashtags", words["hashtags"], (left, bottom - round((70 if landscape else 40) * scale), right,
                                                   bottom), scale, valign="bottom")
    bottom = (tags.ink[1] if tags else bottom) - round(18 * scale)
    if landscape:  # the title right under the category, the credit right under the title
        title_block = _styled("title", title, (left, y, right, bottom - 90), scale, max_lines=4, ellipsis=closing)
        top = title_block.ink[3] + 20 if title_block else y
        credit_block = _styled("credit", words["credit"], (left, top, right, bottom), scale)
        main = (m, m + 8, 628, height - m)
    else:  # the credit above the hashtags, the title above the credit, the picture or text in what is left
        credit_block = _styled("credit", words["credit"], (left, bottom - 84, right, bottom), scale, valign="bottom")
        bottom = (credit_block.ink[1] if credit_block else bottom) - 22
        title_block = _styled("title", title, (left, bottom - 136, right, bottom), scale, valign="bottom",
                              ellipsis=closing)
        main = (m, y, width - m, (title_block.ink[1] if title_block else bottom) - 32)
    blocks += [tags, credit_block, title_block]
    blocks.extend(_main(item, main, 0.9 if landscape else 1.0, EXCERPT_LINES[size], language))
    return [b for b in blocks if b is not None]


def _main(item: Item, box: Box, scale: float, lines: int, language: str) -> list[Block | None]:
    """The picture, or the excerpt on a white panel, or the motif with a line pointing to the campaign page."""
    panel = Block("panel", box)
    if item.discipline == "illustration":
        pad = round(24 * scale)
        return [panel, _picture(item.illustration, (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad))]
    kind, note, text, direction = _reading(item, language, lines)
    pad = round(44 * scale)
    inner = (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad)
    if not text:
        return [panel, Block("motif", inner)]
    if kind == "message":
        tenth = (inner[3] - inner[1]) // 10
        return [panel, Block("motif", (inner[0], inner[1] + tenth, inner[2], inner[1] + 6 * tenth)),
                _styled("excerpt", text, (inner[0], inner[1] + 6 * tenth + tenth // 2, inner[2], inner[3]), scale,
                        "message", align="center")]
    top = inner[1]
    blocks: list[Block | None] = [panel]
    if note:
        noted = _styled("note", note, (inner[0], top, inner[2], top + round(34 * scale)), scale)
        blocks.append(noted)
        top += round(50 * scale)
    indent = round(30 * scale)
    style = "poem" if item.discipline == "poem" else "essay"
    spacing, hanging = (1.3, "\u00a0" * 4) if style == "poem" else (1.35, "")
    rtl = direction == "rtl"
    area = (inner[0], top, inner[2] - indent, inner[3]) if rtl else (inner[0] + indent, top, inner[2], inner[3])
    excerpt = _styled("excerpt", text, area, scale, style,
                      valign="middle", spacing=spacing, direction=direction, hanging=hanging,
                      keep_lines=style == "poem")
    if excerpt:
        rule_x = inner[2] - 6 if rtl else inner[0]
        blocks.append(Block("rule", (rule_x, excerpt.ink[1], rule_x + 6, excerpt.ink[3])))
        blocks.append(excerpt)
    return blocks


def render_card(item: Item, size: str = "portrait", language: str = "en") -> Image.Image:
    """The card as an RGB image of exactly ``SIZES[size]``."""
    width, height = SIZES[size]
    background, accent = PALETTES.get(item.discipline, PALETTES["essay"])
    canvas = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 12), fill=accent)
    for block in layout_card(item, size, language):
        if block.role == "panel":
            draw.rounded_rectangle(block.box, radius=28, fill=PANEL)
        elif block.role == "rule":
            draw.rounded_rectangle(block.box, radius=(block.box[2] - block.box[0]) // 2, fill=accent)
        elif block.role == "picture":
            picture = _load(block)
            if picture is None:
                _motif(canvas, block.box, accent)
            else:
                canvas.paste(picture, block.box[:2])
        elif block.role == "motif":
            _motif(canvas, block.box, accent)
        for line in block.lines:
            fill = accent if block.fill == "accent" else block.fill
            draw_line(draw, (line.x, line.y), line.text, Font(block.size, block.weight), fill, block.direction)
    return canvas


def _motif(canvas: Image.Image, box: Box, accent: str) -> None:
    """Three overlapping circles, like people side by side: a calm stand-in for a missing picture."""
    region = canvas.crop(box).convert("RGBA")
    w, h = region.size
    r = max(4, min(w, h) // 4)
    colour = ImageColor.getrgb(accent)
    for n in range(3):
        angle = math.pi / 2 + n * 2 * math.pi / 3
        x, y = w // 2 + round(r * 0.6 * math.cos(angle)), h // 2 - round(r * 0.6 * math.sin(angle))
        layer = Image.new("RGBA", region.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 46))
        region = Image.alpha_composite(region, layer)
    canvas.paste(region.convert("RGB"), box[:2])


def card_png(item: Item, size: str = "portrait", language: str = "en") -> bytes:
    """The card as PNG bytes, optimised, with no metadata chunk (no text, EXIF or ICC profile)."""
    buffer = io.BytesIO()
    # compress_level 6 rather than optimize=True: a tenth larger, four times faster (bench/bench_exports.py).
    render_card(item, size, language).save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
