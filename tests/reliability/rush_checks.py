"""The deadline rush's checks and figures: what the database and the upload folder hold after the run
(exactly one submitted entry per teacher, every stored file hashing to its key and to what was sent), the
server log, and percentiles of the recorded latencies."""
from __future__ import annotations

import json
import math
import re
import statistics
from pathlib import Path

from core.storage import LocalStorage
from core.storage import file_sha256 as sha256_file
from tests.reliability.servers import psycopg_url

MIB = 1024 * 1024
UPLOAD_ROUTE = "/competition/entries/<int:entry_id>/work/upload"


# -- verification -------------------------------------------------------------------------------------------
def storage_path(uploads: Path, key: str) -> Path:
    return LocalStorage(uploads).path(key)


def verify(url: str, instance: Path, teachers: list[dict], images: list[dict]) -> dict:
    """Check, from the database and the disk only, that every teacher has exactly one submitted entry with the
    right file. Returns counts and a list of problems (empty when all is well)."""
    import psycopg

    problems: list[str] = []
    uploads = instance / "uploads"
    with psycopg.connect(psycopg_url(url)) as conn:
        rows = conn.execute("""
            select u.email, c.id, e.id, e.status, f.id, f.purpose, f.kind, f.original_key, f.original_size,
                   f.cleaned_key, f.web_key, f.thumb_key
              from users u join classes c on c.teacher_id = u.id
              left join entries e on e.class_id = c.id
              left join entry_files f on f.entry_id = e.id
             where u.email like 'rush%@example.org' order by u.email, e.id, f.id""").fetchall()
        totals = conn.execute("select count(*), count(*) filter (where status = 'submitted') from entries").fetchone()
        submitted_events = conn.execute("select count(*) from audit_events where action = 'entry.submitted'").fetchone()[0] \
            if _has_audit_action(conn) else None
    by_email: dict[str, dict] = {}
    for email, cid, eid, status, fid, purpose, kind, key, size, cleaned, web, thumb in rows:
        t = by_email.setdefault(email, {"entries": {}, "files": {}})
        if eid is not None:
            t["entries"][eid] = status
        if fid is not None:
            t["files"][fid] = (eid, purpose, kind, key, size, cleaned, web, thumb)
    verified_files = 0
    for teacher, image in zip(teachers, images, strict=True):
        t = by_email.get(teacher["email"], {"entries": {}, "files": {}})
        if len(t["entries"]) != 1:
            problems.append(f"{teacher['email']}: {len(t['entries'])} entries {t['entries']}, expected exactly 1")
            continue
        (status,) = t["entries"].values()
        if status != "submitted":
            problems.append(f"{teacher['email']}: entry is {status}, not submitted")
        if len(t["files"]) != 1:
            problems.append(f"{teacher['email']}: {len(t['files'])} files, expected exactly 1")
            continue
        (_eid, purpose, kind, key, size, cleaned, web, thumb), = t["files"].values()
        if (purpose, kind) != ("work", "image"):
            problems.append(f"{teacher['email']}: file is {purpose}/{kind}")
        if key != image["sha256"] or size != image["size"]:
            problems.append(f"{teacher['email']}: stored key {key} size {size}, sent {image['sha256']} size {image['size']}")
            continue
        path = storage_path(uploads, key)
        if not path.is_file():
            problems.append(f"{teacher['email']}: original {key} missing from {uploads}")
            continue
        on_disk = sha256_file(path)
        if on_disk != key or path.stat().st_size != size:
            problems.append(f"{teacher['email']}: bytes on disk hash to {on_disk}, key {key}")
            continue
        for label, other in (("cleaned", cleaned), ("web", web), ("thumb", thumb)):
            if not other or not storage_path(uploads, other).is_file() or sha256_file(storage_path(uploads, other)) != other:
                problems.append(f"{teacher['email']}: {label} copy {other} missing or corrupt")
        verified_files += 1
    n = len(teachers)
    if totals != (n, n):
        problems.append(f"entries in the database: {totals[0]} in all, {totals[1]} submitted; expected {n} and {n}")
    if submitted_events is not None and submitted_events != n:
        problems.append(f"audit: {submitted_events} entry.submitted events, expected {n}")
    leftovers = [p.name for p in (uploads / "tmp").glob(".put-*")] if (uploads / "tmp").exists() else []
    if leftovers:
        problems.append(f"{len(leftovers)} temporary files left in {uploads / 'tmp'}")
    receipts = len(list((instance / "outbox").glob("*.eml"))) if (instance / "outbox").exists() else 0
    if receipts != n:
        problems.append(f"{receipts} receipt e-mails in the outbox, expected {n}")
    return {"entries": totals[0], "submitted": totals[1], "verified_files": verified_files, "receipts": receipts,
            "audit_submitted": submitted_events, "problems": problems}


def _has_audit_action(conn) -> bool:
    return conn.execute("""select count(*) from information_schema.columns
                            where table_name = 'audit_events' and column_name = 'action'""").fetchone()[0] == 1


def server_log_summary(log: Path) -> dict:
    """Server-side times of the upload route, 5xx count and tracebacks from the gunicorn log (JSON request lines)."""
    upload_ms, statuses, tracebacks, errors = [], {}, 0, []
    for line in log.read_text(errors="replace").splitlines():
        if "Traceback" in line:
            tracebacks += 1
        if line.startswith("{") and '"event": "request"' in line:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            statuses[rec["status"]] = statuses.get(rec["status"], 0) + 1
            if rec.get("route") == UPLOAD_ROUTE and rec["method"] == "POST":
                upload_ms.append(rec["ms"])
        elif re.search(r"\[(ERROR|CRITICAL)\]|WORKER TIMEOUT|Worker .* was sent", line):
            errors.append(line[:300])
    return {"upload_ms": upload_ms, "statuses": statuses, "tracebacks": tracebacks, "errors": errors[:10],
            "server_errors": sum(c for s, c in statuses.items() if s >= 500)}


def workers_peak_rss_mib(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker, MiB (Linux /proc; empty elsewhere)."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return sorted(peaks)


# -- figures ------------------------------------------------------------------------------------------------
def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank
    return {"n": len(values), "p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def summarize(records: list[dict]) -> dict:
    ok = [r for r in records if r["ok"]]
    uploads = [s["ms"] for r in records for s in r["steps"] if s["name"] == "upload" and s.get("status") is not None]
    bad_requests = [(r["email"], s["name"], s.get("status"), s.get("error")) for r in records for s in r["steps"]
                    if s.get("status") is None or (s["status"] not in (200, 302))]
    done = [r for r in records if "upload_ended" in r]
    if done:
        span = max(r["upload_ended"] for r in done) - min(r["upload_started"] for r in done)
        mb = sum(r["uploaded_bytes"] for r in done) / MIB
    else:
        span, mb = 0.0, 0.0
    starts = [r.get("started", float("inf")) for r in records]
    return {
        "teachers": len(records), "ok": len(ok), "errors": len(records) - len(ok),
        "error_messages": [f"{r['email']}: {r['error']}" for r in records if not r["ok"]][:20],
        "bad_requests": bad_requests[:20],
        "requests": sum(len(r["steps"]) for r in records),
        "upload_ms": percentiles(uploads),
        "journey_ms": percentiles([r["journey_ms"] for r in ok]),
        "uploaded_mb": mb, "upload_span_s": span, "throughput_mb_s": mb / span if span > 0 else None,
        "steps_ms": {name: percentiles([s["ms"] for r in records for s in r["steps"] if s["name"] == name and s.get("status")])
                     for name in dict.fromkeys(s["name"] for r in records for s in r["steps"])},
        "last_start_s": max(starts) if starts else None,
        "run_s": max((r.get("ended", 0) for r in records), default=0),
    }
