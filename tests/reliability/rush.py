"""The deadline rush, shared by ``bench/bench_deadline_rush.py`` and ``tests/reliability/test_deadline_rush.py``.

Many teachers, in the last minute before the deadline, each: log in, create an illustration entry, upload a
photo-sized JPEG, give consent, submit, read the receipt. ``run_rush(RushConfig(...))`` does all of it:

1. a fresh, migrated PostgreSQL database (``fresh_postgres``); an open edition (deadline = now + 1 day), one city,
   one school and N teachers, each with one registered class (written in-process through the app's models);
2. N different photo-like JPEGs of ``mb`` MiB each (gradients, shapes and per-teacher random grain; SHA-256
   recorded here, before anything is sent);
3. the app under gunicorn (``workers`` x ``threads``), loopback;
4. the load from ANOTHER PROCESS (``python -m tests.reliability.rush load SPEC OUT``): one thread per teacher,
   teacher i starts at a seeded random moment inside ``window`` seconds; every request's status and latency
   is recorded; a global ``timeout`` bounds the run;
5. verification from the database (psycopg, not the app) and the upload folder: exactly one entry per teacher,
   submitted, with exactly one work file whose key equals the SHA-256 of the bytes sent, and whose stored bytes
   hash to that key; cleaned, web and thumbnail copies present; no temporary files left; one receipt e-mail per
   teacher in the outbox; no 5xx and no traceback in the server log;
6. optionally a baseline: the same files, on the same schedule, POSTed to a bare Flask app under the same
   gunicorn settings that only parses the multipart body, hashes it and writes it to disk (fsync + rename).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.reliability.rush_checks import MIB, percentiles, server_log_summary, summarize, verify, workers_peak_rss_mib
from tests.reliability.servers import (
    ROOT, Client, Gunicorn, QueueWorker, fresh_postgres, multipart, random_secret, request, wait_for_queue)

PASSWORD = "rush password 2026"


@dataclasses.dataclass
class RushConfig:
    teachers: int = 100
    mb: float = 5.0
    window: float = 60.0
    workers: int = 4
    threads: int = 4
    timeout: float = 600.0  # the whole load phase, every teacher included
    seed: int = 2026
    baseline: bool = True
    keep: bool = False  # keep the temporary folders (images, instance) for inspection


# -- images -------------------------------------------------------------------------------------------------
_BASES: dict = {}


def _base(width: int, height: int):
    """Smooth gradients and soft shapes: compresses like a photo once grain is added."""
    from PIL import Image, ImageDraw, ImageFilter

    if (width, height) not in _BASES:
        rnd = random.Random(42)
        base = Image.merge("RGB", [Image.linear_gradient("L").resize((width, height)),
                                   Image.radial_gradient("L").resize((width, height)),
                                   Image.linear_gradient("L").rotate(90).resize((width, height))])
        draw = ImageDraw.Draw(base)
        scale = max(width, height) / 4000
        for _ in range(300):
            x, y, r = rnd.randrange(width), rnd.randrange(height), int(rnd.randrange(20, 300) * scale) + 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
        _BASES.clear()
        _BASES[(width, height)] = base.filter(ImageFilter.GaussianBlur(3))
    return _BASES[(width, height)]


def photo_jpeg(index: int, width: int, height: int, quality: int = 95) -> bytes:
    """A photo-like JPEG, different for every call: per-index shapes plus grain from os.urandom."""
    from PIL import Image, ImageDraw

    image = _base(width, height).copy()
    rnd = random.Random(index)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rnd.randrange(width), rnd.randrange(height), rnd.randrange(10, max(11, width // 10))
        draw.rectangle((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    grain = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    Image.blend(image, grain, 0.25).save(out, "JPEG", quality=quality)
    return out.getvalue()


def _size_for(target_bytes: int) -> tuple[int, int]:
    """Pixel size (4:3) at which photo_jpeg is about ``target_bytes`` (two calibration rounds)."""
    area = target_bytes / 0.6
    for _ in range(2):
        width = max(64, int((area * 4 / 3) ** 0.5))
        height = max(48, width * 3 // 4)
        got = len(photo_jpeg(-1, width, height))
        area = width * height * target_bytes / got
    width = max(64, int((area * 4 / 3) ** 0.5))
    return width, max(48, width * 3 // 4)


def _write_image(args) -> dict:
    index, width, height, folder = args
    data = photo_jpeg(index, width, height)
    path = Path(folder) / f"drawing-{index:03d}.jpg"
    path.write_bytes(data)
    return {"index": index, "path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def make_images(n: int, mb: float, folder: Path) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    width, height = _size_for(int(mb * MIB))
    jobs = [(i, width, height, str(folder)) for i in range(n)]
    if n <= 8:
        images = [_write_image(job) for job in jobs]
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            images = list(pool.map(_write_image, jobs, chunksize=4))
    if len({im["sha256"] for im in images}) != n:
        raise RuntimeError("two generated images are identical")
    for im in images:
        im["width"], im["height"] = width, height
    return images


# -- database -----------------------------------------------------------------------------------------------
def setup_database(url: str, instance: Path, n: int, secret: str, prefix: str = "rush") -> list[dict]:
    """An open edition (deadline tomorrow) with every category, and ``n`` teachers with one class each."""
    from datetime import date, timedelta

    from accounts.models import Role, User
    from accounts.passwords import hash_password
    from app import create_app
    from competition.models import AgeGroup, Category, City, Discipline, Edition, Pupil, School, SchoolClass
    from core.db import db, utcnow

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": secret, "APP_ENV": "development"})
    teachers = []
    with app.app_context():
        edition = Edition(name="More than migrants", theme="Identity", deadline_at=utcnow() + timedelta(days=1),
                          deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6),
                          languages=["en", "fr", "pt", "es", "it", "de", "pl", "el", "hr", "no", "sv"], is_current=True)
        for group in AgeGroup:
            for discipline in Discipline:
                edition.categories.append(Category(age_group=group.value, discipline=discipline.value, max_entries_per_class=3,
                                                   max_pdf_pages=1 if discipline is Discipline.ILLUSTRATION else 6))
        city = City(name="Lisbon", country_code="PT")
        school = School(name="Escola Básica Luís de Camões", city=city)
        db.session.add_all([edition, school])
        hashed = hash_password(PASSWORD)  # one argon2 hash for all: setup is not what is measured
        for i in range(n):
            user = User(name=f"Rush Teacher {i:03d}", email=f"{prefix}{i:03d}@example.org", password_hash=hashed,
                        email_confirmed_at=utcnow())
            user.add_role(Role.TEACHER)
            school_class = SchoolClass(edition=edition, school=school, teacher=user, name=f"{5 + i % 7}{'ABCD'[i % 4]}",
                                       age_group="11-18", pupil_count=25, language="en")
            school_class.pupils = [Pupil(first_name="Amira", initial="K", age=12), Pupil(first_name="Jonas", initial="", age=13)]
            db.session.add(school_class)
            teachers.append((user, school_class))
        db.session.commit()
        out = [{"index": i, "email": u.email, "class_id": c.id} for i, (u, c) in enumerate(teachers)]
        db.engine.dispose()
    return out


# -- the load (runs in another process) ---------------------------------------------------------------------
class StepFailed(Exception):
    pass


def journey(base: str, teacher: dict, image: dict, record: dict, deadline: float) -> None:
    """One teacher, from the login page to the receipt. Fills ``record`` as it goes; raises on the first surprise."""
    client = Client(base)
    steps = record["steps"]

    def step(name: str, method: str, path: str, expect: int, fields=None, files=None, location: str | None = None):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise StepFailed(f"{name}: global timeout before the request")
        started = time.perf_counter()
        try:
            if method == "GET":
                status, headers, body = client.get(path)
            else:
                status, headers, body = client.post(path, fields, files, timeout=min(300.0, remaining))
        except Exception as exc:  # noqa: BLE001 - recorded: timeouts, resets, refused
            steps.append({"name": name, "status": None, "ms": 1000 * (time.perf_counter() - started), "error": repr(exc)})
            raise StepFailed(f"{name}: {exc!r}") from exc
        ms = 1000 * (time.perf_counter() - started)
        steps.append({"name": name, "status": status, "ms": ms, "at": time.monotonic()})
        if status != expect:
            text = re.sub(rb"\s+", b" ", body)[:400].decode("utf-8", "replace")
            raise StepFailed(f"{name}: {method} {path} gave {status}, expected {expect}: {text}")
        where = headers.get("location", "")
        if location is not None and not re.search(location, where):
            raise StepFailed(f"{name}: {method} {path} went to {where!r}, expected {location!r}")
        return where, body

    cid = teacher["class_id"]
    step("login page", "GET", "/account/login", 200)
    step("login", "POST", "/account/login", 302, {"email": teacher["email"], "password": PASSWORD})
    _, page = step("dashboard", "GET", "/competition/classes/", 200)
    if f"/competition/classes/{cid}".encode() not in page:
        raise StepFailed(f"dashboard: class {cid} is not listed")
    step("new entry page", "GET", f"/competition/classes/{cid}/entries/new", 200)
    where, _ = step("new entry", "POST", f"/competition/classes/{cid}/entries/new", 302,
                    {"discipline": "illustration", "title": "Many faces", "language": "en", "whole_class": "y"},
                    location=r"/competition/entries/\d+/work$")
    entry_id = int(re.search(r"/entries/(\d+)/", where).group(1))
    record["entry_id"] = entry_id
    step("work page", "GET", f"/competition/entries/{entry_id}/work", 200)
    data = Path(image["path"]).read_bytes()
    record["upload_started"] = time.monotonic()
    step("upload", "POST", f"/competition/entries/{entry_id}/work/upload", 302,
         files={"file": (Path(image["path"]).name, data, "image/jpeg")}, location=rf"/competition/entries/{entry_id}$")
    record["upload_ended"] = time.monotonic()
    record["uploaded_bytes"] = len(data)
    step("consent page", "GET", f"/competition/entries/{entry_id}/consent", 200)
    step("consent", "POST", f"/competition/entries/{entry_id}/consent", 302,
         {"consent_judging": "y", "consent_publication": "y"}, location=rf"/competition/entries/{entry_id}$")
    step("entry page", "GET", f"/competition/entries/{entry_id}", 200)
    step("submit", "POST", f"/competition/entries/{entry_id}/submit", 302, {},
         location=rf"/competition/entries/{entry_id}/receipt$")
    _, receipt = step("receipt", "GET", f"/competition/entries/{entry_id}/receipt", 200)
    if image["sha256"].encode() not in receipt:
        raise StepFailed("receipt: the SHA-256 of the uploaded file is not on the receipt")


def bare_upload(base: str, teacher: dict, image: dict, record: dict, deadline: float) -> None:
    """The baseline: one multipart POST of the same file to the bare app, which answers with the SHA-256."""
    data = Path(image["path"]).read_bytes()
    body, ctype = multipart({}, {"file": (Path(image["path"]).name, data, "image/jpeg")})
    record["upload_started"] = time.monotonic()
    started = time.perf_counter()
    try:
        status, _headers, answer = request(base, "POST", "/upload", body=body, headers={"Content-Type": ctype},
                                           timeout=min(300.0, max(1.0, deadline - time.monotonic())))
    except Exception as exc:  # noqa: BLE001
        record["steps"].append({"name": "upload", "status": None, "ms": 1000 * (time.perf_counter() - started), "error": repr(exc)})
        raise StepFailed(f"upload: {exc!r}") from exc
    record["steps"].append({"name": "upload", "status": status, "ms": 1000 * (time.perf_counter() - started)})
    record["upload_ended"] = time.monotonic()
    record["uploaded_bytes"] = len(data)
    if status != 200 or answer.decode().strip() != image["sha256"]:
        raise StepFailed(f"upload: {status} {answer[:200]!r}")


def run_load(spec: dict) -> list[dict]:
    """Start every teacher at its planned moment; wait for all, but never past the global timeout."""
    action = bare_upload if spec["mode"] == "bare" else journey
    teachers, images, offsets = spec["teachers"], spec["images"], spec["offsets"]
    records = [{"teacher": t["index"], "email": t["email"], "planned": offsets[i], "steps": [], "ok": False,
                "error": None} for i, t in enumerate(teachers)]
    t0 = time.monotonic() + 0.5
    deadline = t0 + spec["timeout"]

    def one(i: int) -> None:
        record = records[i]
        time.sleep(max(0.0, t0 + offsets[i] - time.monotonic()))
        record["started"] = time.monotonic() - t0
        began = time.perf_counter()
        try:
            action(spec["base"], teachers[i], images[i], record, deadline)
            record["ok"] = True
        except StepFailed as failure:
            record["error"] = str(failure)
        except Exception as exc:  # noqa: BLE001 - a bug in the load itself is an error too
            record["error"] = f"load error: {exc!r}"
        record["journey_ms"] = 1000 * (time.perf_counter() - began)
        record["ended"] = time.monotonic() - t0

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(teachers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    for record in records:
        if "ended" not in record:
            record["error"] = record["error"] or "did not finish within the global timeout"
        for key in ("upload_started", "upload_ended"):
            if key in record:
                record[key] -= t0
        for s in record["steps"]:
            s.pop("at", None)
    return records


def load_in_subprocess(spec: dict, work: Path) -> list[dict]:
    label = spec.get("label", spec["mode"])
    spec_file, out_file = work / f"spec-{label}.json", work / f"out-{label}.json"
    spec_file.write_text(json.dumps(spec))
    subprocess.run([sys.executable, "-m", "tests.reliability.rush", "load", str(spec_file), str(out_file)], cwd=ROOT,
                   check=True, timeout=spec["timeout"] + 120)
    return json.loads(out_file.read_text())


# -- the bare baseline app (gunicorn 'tests.reliability.rush:bare_app()') ----------------------------------
def bare_app():
    from flask import Flask, request as flask_request

    app = Flask("bare")
    app.config["MAX_CONTENT_LENGTH"] = 64 * MIB
    folder = Path(os.environ["BARE_UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)

    @app.get("/healthz")
    def healthz():
        return "ok"

    @app.post("/upload")
    def upload():
        data = flask_request.files["file"].read()
        key = hashlib.sha256(data).hexdigest()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".put-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / key)
        return key

    return app


def plan_offsets(n: int, window: float, seed: int) -> list[float]:
    """Start moments inside the window: seeded uniform random (clumps, like real people), first at 0."""
    rnd = random.Random(seed)
    offsets = sorted(rnd.uniform(0, window) for _ in range(n))
    return [o - offsets[0] for o in offsets] if offsets else []


def run_rush(cfg: RushConfig, log=print) -> dict:
    """The whole rush (and the baseline unless cfg.baseline is False). Returns every figure and check."""
    work = Path(tempfile.mkdtemp(prefix="rush-"))
    try:
        started = time.perf_counter()
        images = make_images(cfg.teachers, cfg.mb, work / "images")
        log(f"{cfg.teachers} images of {statistics.mean(i['size'] for i in images) / MIB:.2f} MiB "
            f"({images[0]['width']}x{images[0]['height']} px) in {time.perf_counter() - started:.1f} s")
        offsets = plan_offsets(cfg.teachers, cfg.window, cfg.seed)
        result: dict = {"config": dataclasses.asdict(cfg), "image_px": [images[0]["width"], images[0]["height"]],
                        "image_mib": statistics.mean(i["size"] for i in images) / MIB}
        secret = random_secret()
        with fresh_postgres("mtm_rush") as url:
            instance = work / "instance"
            started = time.perf_counter()
            teachers = setup_database(url, instance, cfg.teachers, secret)
            log(f"database ready: {cfg.teachers} teachers with a class each, in {time.perf_counter() - started:.1f} s")
            server = Gunicorn(url, instance, workers=cfg.workers, threads=cfg.threads, SECRET_KEY=secret)
            # The queue worker makes the pictures' copies and sends the receipts, on the same cores, during the rush.
            worker = QueueWorker(url, instance, SECRET_KEY=secret, PUBLIC_BASE_URL=server.base)
            with server, worker:
                log(f"app: gunicorn {cfg.workers} workers x {cfg.threads} threads on {server.base}; "
                    f"rush of {cfg.teachers} teachers over {cfg.window:g} s")
                spec = {"mode": "app", "base": server.base, "teachers": teachers, "images": images, "offsets": offsets,
                        "timeout": cfg.timeout}
                load_before = os.getloadavg()[0]
                records = load_in_subprocess(spec, work)
                result["loadavg"] = [load_before, os.getloadavg()[0]]  # other work on the machine shows here
                peak_rss = workers_peak_rss_mib(server.proc.pid)
                result["queue_drained_s"] = wait_for_queue(url, time.perf_counter())
                log(f"queue drained {result['queue_drained_s']:.1f} s after the last journey")
            result["app"] = summarize(records)
            result["app"]["worker_peak_rss_mib"] = peak_rss
            result["server"] = server_log_summary(server.log)
            result["server"]["upload_ms"] = percentiles(result["server"]["upload_ms"])
            result["verify"] = verify(url, instance, teachers, images)
            result["records"] = records
        if cfg.baseline:
            bare_dir = work / "bare"
            bare = Gunicorn("unused", bare_dir, target="tests.reliability.rush:bare_app()", workers=cfg.workers,
                            threads=cfg.threads, BARE_UPLOAD_FOLDER=str(bare_dir / "files"))
            with bare:
                log(f"baseline: bare Flask (multipart parse + SHA-256 + write + fsync) on {bare.base}, same schedule")
                spec = {"mode": "bare", "base": bare.base, "teachers": teachers, "images": images, "offsets": offsets,
                        "timeout": cfg.timeout}
                result["bare"] = summarize(load_in_subprocess(spec, work))
                stored = {p.name for p in (bare_dir / "files").iterdir() if not p.name.startswith(".")}
                result["bare"]["stored_ok"] = stored == {i["sha256"] for i in images}
                # Its capacity: the same uploads all at once (the rush schedule above bounds its throughput).
                shutil.rmtree(bare_dir / "files")
                (bare_dir / "files").mkdir()
                log("baseline burst: the same uploads all at once")
                result["bare_burst"] = summarize(load_in_subprocess(
                    {**spec, "label": "bare-burst", "offsets": [0.0] * len(offsets)}, work))
        return result
    finally:
        if cfg.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report_markdown(result: dict) -> str:
    cfg, app, v, srv = result["config"], result["app"], result["verify"], result["server"]

    def ms(p):
        return "n/a" if p["p50"] is None else f"p50 {p['p50'] / 1000:.2f} s, p95 {p['p95'] / 1000:.2f} s, max {p['max'] / 1000:.2f} s"

    lines = [
        f"## Deadline rush, {time.strftime('%Y-%m-%d %H:%M')} — {cfg['teachers']} teachers x {result['image_mib']:.2f} MiB "
        f"({result['image_px'][0]}x{result['image_px'][1]} px JPEG q95), {cfg['window']:g} s window, "
        f"gunicorn {cfg['workers']} workers x {cfg['threads']} threads, {os.cpu_count()} cores, loopback "
        f"(1-min load average {result['loadavg'][0]:.1f} before, {result['loadavg'][1]:.1f} after the rush)",
        "",
        f"- journeys: {app['ok']}/{app['teachers']} submitted, **{app['errors']} errors**; {app['requests']} requests; "
        f"last teacher started at {app['last_start_s']:.1f} s, last finished at {app['run_s']:.1f} s",
        f"- upload request (client): {ms(app['upload_ms'])}",
        f"- upload request (server time in the app, from its log): {ms(srv['upload_ms'])}",
        f"- whole journey (12 requests, login to receipt): {ms(app['journey_ms'])}",
        f"- queue worker (pictures' web copies and thumbnails, receipts): drained "
        f"{result.get('queue_drained_s', float('nan')):.1f} s after the last journey ended",
        "- per request, p50/p95 (s): " + ", ".join(
            f"{name} {p['p50'] / 1000:.2f}/{p['p95'] / 1000:.2f}" for name, p in app["steps_ms"].items() if p["n"]),
        f"- throughput: {app['uploaded_mb']:.0f} MiB in {app['upload_span_s']:.1f} s = "
        f"**{(app['throughput_mb_s'] or 0):.2f} MiB/s** (first upload start to last upload end)",
        f"- database: {v['entries']} entries, {v['submitted']} submitted; files verified (key = SHA-256 sent = SHA-256 of the "
        f"bytes on disk, copies present): {v['verified_files']}; receipts in outbox: {v['receipts']}; "
        f"audit entry.submitted: {v['audit_submitted']}",
        f"- peak memory (VmHWM) of each gunicorn worker: {', '.join(f'{m:.0f}' for m in app.get('worker_peak_rss_mib', []))} MiB",
        f"- server log: statuses {dict(sorted(srv['statuses'].items()))}, 5xx {srv['server_errors']}, tracebacks {srv['tracebacks']}",
        f"- problems: {v['problems'] or 'none'}",
    ]
    if app["error_messages"]:
        lines.append(f"- errors: {app['error_messages']}")
    if "bare" in result:
        b = result["bare"]
        lines += [
            f"- **baseline** (bare Flask, same gunicorn settings, same files and schedule; parse + SHA-256 + write + fsync): "
            f"upload {ms(b['upload_ms'])}; {b['uploaded_mb']:.0f} MiB in {b['upload_span_s']:.1f} s = "
            f"{(b['throughput_mb_s'] or 0):.2f} MiB/s; errors {b['errors']}; stored files match: {b['stored_ok']}",
        ]
    if "bare_burst" in result:
        b = result["bare_burst"]
        lines.append(f"- baseline burst (the same {b['teachers']} POSTs started at once, its capacity): upload {ms(b['upload_ms'])}; "
                     f"{b['uploaded_mb']:.0f} MiB in {b['upload_span_s']:.1f} s = {(b['throughput_mb_s'] or 0):.2f} MiB/s; "
                     f"errors {b['errors']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "load":
        spec = json.loads(Path(argv[1]).read_text())
        records = run_load(spec)
        Path(argv[2]).write_text(json.dumps(records))
        sys.stdout.flush()
        os._exit(0)  # threads stuck past the global timeout must not keep the process alive
    print("usage: python -m tests.reliability.rush load SPEC.json OUT.json", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
