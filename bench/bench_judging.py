"""Serve the judging pages from a competition-sized PostgreSQL database and measure them under load.

    .venv/bin/python bench/bench_judging.py [--entries 10000] [--jurors 300] [--seconds 20] [--clients 8]

Builds a throw-away database (tests/pg_database.py) with ``--entries`` submitted entries, ``--jurors``
jurors, three assignments per entry and a submitted score set for each (bulk inserts); serves the
app with gunicorn (2 workers, loopback) and loads, from another process (threads + http.client,
one logged-in session cookie): a juror's scoring page (/judging/entries/<code>), the secretariat's
ranking page and, for comparison, a bare Flask + SQLAlchemy page doing one query, served the same
way, and the app's floor: the same juror on a page that does nothing of its own (the session, the user's
query, CSRF, the limiter, the transaction), then on one that renders only the layout. The ranking page is measured twice: computed on every view (no stored ranking: what it did before
the queue stored it), then reading the ranking the queue stored (judging/results/store.py), after
timing that computation itself. Prints requests/s and p50/p95 latency. The database is dropped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
PASSWORD = "bench password 2026"


# -- the bare comparison app (gunicorn imports it: bench_judging:bare_app()) ----------------------------
def bare_app():
    from flask import Flask
    from sqlalchemy import create_engine, text

    app = Flask("bare")
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=5)

    @app.get("/")
    def one_query():
        with engine.connect() as conn:
            title = conn.execute(text("select title from entries where id = :id"), {"id": random.randint(1, 1000)}).scalar()
        return f"<!doctype html><title>bare</title><p>{title}</p>"

    return app


# -- the app's floor (gunicorn imports it: bench_judging:floor_app()) -------------------------------------
def floor_app():
    """The app itself with two juror-only pages that do nothing of their own: what every signed-in page pays
    before its own work (the session, Flask-Login's user query, CSRF, the limiter, the transaction, the
    headers and the request log), then that plus the layout every page extends (base.html, empty)."""
    from flask import current_app

    from accounts.models import Role
    from app import create_app
    from core.permissions import roles_required

    app = create_app()
    layout = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}<h1>Floor</h1>{% endblock %}')

    @roles_required(Role.JUROR)
    def signed_in_empty():
        return "<!doctype html><title>floor</title><p>ok</p>"

    @roles_required(Role.JUROR)
    def signed_in_layout():
        context = {}
        current_app.update_template_context(context)
        return layout.render(context)

    app.add_url_rule("/bench/floor", "bench_floor", signed_in_empty)
    app.add_url_rule("/bench/layout", "bench_layout", signed_in_layout)
    return app


# -- data ------------------------------------------------------------------------------------------------
def build(url: str, n_entries: int, n_jurors: int, seed: int = 1) -> dict:
    from datetime import date, timedelta
    from decimal import Decimal

    from sqlalchemy import insert

    from accounts.models import Role, User, UserRole
    from accounts.passwords import hash_password
    from app import create_app
    from competition.models import AgeGroup, Category, City, Discipline, Edition, Entry, School, SchoolClass
    from core.db import db, utcnow
    from judging.models import Assignment, JurorProfile, Round, ScoreSet, ScoreValue, order_key
    from judging.rubrics.defaults import ensure_rubrics

    rng = random.Random(seed)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-"), "APP_ENV": "development"})
    with app.app_context():
        db.create_all()
        edition = Edition(name="Bench", deadline_at=utcnow() - timedelta(days=1), results_on=date(2026, 12, 6), is_current=True)
        for group in AgeGroup:
            for discipline in Discipline:
                edition.categories.append(Category(age_group=group.value, discipline=discipline.value))
        db.session.add(edition)
        db.session.flush()
        criteria = {r.category_id: list(r.criteria) for r in ensure_rubrics(edition)}
        rubric_of = {cid: cs[0].rubric_id for cid, cs in criteria.items()}
        city = City(name="Bench city", country_code="FR")
        school = School(name="Bench school", city=city)
        db.session.add(school)
        db.session.flush()
        hashed = hash_password(PASSWORD)
        people = [("secretariat@example.org", Role.SECRETARIAT), ("teacher@example.org", Role.TEACHER)] + [
            (f"juror{j}@example.org", Role.JUROR) for j in range(n_jurors)]
        db.session.execute(insert(User), [{"id": i + 1, "email": e, "name": e.split("@")[0].title(), "password_hash": hashed,
                                                "email_confirmed_at": utcnow()} for i, (e, _) in enumerate(people)])
        db.session.execute(insert(UserRole), [{"user_id": i + 1, "role": r.value} for i, (_, r) in enumerate(people)])
        juror_ids = list(range(3, 3 + n_jurors))
        db.session.execute(insert(JurorProfile), [{"user_id": j, "languages": ["en", "fr"], "max_entries": 10000} for j in juror_ids])
        cats = edition.categories
        classes = [{"id": c + 1, "edition_id": edition.id, "school_id": school.id, "teacher_id": 2, "name": f"Class {c}",
                        "age_group": cats[c % len(cats)].age_group, "pupil_count": 25, "language": "en"}
                   for c in range(max(1, n_entries // 30))]
        db.session.execute(insert(SchoolClass), classes)
        entries = []
        for i in range(n_entries):
            klass = classes[i % len(classes)]
            cat = next(c for c in cats if c.age_group == klass["age_group"] and c.discipline == Discipline(
                list(Discipline)[(i // len(classes)) % 3]).value)
            entries.append({"id": i + 1, "class_id": klass["id"], "category_id": cat.id, "title": f"Entry {i + 1}", "language": "en",
                                "text": "I am many things.", "status": "submitted", "submitted_at": utcnow(), "consent_judging": True})
        db.session.execute(insert(Entry), entries)
        round1 = Round(edition_id=edition.id, number=1, name="Round 1", status="open")
        db.session.add(round1)
        db.session.flush()
        severity = {j: rng.gauss(0, 1) for j in juror_ids}
        assignments, sets, values = [], [], []
        for e in entries:
            quality = rng.uniform(3, 9)
            for t in range(3):
                aid = len(assignments) + 1
                juror = juror_ids[(e["id"] + t * 101) % n_jurors]
                assignments.append({"id": aid, "round_id": round1.id, "entry_id": e["id"], "juror_id": juror,
                                    "position": order_key(round1.order_secret, aid)})  # as service.place does
                sets.append({"id": aid, "assignment_id": aid, "rubric_id": rubric_of[e["category_id"]], "status": "submitted",
                                 "submitted_at": utcnow()})
                for c in criteria[e["category_id"]]:
                    v = max(0, min(10, round(quality + severity[juror] + rng.gauss(0, 1))))
                    values.append({"score_set_id": aid, "criterion_id": c.id, "value": Decimal(v)})
        for model, rows in ((Assignment, assignments), (ScoreSet, sets), (ScoreValue, values)):
            for start in range(0, len(rows), 20000):
                db.session.execute(insert(model), rows[start:start + 20000])
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))  # the planner's statistics, as autovacuum would gather them
        db.session.commit()
        busiest = max(juror_ids, key=lambda j: sum(a["juror_id"] == j for a in assignments[:3000]))
        codes = [a.code for a in db.session.scalars(
            db.select(Assignment).where(Assignment.juror_id == busiest).limit(50))]
        info = {"round": round1.id, "category": cats[-1].id, "juror": f"juror{busiest - 3}@example.org", "codes": codes,
                "counts": {"entries": len(entries), "jurors": n_jurors, "assignments": len(assignments),
                           "score_values": len(values)}}
        db.engine.dispose()
    return info


# -- load (runs in another process) -------------------------------------------------------------------
def login(port: int, email: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/account/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    conn.request("POST", "/account/login", body=urlencode({"email": email, "password": PASSWORD, "csrf_token": token}),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


def load(port: int, paths: list[str], cookie: str, seconds: float, clients: int) -> dict:
    latencies, errors = [], []
    stop = time.monotonic() + seconds

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = n
        while time.monotonic() < stop:
            path = paths[k % len(paths)]
            k += clients
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(response.status)

    if paths:  # one request alone first: the cold cost (fresh worker, nothing cached)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", paths[0], headers={"Cookie": cookie} if cookie else {})
        conn.getresponse().read()
        latencies.append(time.perf_counter() - started)
        first = latencies.pop()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [latencies[0]] * 19
    return {"first_ms": 1000 * first, "requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * q[18], "errors": len(errors), "statuses": sorted(set(errors))[:5]}


def store_rankings(url: str, round_id: int) -> float:
    """Run the queue's ranking task for every category of the round, as a worker would; return the seconds."""
    from app import create_app
    from core.db import db
    from judging.models import Round
    from judging.results import store as results_store

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-"), "APP_ENV": "development"})
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        started = time.perf_counter()
        for category in round_.edition.categories:
            results_store.recompute(round_, category)
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    return elapsed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, url: str, instance: str, root: str = ROOT):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, INSTANCE_PATH=instance, SECRET_KEY="bench-secret-key-not-for-production",
               APP_ENV="production", PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--pythonpath", f"{root},{os.path.join(ROOT, 'bench')}", "--log-level", "warning", target],
                            env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def run_load_process(port, paths, email, seconds, clients) -> dict:
    out = subprocess.run([sys.executable, __file__, "--load", json.dumps(
        {"port": port, "paths": paths, "email": email, "seconds": seconds, "clients": clients})],
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--jurors", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--load")
    parser.add_argument("--compare", metavar="TREE", help="also serve the juror page from another checkout (e.g. `git "
                        "archive main | tar -x -C TREE`), on the same database, in the same run")
    args = parser.parse_args()
    if args.load:
        spec = json.loads(args.load)
        cookie = login(spec["port"], spec["email"]) if spec["email"] else ""
        print(json.dumps(load(spec["port"], spec["paths"], cookie, spec["seconds"], spec["clients"])))
        return 0

    from tests.pg_database import create_database, drop_database, url_for_database

    name = create_database("bench")
    url = url_for_database(name)
    try:
        started = time.perf_counter()
        info = build(url, args.entries, args.jurors)
        print(f"database {name}: {info['counts']} built in {time.perf_counter() - started:.1f} s", flush=True)
        instance = tempfile.mkdtemp(prefix="bench-instance-")
        r, c = info["round"], info["category"]
        juror_paths = [f"/judging/entries/{code}" for code in info["codes"]]
        cases = [
            ("bare Flask + SQLAlchemy, one query", "bench_judging:bare_app()", ["/"], ""),
            ("the app's floor: a signed-in juror, empty page", "bench_judging:floor_app()", ["/bench/floor"],
             info["juror"]),
            ("the app's floor with the layout (base.html)", "bench_judging:floor_app()", ["/bench/layout"],
             info["juror"]),
            *([("juror scoring page, --compare tree", "app:create_app()", juror_paths, info["juror"])]
              if args.compare else []),
            ("juror scoring page /judging/entries/<code>", "app:create_app()", juror_paths, info["juror"]),
            ("ranking page, computed on every view (before)", "app:create_app()",
             [f"/judging/rounds/{r}/results?category={c}"], "secretariat@example.org"),
            ("ranking page, reading the stored ranking", "app:create_app()",
             [f"/judging/rounds/{r}/results?category={c}"], "secretariat@example.org"),
        ]
        print(f"{args.clients} concurrent clients, {args.seconds:.0f} s each, gunicorn 2 workers, loopback")
        bare_rps = 0.0
        for label, target, paths, email in cases:
            if "stored" in label:
                print(f"  the queue's task storing the ranking of every category: {store_rankings(url, r):.2f} s",
                      flush=True)
            root = os.path.abspath(args.compare) if "--compare" in label else ROOT
            proc, port = serve(target, url, instance, root)
            try:
                result = run_load_process(port, paths, email, args.seconds, args.clients)
            finally:
                proc.terminate()
                proc.wait(10)
            bare_rps = bare_rps if "bare" not in label else result["rps"]
            print(f"  {label:48s} {result['rps']:8.1f} req/s ({result['rps'] / bare_rps:.2f}× bare)"
                  f"  p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms"
                  f"  ({result['requests']} requests, {result['errors']} errors {result['statuses']};"
                  f" first request alone {result['first_ms']:.0f} ms)", flush=True)
    finally:
        drop_database(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
