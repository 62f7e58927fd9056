"""Benchmark of the upload pipeline against plain Pillow / pypdf.

    .venv/bin/python bench/bench_uploads.py [--runs N]

Generates a 12-megapixel photo-like JPEG and a 30-page text PDF, then measures
in the same run the median wall time of several runs, and peak memory, of:
clean_upload on each, plain Pillow open+load+save of the same JPEG, and plain
pypdf read+write of the same PDF. Peak memory is measured in a fresh process
per case (growth of ru_maxrss over the process's baseline, which includes
pixel buffers Pillow allocates outside Python, and the tracemalloc peak,
which counts Python objects only). For clean_upload on a PDF the work happens
in the sandboxed worker, so its ru_maxrss is reported as well.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import statistics
import sys
import time
import tracemalloc
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image, ImageFilter
from pypdf import PdfReader, PdfWriter

from competition.uploads import UploadLimits, clean_upload, pdf_worker
from competition.uploads.sandbox import run_isolated
from tests.upload_builders import build_pdf

MB = 1024 * 1024
PDF_LIMITS = UploadLimits(max_pdf_pages=30)
PHOTO_LIMITS = UploadLimits(max_pdf_pages=3)
WORDS = """home river school journey language friend mother border train city night story window bread winter
letter garden music grandmother sea road hope name street family light""".split()  # noqa: SIM905


# ----------------------------------------------------------------- inputs
def make_jpeg(width: int = 4000, height: int = 3000, exif: bool = False) -> bytes:
    """Photo-like: smooth colour gradients, shapes and grain, so it compresses
    like a real photo (several MB at quality 92). ``exif``: a phone's EXIF
    (author, GPS) and an XMP packet."""
    rnd = random.Random(42)
    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((width, height)),
            Image.radial_gradient("L").resize((width, height)),
            Image.linear_gradient("L").rotate(90).resize((width, height)),
        ],
    )
    from PIL import ImageDraw

    draw = ImageDraw.Draw(base)
    for _ in range(300):
        x, y = rnd.randrange(width), rnd.randrange(height)
        r = rnd.randrange(20, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(3))
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 30 + 5 * k) for k in range(3)])
    photo = Image.blend(base, grain, 0.18)
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x013B] = "Amira Kowalski"
        tags[0x010F] = "BenchPhone"
        tags.get_ifd(0x8825).update({1: "N", 2: (38.0, 43.0, 21.0), 3: "W", 4: (9.0, 8.0, 22.0)})
        extra = {"exif": tags, "xmp": b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b" " * 4000 + b"</x:xmpmeta>"}
    photo.save(out, "JPEG", quality=92, **extra)
    return out.getvalue()


def make_photo_pdf(photos: int = 3) -> bytes:
    """A PDF of ``photos`` pages, each a 12 MP camera JPEG (with EXIF and XMP) embedded as it is, the way
    scanning apps and word processors embed photos, plus a line of text."""
    jpegs = [make_jpeg(exif=True)] * photos  # the same photo, stored once per page
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for number, jpeg in enumerate(jpegs):
        content = zlib.compress(b"q 500 0 0 375 47 400 cm /Im1 Do Q BT /F1 11 Tf 56 790 Td (Photo %d) Tj ET" % number)
        kids.append(len(objs) + 1)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> >>" % (len(objs) + 2, len(objs) + 3)
        )
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
        objs.append(b"<< /Type /XObject /Subtype /Image /Width 4000 /Height 3000 /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg) + jpeg + b"\nendstream")
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), photos)
    return build_pdf(objs)


def make_pdf(pages: int = 30) -> bytes:
    """A text PDF written by hand: one Flate-compressed content stream per
    page, 46 lines of text each, Helvetica."""
    rnd = random.Random(7)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for number in range(pages):
        lines = [" ".join(rnd.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(46)]
        ops = [b"BT /F1 11 Tf 14 TL 56 790 Td", b"(Page %d) Tj T*" % (number + 1)]
        ops += [b"(" + line.encode() + b") Tj T*" for line in lines]
        ops.append(b"ET")
        content = zlib.compress(b"\n".join(ops))
        kids.append(len(objs) + 1)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (len(objs) + 2)
        )
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    objs.append(b"<< /Author (Ms Teacher Name) /Producer (bench) >>")
    return build_pdf(objs, trailer_extra=b" /Info %d 0 R" % len(objs))


# ----------------------------------------------------------------- cases
def clean_jpeg(data: bytes) -> None:
    clean_upload(data, {"image"}, UploadLimits())


def pillow_jpeg(data: bytes) -> None:
    im = Image.open(io.BytesIO(data))
    im.load()
    im.save(io.BytesIO(), "JPEG", quality=90)


def clean_pdf(data: bytes) -> None:
    clean_upload(data, {"pdf"}, PDF_LIMITS)


def pdf_worker_in_process(data: bytes) -> None:
    result = pdf_worker.process(data, PDF_LIMITS.max_pdf_pages, PDF_LIMITS.pdf_memory_bytes // 4)
    assert result["ok"], result


def clean_photo_pdf(data: bytes) -> None:
    clean_upload(data, {"pdf"}, PHOTO_LIMITS)


def pypdf_read_write(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.write(io.BytesIO())


CASES = [
    ("clean_upload  JPEG 12 MP (full + web + thumb)", clean_jpeg, "jpeg"),
    ("Pillow open+load+save JPEG q90", pillow_jpeg, "jpeg"),
    ("clean_upload  PDF 30 pages (sandboxed worker)", clean_pdf, "pdf"),
    ("  same PDF work in-process (no sandbox)", pdf_worker_in_process, "pdf"),
    ("pypdf read+write PDF 30 pages", pypdf_read_write, "pdf"),
    ("clean_upload  PDF 3 photos 12 MP with EXIF", clean_photo_pdf, "photo_pdf"),
    ("pypdf read+write PDF 3 photos", pypdf_read_write, "photo_pdf"),
]


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    """Make VmHWM (peak RSS) start again from the current RSS (Linux >= 4.0).
    ru_maxrss cannot be used: it carries the parent's peak over fork/exec."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def worker_peak(data: bytes) -> tuple[int, int]:
    """Runs inside the sandbox: (RSS at start, peak RSS) of the PDF work."""
    _reset_peak()
    start = _status("VmRSS")
    pdf_worker_in_process(data)
    return start, _status("VmHWM")


# ----------------------------------------------------------------- measuring
def timed(func, data: bytes, runs: int) -> list[float]:
    func(data)  # warm up (imports, fork server, caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(data)
        times.append(time.perf_counter() - start)
    return times


def _memory_probe(index: int, data: bytes, conn) -> None:
    func = CASES[index][1]
    if func is clean_pdf:
        run_isolated(len, (b"",), timeout_s=30, memory_bytes=1 << 30)  # start the fork server first
    _reset_peak()
    before = _status("VmRSS")
    tracemalloc.start()
    func(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    conn.send((_status("VmHWM") - before, peak))
    conn.close()


def memory(index: int, data: bytes) -> tuple[int, int]:
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_memory_probe, args=(index, data, sender))
    proc.start()
    sender.close()
    result = receiver.recv()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    inputs = {"jpeg": make_jpeg(), "pdf": make_pdf(), "photo_pdf": make_photo_pdf()}
    print(
        f"inputs: JPEG 4000x3000 {len(inputs['jpeg']) / MB:.2f} MB, PDF 30 pages {len(inputs['pdf']) / MB:.3f} MB,"
        f" PDF 3 photos {len(inputs['photo_pdf']) / MB:.2f} MB; median of {runs} runs after one warm-up;"
        f" {os.cpu_count()} CPUs"
    )
    print(f"{'case':50} {'median ms':>10} {'min ms':>8} {'peak RSS +MB':>13} {'tracemalloc MB':>15}")
    for index, (name, func, kind) in enumerate(CASES):
        data = inputs[kind]
        times = timed(func, data, runs)
        rss, traced = memory(index, data)
        print(
            f"{name:50} {statistics.median(times) * 1000:10.0f} {min(times) * 1000:8.0f} "
            f"{rss / MB:13.1f} {traced / MB:15.1f}"
        )
    start, peak = run_isolated(worker_peak, (inputs["pdf"],), timeout_s=60, memory_bytes=PDF_LIMITS.pdf_memory_bytes)
    print(
        f"sandboxed PDF worker (the PDF row above runs here): RSS {start / MB:.1f} MB at start, peak "
        f"{peak / MB:.1f} MB (+{(peak - start) / MB:.1f} MB); address-space limit {PDF_LIMITS.pdf_memory_bytes / MB:.0f} MB"
    )
    for name, kind, limits in (("PDF 30 pages", "pdf", PDF_LIMITS), ("PDF 3 photos", "photo_pdf", PHOTO_LIMITS)):
        cleaned = clean_upload(inputs[kind], {"pdf"}, limits).cleaned
        print(f"{name}: {len(inputs[kind]):,} bytes in, {len(cleaned):,} bytes cleaned"
              f" ({'no' if b'Amira' not in cleaned else 'STILL'} author name left)")
    result = clean_upload(inputs["jpeg"], {"image"}, UploadLimits())
    print(
        f"JPEG outputs: cleaned {len(result.cleaned) / MB:.2f} MB, web {len(result.web) / 1024:.0f} KB, "
        f"thumb {len(result.thumb) / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
