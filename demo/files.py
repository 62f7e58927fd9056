"""Generated demo files: drawings as JPEG/PNG, and text PDFs, made in memory."""
from __future__ import annotations

import io
import random
import zlib

from PIL import Image, ImageDraw, ImageFilter


def drawing(seed: int, size=(1600, 1200), fmt="JPEG", exif_gps: bool = False, artist: str | None = None) -> bytes:
    """A child's drawing: a paper background, crayon strokes, a few figures and a sun. ``exif_gps`` and
    ``artist`` give the JPEG a phone's EXIF: its position, and a name as Artist and XPAuthor."""
    rng = random.Random(seed)
    paper = (250, 246, 236)
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    w, h = size
    palette = [(214, 40, 57), (0, 119, 182), (255, 183, 3), (46, 139, 87), (128, 57, 160), (240, 113, 103)]
    draw.rectangle([0, int(h * 0.72), w, h], fill=(143, 188, 109))
    draw.ellipse([w - 260, 60, w - 80, 240], fill=(255, 205, 60))
    for _ in range(14):  # crayon strokes
        colour = rng.choice(palette)
        points = [(rng.randrange(w), rng.randrange(int(h * 0.7))) for _ in range(5)]
        draw.line(points, fill=colour, width=rng.randrange(6, 18), joint="curve")
    for i in range(rng.randrange(3, 6)):  # people holding hands
        x = 180 + i * (w - 360) // 5
        colour = rng.choice(palette)
        draw.ellipse([x - 45, h * 0.38 - 45, x + 45, h * 0.38 + 45], outline=(40, 40, 40), width=6, fill=(247, 210, 170))
        draw.line([(x, h * 0.38 + 45), (x, h * 0.6)], fill=colour, width=16)
        draw.line([(x - 110, h * 0.5), (x + 110, h * 0.5)], fill=colour, width=10)
        draw.line([(x, h * 0.6), (x - 50, h * 0.72)], fill=(40, 40, 40), width=8)
        draw.line([(x, h * 0.6), (x + 50, h * 0.72)], fill=(40, 40, 40), width=8)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        if exif_gps:
            exif[0x0112] = 1
            exif[0x010F] = "DemoPhone"
            exif.get_ifd(0x8825).update({1: "N", 2: (38.0, 43.0, 21.0), 3: "W", 4: (9.0, 8.0, 22.0)})
        if artist:
            exif[0x013B] = artist
            exif[0x9C9D] = artist.encode("utf-16-le") + b"\x00\x00"
        image.save(out, "JPEG", quality=88, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(title: str, paragraphs: list[str], author: str | None = None, photo: bytes | None = None) -> bytes:
    """A simple A4 PDF with real text (Helvetica), one page per ~40 lines. ``photo``, a JPEG, is shown at the
    top right of the first page with its own bytes (EXIF included), as many programs embed photos."""
    import textwrap

    lines = [title, ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 80) or [""]
        lines.append("")
    pages = [lines[i:i + 40] for i in range(0, len(lines), 40)] or [[""]]
    objects: list[bytes] = []
    kids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = b""
    if photo:
        width, height = Image.open(io.BytesIO(photo)).size
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                       b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (width, height, len(photo))
                       + photo + b"\nendstream")
        image = b" /XObject << /Im1 %d 0 R >>" % len(objects)
    for number, page_lines in enumerate(pages):
        stream = ["q 160 0 0 120 380 690 cm /Im1 Do Q"] if image and number == 0 else []
        stream.append("BT /F1 12 Tf 16 TL 60 780 Td")
        for line in page_lines:
            stream.append(f"({_escape(line)}) '")
        stream.append("ET")
        data = zlib.compress("\n".join(stream).encode("cp1252", "replace"))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >>%s >> /Contents %d 0 R >>" % (font_id, image, content_id))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    if author:
        objects.append(b"<< /Author (%s) /Producer (DemoWriter) >>" % _escape(author).encode("latin-1", "replace"))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if author:
        trailer += b" /Info %d 0 R" % len(objects)
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
