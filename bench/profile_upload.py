"""Profile the deadline rush's upload request in one process: where a 5 MiB photo's upload spends its CPU.

    .venv/bin/python bench/profile_upload.py [--mb 5] [--requests 8] [--top 25]

Makes the rush's photo-like JPEG (tests/reliability/rush.py ``photo_jpeg``, same size), a fresh migrated
PostgreSQL database with one teacher and class (the rush's ``setup_database``), signs the teacher in with
the Flask test client, and POSTs the picture to ``/competition/entries/<id>/work/upload`` ``--requests``
times each way (one warm-up first; each upload replaces the last), then as many under cProfile. Prints, in ms per request:

* the whole request (test client, multipart body built once, outside the timing), each way of cleaning:
  "lossless" (the marker rewrite of jpeg_lossless.py, as the app does) and "re-encode" (that rewrite
  turned off: full decode + JPEG encode, as before), interleaved request by request;
* its stages, from the profile's cumulative times: multipart parsing, SHA-256, sniffing, opening the
  picture, decoding it, reading its metadata, cleaning (lossless rewrite or decode+re-encode), storing
  files, the commit...;
* baselines measured in the same run on the same bytes: reading the file + SHA-256, and the bare app of
  the rush (multipart parse + SHA-256 + write + fsync) through the test client.

The figures are CPU-bound single-request times; under the rush 16 threads share 2 cores.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, module file fragment, function name): cumulative time of each, per request.
STAGES = [
    ("multipart parsing (werkzeug)", "werkzeug/formparser.py", "parse"),
    ("clean_upload (all of it)", "uploads/pipeline.py", "clean_upload"),
    ("  SHA-256 (every call in the request)", "~", "<built-in method _hashlib.openssl_sha256>"),
    ("  sniff", "uploads/sniff.py", "sniff"),
    ("  clean_image", "uploads/images.py", "clean_image"),
    ("    header_size", "uploads/images.py", "header_size"),
    ("    Image.open", "uploads/images.py", "_open"),
    ("    decode (full, or draft as a check)", "uploads/images.py", "_decode"),
    ("    metadata text (hidden.py)", "uploads/hidden.py", "image_lines"),
    ("    lossless rewrite (strip_jpeg)", "uploads/image_streams.py", "strip_jpeg"),
    ("    lossless_jpeg (checks + rewrite)", "uploads/jpeg_lossless.py", "lossless_jpeg"),
    ("    colour profile check", "uploads/jpeg_lossless.py", "profile_is_srgb"),
    ("    orient (exif_transpose)", "uploads/images.py", "_upright"),
    ("    to sRGB", "uploads/images.py", "to_srgb"),
    ("    JPEG encode", "uploads/images.py", "encode_jpeg"),
    ("file_lifecycle.put (original + cleaned)", "core/file_lifecycle.py", "put"),
    ("  write + fsync", "~", "<built-in method posix.fsync>"),
    ("commit (core/transaction)", "sqlalchemy/orm/session.py", "commit"),
    ("page rendering (render_template)", "flask/templating.py", "render_template"),
]


def _csrf(page: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def _multipart(data: bytes, fields: dict) -> tuple[bytes, str]:
    boundary = "----profile-upload-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="drawing.jpg"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _stage_times(stats: pstats.Stats, requests: int) -> list[tuple[str, float, int]]:
    out = []
    for label, fragment, name in STAGES:
        total, calls = 0.0, 0
        for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
            if func == name and (fragment == "~" and filename == "~" or fragment != "~" and filename.endswith(fragment)):
                total += ct
                calls += nc
        out.append((label, 1000 * total / requests, calls // requests if requests else 0))
    return out


def _baselines(data: bytes, path: Path, rounds: int) -> dict[str, float]:
    from tests.reliability.rush import bare_app

    best: dict[str, float] = {}
    for _ in range(rounds):
        started = time.perf_counter()
        hashlib.sha256(path.read_bytes()).hexdigest()
        best["read file + SHA-256"] = min(best.get("read file + SHA-256", 1e9), time.perf_counter() - started)
    os.environ["BARE_UPLOAD_FOLDER"] = tempfile.mkdtemp(prefix="profile-bare-")
    app = bare_app()  # the rush's bare baseline: multipart parse, SHA-256, write, fsync
    body, ctype = _multipart(data, {})
    client = app.test_client()
    for _ in range(rounds):
        started = time.perf_counter()
        assert client.post("/upload", data=body, content_type=ctype).status_code == 200
        best["bare Flask: multipart + SHA-256 + write + fsync"] = min(
            best.get("bare Flask: multipart + SHA-256 + write + fsync", 1e9), time.perf_counter() - started)
    return {k: 1000 * v for k, v in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--camera", action="store_true",
                        help="add a camera's EXIF (with GPS) and XMP to the picture: its cleaned copy then differs from it")
    parser.add_argument("--top", type=int, default=25, help="lines of the profile's own listing (0: none)")
    args = parser.parse_args()

    from tests.reliability.rush import PASSWORD, _size_for, photo_jpeg, setup_database
    from tests.reliability.servers import fresh_postgres

    width, height = _size_for(int(args.mb * 1_048_576))
    data = photo_jpeg(7, width, height)
    if args.camera:
        from PIL import Image

        exif = Image.Exif()
        exif[0x013B] = "Amira Kowalski"
        exif.get_ifd(0x8825).update({1: "N", 2: (38.0, 43.0, 21.0), 3: "W", 4: (9.0, 8.0, 22.0)})
        xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
        for payload in (b"Exif\x00\x00" + exif.tobytes()[6:], xmp):
            data = data[:2] + b"\xff\xe1" + len(payload + b"..").to_bytes(2, "big") + payload + data[2:]
    work = Path(tempfile.mkdtemp(prefix="profile-upload-"))
    picture = work / "drawing.jpg"
    picture.write_bytes(data)
    print(f"picture: {width}x{height} px, {len(data) / 1_048_576:.2f} MiB (the rush's photo_jpeg{', with EXIF and XMP' if args.camera else ''}); "
          f"load average {os.getloadavg()[0]:.2f}")

    with fresh_postgres("mtm_profile_upload") as url:
        secret = "profile-upload-secret-" + "x" * 20
        [teacher] = setup_database(url, work / "instance", 1, secret, prefix="profile")
        from app import create_app

        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(work / "instance"), "SECRET_KEY": secret,
                          "APP_ENV": "development", "RATELIMIT_ENABLED": False})
        client = app.test_client()
        token = _csrf(client.get("/account/login").data)
        response = client.post("/account/login", data={"email": teacher["email"], "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.status_code
        cid = teacher["class_id"]
        token = _csrf(client.get(f"/competition/classes/{cid}/entries/new").data)
        response = client.post(f"/competition/classes/{cid}/entries/new", data={
            "discipline": "illustration", "title": "Many faces", "language": "en", "whole_class": "y", "csrf_token": token})
        assert response.status_code == 302, response.status_code
        entry_id = int(re.search(r"/entries/(\d+)/", response.headers["Location"]).group(1))
        token = _csrf(client.get(f"/competition/entries/{entry_id}/work").data)
        body, ctype = _multipart(data, {"csrf_token": token})
        path = f"/competition/entries/{entry_id}/work/upload"

        def post() -> float:
            started = time.perf_counter()
            answer = client.post(path, data=body, content_type=ctype)
            assert answer.status_code == 302, (answer.status_code, answer.data[:500])
            return time.perf_counter() - started

        post()  # warm-up: imports, caches, the first connection
        # Both ways of cleaning, interleaved (a shared machine's load changes from one second to the next):
        # "re-encode" turns the lossless rewrite off, as before it existed.
        import competition.uploads.images as images

        lossless = images.lossless_jpeg
        ways = {"re-encode": lambda data, im: None, "lossless": lossless}
        plain: dict[str, list[float]] = {way: [] for way in ways}
        profilers = {way: cProfile.Profile() for way in ways}
        for _ in range(args.requests):
            for way, function in ways.items():
                images.lossless_jpeg = function
                plain[way].append(post())
                profilers[way].enable()
                post()
                profilers[way].disable()
        images.lossless_jpeg = lossless
        baselines = _baselines(data, picture, args.requests)
        from core.db import db

        with app.app_context():
            db.engine.dispose()

    print(f"\nupload request, without the profiler ({args.requests} requests each way, interleaved):")
    for way, times in plain.items():
        times.sort()
        print(f"  {way:<12} median {1000 * times[len(times) // 2]:6.0f} ms, best {1000 * times[0]:6.0f} ms")
    print("\nstages under cProfile (ms per request, cumulative; calls per request):")
    print(f"  {'':<48} " + "".join(f"{way:>18}" for way in ways))
    columns = [_stage_times(pstats.Stats(profilers[way]), args.requests) for way in ways]
    for row in zip(*columns):
        if any(calls for _label, _ms, calls in row):
            print(f"  {row[0][0]:<48} " + "".join(f"{ms:11.1f} ms x{calls:<3}" for _label, ms, calls in row))
    print("\nbaselines, same run, same bytes (best of the rounds):")
    for label, ms in baselines.items():
        print(f"  {label:<48} {ms:8.1f} ms")
    for way in ways if args.top else ():
        out = io.StringIO()
        pstats.Stats(profilers[way], stream=out).sort_stats("tottime").print_stats(args.top)
        print(f"\nown time, top functions ({way}):")
        print("\n".join(out.getvalue().splitlines()[6:]))


if __name__ == "__main__":
    main()
