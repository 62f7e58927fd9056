"""Crash safety: SIGKILL the whole gunicorn server (master and workers) while uploads and score saves are in
flight, start it again, and check what a crash may and may not leave behind.

Uploads (three kills, each at another moment: while a stored file is being written; when every file of
the uploads is stored but the commit waits on a lock this test holds; right after the first upload answered):
  (a) no half-written file under its final name: every file named by a key hashes to its name;
  (b) no row points at a missing file (entry_files' four keys, materials.file_key);
  (c) orphans and temp files may exist after the crash, but none after ``flask cleanup-files --min-age 0``;
  (d) the server works after the restart: the teacher uploads again and sees the file;
  and each entry has either its old file or the whole new one; an answered upload is never lost.

Scores (two kills: with every save blocked inside its transaction on a lock this test holds; then with
autosave/save loops and a submit running freely): every submit answered before the kill is still there,
submitted, with exactly the values sent; every score set in flight is either its old state or the full new
state, never a mix; the juror can save again after the restart.

After every restart: the killed server's PostgreSQL sessions are gone, none is idle in a transaction and
none holds a lock (and the restarted server answers).

Part 3: a material PDF stored under uploads/materials/ when the server dies before its row is committed is an
orphan that cleanup-files removes too (it sweeps that second storage since this test found the gap).

Run: pytest tests/reliability/test_crash_safety.py -s (PostgreSQL on 127.0.0.1:5432).
"""
from __future__ import annotations

import hashlib
import http.client
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from tests.reliability.crash_world import (
    JUROR,
    PASSWORD,
    SECRETARIAT,
    TEACHER,
    HalfSent,
    InFlight,
    all_files,
    check_no_leftover_sessions,
    connect,
    decimal_or_none,
    form_body,
    lock_waiters,
    noise_jpeg,
    restart,
    rows,
    server_backends,
    signed_in,
    storage_report,
    temp_files,
    wait_until,
)
from tests.reliability.servers import Client, Gunicorn, flask, fresh_postgres, random_secret, request, require_postgres

pytestmark = pytest.mark.slow


@dataclass
class World:
    url: str
    instance: Path
    secret: str

    def server(self) -> Gunicorn:
        # 8 threads a worker: every request of a round (at most 8) gets a thread even if one worker takes them all.
        return Gunicorn(self.url, self.instance, workers=2, threads=8, SECRET_KEY=self.secret)


@pytest.fixture(scope="module")
def world():
    require_postgres()
    with fresh_postgres("mtm_crash") as url, tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        flask(url, instance, "demo", "--password", PASSWORD)
        yield World(url, instance, random_secret())


def kill_and_restart(world: World, server: Gunicorn, before_restart=None) -> set[int]:
    """SIGKILL the server, run ``before_restart`` (e.g. release a lock), start it again; return the killed pids."""
    killed = {pid for pid, *_ in server_backends(world.url)}
    server.kill()
    if before_restart:
        before_restart()
    restart(server)
    check_no_leftover_sessions(world.url, killed)
    return killed


def cleanup_and_check(world: World, label: str) -> tuple[int, int]:
    """Check (a) and (b) now, run cleanup-files, check (a), (b) and (c). Returns (orphans, temp files) found."""
    report = storage_report(world.url, world.instance)
    problems = report.problems(after_cleanup=False)
    assert not problems, f"{label}, right after the restart: {problems}"
    orphans, temps = len(report.orphans), len(report.main.temps) + len(report.materials.temps)
    out = flask(world.url, world.instance, "cleanup-files", "--min-age", "0").stdout
    after = storage_report(world.url, world.instance)
    problems = after.problems(after_cleanup=True)
    assert not problems, f"{label}, after cleanup-files ({out.strip()}): {problems}"
    assert after.entry_keys == report.entry_keys, "cleanup-files changed the rows"
    return orphans, temps


# Part 1: uploads --------------------------------------------------------------------------------------------
def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def work_files(world: World, entry_id: int) -> list[str]:
    """The original_key of each work file of the entry (at most one is allowed)."""
    query = "SELECT original_key FROM entry_files WHERE entry_id = %s AND purpose = 'work' ORDER BY id"
    return [key for (key,) in rows(world.url, query, (entry_id,))]


def open_class(world: World) -> tuple[int, int]:
    """Teacher one's class 6B (open: its deadline was extended) and its illustration category."""
    ((class_id, category_id),) = rows(world.url, """
        SELECT c.id, cat.id FROM classes c JOIN users u ON u.id = c.teacher_id
        JOIN categories cat ON cat.edition_id = c.edition_id AND cat.age_group = c.age_group
        WHERE u.email = %s AND c.name = '6B' AND cat.discipline = 'illustration'""", (TEACHER,))
    return class_id, category_id


def new_entry(client: Client, class_id: int, title: str) -> int:
    client.get(f"/competition/classes/{class_id}/entries/new")
    status, headers, body = client.post(f"/competition/classes/{class_id}/entries/new",
                                        {"discipline": "illustration", "title": title, "language": "pt",
                                         "whole_class": "y"})
    assert status == 302, body[-2000:]
    return int(re.search(r"/entries/(\d+)/work", headers["location"]).group(1))


def upload_works(world: World, teacher: Client, entry_id: int, seed: int) -> None:
    """An upload that is answered, stored, and shown (after a restart: check (d))."""
    data = noise_jpeg(seed, size=(900, 700))
    teacher.get(f"/competition/entries/{entry_id}/work")
    status, headers, body = teacher.post(f"/competition/entries/{entry_id}/work/upload",
                                         files={"file": (f"after-restart-{seed}.jpg", data, "image/jpeg")})
    assert status == 302, f"upload after the restart: {status} {body[-1500:]!r}"
    assert work_files(world, entry_id) == [sha(data)]
    page = teacher.get(f"/competition/entries/{entry_id}")[2].decode()
    assert f"after-restart-{seed}.jpg" in page
    ((file_id, cleaned_key),) = rows(world.url, "SELECT id, cleaned_key FROM entry_files WHERE entry_id = %s",
                                     (entry_id,))
    status, _headers, cleaned = teacher.get(f"/competition/entries/{entry_id}/files/{file_id}/cleaned")
    assert status == 200 and sha(cleaned) == cleaned_key


PHASES = ["while a stored file is being written", "files stored, commit blocked", "after the first upload answered"]


def upload_round(world: World, server: Gunicorn, teacher: Client, entries: list[int], phase: str, seed: int) -> dict:
    full_entries, half_entries = entries[:4], entries[4:6]
    before = {e: work_files(world, e) for e in full_entries + half_entries}
    datas = {e: noise_jpeg(seed + n, size=(2200, 1650) if n % 2 else (2000, 1500))  # 3.5-4 MB each
             for n, e in enumerate(full_entries + half_entries)}
    teacher.get(f"/competition/entries/{entries[0]}/work")  # a fresh CSRF token for this session

    def body_for(e):
        return form_body(teacher, {}, {"file": (f"drawing-{seed}-{e}.jpg", datas[e], "image/jpeg")})

    lock = None
    if phase == "files stored, commit blocked":
        lock = connect(world.url, autocommit=False)
        lock.execute("LOCK TABLE entry_files IN EXCLUSIVE MODE")  # reads go on; the uploads' INSERT waits
    present = all_files(world.instance)
    half = [HalfSent(server.base, f"/competition/entries/{e}/work/upload", *body_for(e)) for e in half_entries]
    full = [InFlight(server.base, f"/competition/entries/{e}/work/upload", *body_for(e), label=str(e))
            for e in full_entries]
    for t in full:
        t.start()
    if phase == "while a stored file is being written":
        # The first new file of the round, temporary or not: a writer has just started.
        hit = wait_until(lambda: all_files(world.instance) - present, 15, 0.0005)
    elif lock is not None:
        hit = wait_until(lambda: lock_waiters(world.url) >= len(full), 30, 0.05)
    else:
        hit = wait_until(lambda: any(t.answered.is_set() for t in full), 30, 0.001)
    temps_at_kill = len(temp_files(world.instance))
    halves_pending = sum(not h.answered() for h in half)

    def release():
        for h in half:
            h.close()
        if lock is not None:
            lock.rollback()
            lock.close()

    kill_and_restart(world, server, release)
    for t in full:
        t.join(30)
    answered = [t for t in full if t.status is not None]

    # Each entry: its old file or the whole new one, never two; an answered upload is there.
    for t in full:
        e = int(t.label)
        now = work_files(world, e)
        assert t.status in (None, 302), f"upload to entry {e} answered {t.status}"
        if t.status == 302:
            assert now == [sha(datas[e])], f"{phase}: the upload to entry {e} was answered but its file is {now}"
        else:
            assert now in (before[e], [sha(datas[e])]), f"{phase}: entry {e} has {now}, neither old nor new"
    for e in half_entries:
        assert work_files(world, e) == before[e], f"{phase}: a half-sent upload changed entry {e}"
    orphans, temps = cleanup_and_check(world, phase)
    teacher = signed_in(teacher, TEACHER, server.base)
    upload_works(world, teacher, entries[6], seed + 100)
    stats = {"phase": phase, "trigger_hit": hit, "in_flight": len(full) + len(half),
             "half_sent_pending": halves_pending,
             "answered_before_kill": len(answered), "temp_files_at_kill": temps_at_kill,
             "orphans_after_restart": orphans, "temp_files_after_restart": temps}
    print(f"upload kill: {stats}")
    return stats


def test_kill_during_uploads(world):
    started = time.monotonic()
    server = world.server().start()
    try:
        teacher = signed_in(Client(server.base), TEACHER, server.base)
        class_id, category_id = open_class(world)
        # Room for the test's drafts (the demo class already has an illustration; the cap is 3).
        rows(world.url, "UPDATE categories SET max_entries_per_class = 50 WHERE id = %s", (category_id,))
        entries = [new_entry(teacher, class_id, f"Crash test drawing {n}") for n in range(7)]
        for n, entry_id in enumerate(entries[:6]):  # an old file for every in-flight upload to replace
            upload_works(world, teacher, entry_id, seed=n)
        cleanup_and_check(world, "before the first kill")  # the demo's own files are all referenced
        stats = [upload_round(world, server, teacher, entries, phase, seed=1000 * (n + 1))
                 for n, phase in enumerate(PHASES)]
        # Each phase must really have been reached, or the test proves less than it says.
        assert stats[0]["trigger_hit"], "no file was ever written: the kill missed the writing phase"
        assert stats[1]["trigger_hit"], "the uploads never reached the commit (lock wait)"
        assert stats[1]["orphans_after_restart"] >= 4 * 2, "stored-but-uncommitted files should be orphans"
        assert stats[2]["answered_before_kill"] >= 1
        assert all(s["half_sent_pending"] == 2 for s in stats), "a half-sent upload was answered before the kill"
    finally:
        server.stop()
    total = {name: sum(s[name] for s in stats) for name in ("in_flight", "orphans_after_restart",
                                                            "temp_files_after_restart")}
    print(f"uploads: {len(stats)} kills, {total['in_flight']} uploads in flight, {total['orphans_after_restart']} "
          f"orphans and {total['temp_files_after_restart']} temp files found and cleaned, "
          f"{time.monotonic() - started:.1f} s")


# Part 2: scores ---------------------------------------------------------------------------------------------
def juror_assignments(world: World) -> list[tuple[int, str]]:
    return rows(world.url, """
        SELECT a.id, a.code FROM assignments a JOIN rounds r ON r.id = a.round_id JOIN entries e ON e.id = a.entry_id
        JOIN users u ON u.id = a.juror_id
        WHERE u.email = %s AND r.status = 'open' AND e.status = 'submitted' ORDER BY a.id""", (JUROR,))


def score_state(world: World, assignment_id: int):
    """None, or (status, overall comment, {criterion key: (value, comment)}) as stored."""
    found = rows(world.url, "SELECT id, status, overall_comment FROM score_sets WHERE assignment_id = %s",
                 (assignment_id,))
    if not found:
        return None
    ((set_id, status, overall),) = found
    values = rows(world.url, "SELECT c.key, v.value, v.comment FROM score_values v "
                             "JOIN criteria c ON c.id = v.criterion_id WHERE v.score_set_id = %s", (set_id,))
    return status, overall, {key: (decimal_or_none(value), comment) for key, value, comment in values}


def new_state(keys: list[str], seed: int, status: str):
    values = {key: (Decimal((seed * 7 + n * 3) % 11).normalize(), f"{key} note {seed}") for n, key in enumerate(keys)}
    return status, f"overall {seed}", values


def fields_of(state) -> dict:
    _status, overall, values = state
    out = {"overall_comment": overall}
    for key, (value, comment) in values.items():
        out[f"score_{key}"] = format(value, "f")
        out[f"comment_{key}"] = comment
    return out


class Juror:
    def __init__(self, world: World, server: Gunicorn):
        self.world, self.server = world, server
        self.client = signed_in(Client(server.base), JUROR, server.base)
        self.keys: dict[str, list[str]] = {}

    def criteria(self, code: str) -> list[str]:
        if code not in self.keys:
            status, _h, page = self.client.get(f"/judging/entries/{code}")
            assert status == 200, f"scoring page {code}: {status}"
            self.keys[code] = re.findall(r'name="score_(\w+)"', page.decode())
            assert self.keys[code], "no criteria on the scoring page"
        return self.keys[code]

    def request(self, code: str, state, kind: str) -> tuple[str, bytes, dict]:
        """(path, body, headers) of an autosave, a draft save or a submit of ``state``."""
        fields = fields_of(state)
        if kind == "autosave":
            return (f"/judging/entries/{code}/autosave", *form_body(self.client, fields))
        extra = {"confirmed": "1"} if kind == "submit" else {}  # one request, as after the confirmation page
        return (f"/judging/entries/{code}", *form_body(self.client, {**fields, "action": kind, **extra}))

    def half_sent(self, code: str, seed: int, kind: str) -> HalfSent:
        state = new_state(self.criteria(code), seed, "submitted" if kind == "submit" else "draft")
        return HalfSent(self.server.base, *self.request(code, state, kind))

    def send(self, code: str, state, kind: str) -> int:
        path, body, headers = self.request(code, state, kind)
        return request(self.server.base, "POST", path, body=body, headers=headers, timeout=60)[0]


OK = {"autosave": 200, "save": 302, "submit": 302}


class SaveLoop(threading.Thread):
    """Saves one assignment again and again with new values until stopped; remembers what was answered."""

    def __init__(self, juror: Juror, assignment: tuple[int, str], kind: str, seed: int):
        super().__init__(daemon=True)
        self.juror, self.assignment, self.kind, self.seed = juror, assignment, kind, seed
        self.stop = threading.Event()
        self.acked = None  # the last state the server answered for
        self.pending = None  # sent, not answered
        self.saves = 0
        self.keys = juror.criteria(assignment[1])
        self.failure: str | None = None

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            state = new_state(self.keys, self.seed + n, "draft")
            self.pending = state
            try:
                status = self.juror.send(self.assignment[1], state, self.kind)
            except (OSError, http.client.HTTPException):
                return  # the server is gone: ``pending`` may or may not have been committed
            if status != OK[self.kind]:
                self.failure = f"{self.kind} answered {status}"
                return
            self.acked, self.pending = state, None
            self.saves += 1
            n += 1


def test_kill_during_score_saving(world):
    started = time.monotonic()
    server = world.server().start()
    try:
        juror = Juror(world, server)
        assignments = juror_assignments(world)
        assert len(assignments) >= 10, f"the demo juror has only {len(assignments)} assignments"
        # Start from a known state: the demo submitted most of them; scores of these assignments are reset.
        rows(world.url, "DELETE FROM score_sets WHERE assignment_id = ANY(%s)", ([a for a, _ in assignments[:10]],))
        committed, drafts, fresh = assignments[:3], assignments[3:7], assignments[7:10]
        expected: dict[int, object] = {}
        for n, (aid, code) in enumerate(committed):
            state = new_state(juror.criteria(code), 10 + n, "submitted")
            assert juror.send(code, state, "submit") == 302
            expected[aid] = state
        for n, (aid, code) in enumerate(drafts):
            state = new_state(juror.criteria(code), 20 + n, "draft")
            assert juror.send(code, state, "autosave") == 200
            expected[aid] = state
        for aid, _code in fresh:
            expected[aid] = None
        for aid, _code in assignments[:10]:
            assert score_state(world, aid) == expected[aid], "a save before any kill did not store what was sent"

        # Kill 1: every save waits inside its transaction (score set created or locked, values not yet written).
        d1, d2, d3, h1 = drafts
        n1, n2, h2 = fresh
        blocked = [(d1, "submit"), (d2, "submit"), (d3, "autosave"), (n1, "save"), (n2, "autosave")]
        lock = connect(world.url, autocommit=False)
        lock.execute("LOCK TABLE score_values IN EXCLUSIVE MODE")
        half = [juror.half_sent(h1[1], 31, "submit"), juror.half_sent(h2[1], 32, "autosave")]
        flights = [InFlight(server.base, *juror.request(code, new_state(juror.criteria(code), 40 + n, "draft"), kind),
                            label=f"{aid}") for n, ((aid, code), kind) in enumerate(blocked)]
        for t in flights:
            t.start()
        reached = wait_until(lambda: lock_waiters(world.url) >= len(blocked), 30, 0.05)
        assert reached, f"only {lock_waiters(world.url)} of {len(blocked)} saves reached the lock"
        assert not any(h.answered() for h in half)

        def release():
            for h in half:
                h.close()
            lock.rollback()
            lock.close()

        kill_and_restart(world, server, release)
        for t in flights:
            t.join(30)
        assert all(t.status is None for t in flights), "a save blocked on the lock was answered"
        for aid, _code in assignments[:10]:
            assert score_state(world, aid) == expected[aid], f"kill 1: assignment {aid} changed, nothing committed"
        checked = 10

        # Kill 2: autosave and save loops and a submit run freely; the kill lands wherever they are.
        juror = Juror(world, server)
        loops = [SaveLoop(juror, d3, "autosave", 100), SaveLoop(juror, n1, "save", 200),
                 SaveLoop(juror, n2, "autosave", 300)]
        submit_state = new_state(juror.criteria(d1[1]), 400, "submitted")
        submit = InFlight(server.base, *juror.request(d1[1], submit_state, "submit"), label="submit")
        half = [juror.half_sent(h1[1], 51, "submit"), juror.half_sent(h2[1], 52, "autosave")]
        for loop in loops:
            loop.start()
        wait_until(lambda: all(loop.saves >= 3 for loop in loops), 20, 0.01)
        submit.start()
        # Kill the moment the submit is answered (its commit must survive), or mid-request if it takes longer.
        submit.answered.wait(0.4)
        in_flight = sum(loop.pending is not None for loop in loops) + (not submit.answered.is_set())

        def stop_clients():  # the server is dead: every loop ends on an error, before the restart
            for loop in loops:
                loop.stop.set()
            for t in [*loops, submit]:
                t.join(30)
            for h in half:
                h.close()

        kill_and_restart(world, server, stop_clients)
        for loop in loops:
            assert loop.failure is None, loop.failure
            aid = loop.assignment[0]
            allowed = [loop.acked or expected[aid]] + ([loop.pending] if loop.pending else [])
            got = score_state(world, aid)
            assert got in allowed, f"kill 2: {aid} is {got}: neither the last answered save nor the one in flight"
            expected[aid] = got
        got = score_state(world, d1[0])
        if submit.status is not None:
            assert submit.status == 302 and got == submit_state, f"an answered submit was lost or changed: {got}"
        else:
            assert got in (expected[d1[0]], submit_state), f"kill 2: the submit in flight left {got}"
        expected[d1[0]] = got
        for aid, _code in [*committed, h1, h2, d2]:
            assert score_state(world, aid) == expected[aid], f"kill 2: assignment {aid} changed"

        # The juror can save and submit again.
        juror = Juror(world, server)
        state = new_state(juror.criteria(d2[1]), 500, "draft")
        assert juror.send(d2[1], state, "autosave") == 200 and score_state(world, d2[0]) == state
        state = new_state(juror.criteria(d2[1]), 501, "submitted")
        assert juror.send(d2[1], state, "submit") == 302 and score_state(world, d2[0]) == state
        for aid, _code in committed:
            assert score_state(world, aid)[0] == "submitted"
        summary = (f"scores: 2 kills, {len(blocked) + 2} saves in flight at kill 1 (all blocked in their transaction), "
                   f"{len(loops)} save loops ({sum(loop.saves for loop in loops)} answered saves) and 1 submit "
                   f"({'answered' if submit.status else 'not answered'}), {in_flight} of them in flight, "
                   f"+ 2 half-sent at kill 2; "
                   f"{checked} score sets checked after each kill, {time.monotonic() - started:.1f} s")
        print(summary)
    finally:
        server.stop()


# Part 3: the materials' own storage -----------------------------------------------------------------------------
def test_kill_during_material_upload(world):
    """A material PDF stored, its row not yet committed (a lock this test holds), the server killed: the file is an
    orphan in uploads/materials/, and cleanup-files should remove it like an entry upload's orphan."""
    server = world.server().start()
    try:
        secretariat = signed_in(Client(server.base), SECRETARIAT, server.base)
        ((edition_id,),) = rows(world.url, "SELECT id FROM editions WHERE is_current")
        path = f"/competition/admin/editions/{edition_id}/materials/new"
        if secretariat.get(path)[0] != 200:
            pytest.fail("the secretariat cannot open the new material form")
        import random

        pdf = b"%PDF-1.4\n" + random.Random(7).randbytes(2 * 1024 * 1024) + b"\n%%EOF\n"
        key = sha(pdf)
        stored = world.instance / "uploads" / "materials" / key[:2] / key[2:4] / key
        lock = connect(world.url, autocommit=False)
        lock.execute("LOCK TABLE materials IN EXCLUSIVE MODE")
        flight = InFlight(server.base, path, *form_body(secretariat, {"title": "Crash test material", "description": "",
                                                                      "url": "", "language": ""},
                                                        {"file": ("material.pdf", pdf, "application/pdf")}))
        flight.start()
        if not wait_until(lambda: stored.exists() and lock_waiters(world.url) >= 1, 30, 0.05):
            pytest.fail("the material upload never reached its commit")

        def release():
            lock.rollback()
            lock.close()

        kill_and_restart(world, server, release)
        flight.join(30)
        report = storage_report(world.url, world.instance)
        if flight.status is not None or report.problems(after_cleanup=False) or report.material_orphans != {key}:
            pytest.fail(f"unexpected state after the kill: {flight.status} {report.problems(after_cleanup=False)}")
        flask(world.url, world.instance, "cleanup-files", "--min-age", "0")
        after = storage_report(world.url, world.instance)
        print(f"materials: 1 kill, orphan after cleanup-files: {sorted(after.material_orphans)}")
        assert not after.problems(after_cleanup=True), after.problems(after_cleanup=True)
    finally:
        server.stop()
