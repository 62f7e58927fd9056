"""Profile the juror's scoring page at competition size, in one process, and time each SQL statement.

    .venv/bin/python bench/profile_juror_page.py [--entries 10000] [--jurors 300] [--requests 200] [--keep NAME]

Builds the database of bench/bench_judging.py (or reuses ``--keep NAME``, a database an earlier run
kept), signs a juror in with the test client, warms up, then requests ``--requests`` scoring pages under
cProfile. Prints the profile's top lines (cumulative time), the mean time of a page, and each SQL
statement of one page with its time. With ``--keep`` the database stays for the next run; without it, it
is dropped at the end.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _sign_in(client, email: str, password: str) -> None:
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/account/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.status_code


def _juror_and_codes(url: str) -> tuple[str, list[str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        juror_id = conn.execute(text("select juror_id from assignments group by juror_id order by count(*) desc, juror_id limit 1")).scalar()
        email = conn.execute(text("select email from users where id = :id"), {"id": juror_id}).scalar()
        codes = list(conn.execute(text("select code from assignments where juror_id = :id order by id limit 50"),
                                  {"id": juror_id}).scalars())
    engine.dispose()
    return email, codes


def _backend_ticks(database: str) -> int:
    """The CPU ticks (user + system) of the PostgreSQL processes serving ``database``: the server's share of a page."""
    from tests.pg_database import _admin

    with _admin() as conn:
        pids = [row[0] for row in conn.execute("select pid from pg_stat_activity where datname = %s", (database,))]
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):  # another machine's server, or a process gone meanwhile
            pass
    return ticks


def measure(get, paths: list[str], requests: int, database: str) -> dict:
    """Per request: wall time, this process's CPU time and the database server's CPU time (ms), no profiler."""
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    server, cpu, started = _backend_ticks(database), time.process_time(), time.perf_counter()
    for k in range(requests):
        assert get(paths[k % len(paths)]).status_code == 200
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    server = _backend_ticks(database) - server
    return {"wall": 1000 * wall / requests, "cpu": 1000 * cpu / requests, "server": server * tick / requests}


def show(label: str, m: dict) -> None:
    print(f"{label}: {m['wall']:.1f} ms a request, {m['cpu']:.1f} ms CPU in this process,"
          f" {m['server']:.1f} ms CPU in the database server")


def profile(url: str, requests: int, top: int) -> None:
    import logging

    from bench_judging import PASSWORD, bare_app

    from app import create_app

    email, codes = _juror_and_codes(url)
    os.environ["DATABASE_URL"] = url  # for the bare page
    # As bench_judging.py serves it: production settings.
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="profile-"), "APP_ENV": "production",
                      "PUBLIC_BASE_URL": "http://localhost", "SECRET_KEY": "profile-secret-key-not-for-production"})
    logging.getLogger("app.request").disabled = True  # one JSON line a request: not what is measured
    client = app.test_client()
    _sign_in(client, email, PASSWORD)
    for code in codes[:10]:  # warm up: templates, caches, the connection pool
        assert client.get(f"/judging/entries/{code}").status_code == 200

    _page, timings = statements_of(app, client, f"/judging/entries/{codes[10]}")
    print(f"one scoring page: {len(timings)} statements, {1000 * sum(t for t, _ in timings):.1f} ms in the database")
    show_statements(timings)

    database = url.rsplit("/", 1)[1]
    show("one process, no profiler: scoring page", measure(client.get, [f"/judging/entries/{c}" for c in codes],
                                                           requests, database))
    bare = bare_app().test_client()
    bare.get("/")
    show("                          the bench's bare page", measure(bare.get, ["/"], requests, database))

    profiled("scoring pages", client, [f"/judging/entries/{code}" for code in codes], requests, top)


def statements_of(app, client, path: str):
    """(response, [(seconds, SQL)]): one GET of ``path``, with the time of each statement it ran."""
    from sqlalchemy import event

    from core.db import db

    timings: list[tuple[float, str]] = []
    started_at: dict = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        started_at[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        timings.append((time.perf_counter() - started_at.pop(id(cursor), time.perf_counter()), statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    assert response.status_code == 200, path
    return response, timings


def show_statements(timings) -> None:
    for seconds, statement in timings:
        print(f"  {1000 * seconds:7.2f} ms  {' '.join(statement.split())[:150]}")


def profiled(label: str, client, paths: list[str], requests: int, top: int) -> None:
    """``requests`` GETs of ``paths`` in turn under cProfile: the time a page, and the profile's top lines."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for k in range(requests):
        assert client.get(paths[k % len(paths)]).status_code == 200
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{requests} {label} in one process: {1000 * elapsed / requests:.1f} ms a page (under cProfile)")
    if os.environ.get("PROFILE_OUT"):
        profiler.dump_stats(os.environ["PROFILE_OUT"])  # for pstats' callers and callees
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def open_database(keep: str | None, entries: int, jurors: int) -> tuple[str, str, bool]:
    """(name, url, built): the database ``keep`` (built first if it does not exist), else a new one, built."""
    from bench_judging import build

    from tests.pg_database import _admin, create_database, url_for_database

    name = keep
    fresh = True
    if name:
        with _admin() as conn:
            fresh = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone() is None
            if fresh:
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        name = create_database("profile")
    url = url_for_database(name)
    if fresh:
        print(f"database {name}: {build(url, entries, jurors)['counts']}", flush=True)
    return name, url, fresh


def arguments(description: str):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--jurors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--keep", help="the name of a database to reuse (built first if it does not exist) and keep")
    return parser.parse_args()


def run(profile, doc: str) -> int:
    """The command line of a page profiler: ``profile(url, requests, top)`` on the bench's database."""
    from tests.pg_database import drop_database

    args = arguments(doc)
    name, url, _built = open_database(args.keep, args.entries, args.jurors)
    try:
        profile(url, args.requests, args.top)
    finally:
        if not args.keep:
            drop_database(name)
    return 0


def main() -> int:
    return run(profile, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
