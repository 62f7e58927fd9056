"""Profile the secretariat's ranking page (read from the stored ranking) at competition size, in one process.

    .venv/bin/python bench/profile_ranking_page.py [--entries 10000] [--jurors 300] [--requests 200] [--keep NAME]

Builds the database of bench/bench_judging.py (or reuses ``--keep NAME``, as bench/profile_juror_page.py
does), stores every category's ranking as the queue's task would (bench_judging.store_rankings) unless it
is stored already, signs the secretariat in with the test client, warms up, then requests ``--requests``
ranking pages of the bench's category: the time and CPU of a page (this process and the database server),
each SQL statement of one page with its time, and the profile's top lines.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from profile_juror_page import _sign_in, measure, profiled, run, show, show_statements, statements_of  # noqa: E402


def _round_and_category(url: str) -> tuple[int, int, bool]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        round_id = conn.execute(text("select min(id) from rounds")).scalar()
        category_id = conn.execute(text("select max(id) from categories")).scalar()  # the bench's: cats[-1]
        stored = conn.execute(text("select count(*) from ranking_snapshots where round_id = :r"), {"r": round_id}).scalar()
    engine.dispose()
    return round_id, category_id, bool(stored)


def profile(url: str, requests: int, top: int) -> None:
    from bench_judging import PASSWORD, bare_app, store_rankings

    from app import create_app

    round_id, category_id, stored = _round_and_category(url)
    if not stored:
        print(f"the queue's task storing every category's ranking: {store_rankings(url, round_id):.1f} s", flush=True)
    os.environ["DATABASE_URL"] = url  # for the bare page
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="profile-"), "APP_ENV": "production",
                      "PUBLIC_BASE_URL": "http://localhost", "SECRET_KEY": "profile-secret-key-not-for-production"})
    logging.getLogger("app.request").disabled = True
    client = app.test_client()
    _sign_in(client, "secretariat@example.org", PASSWORD)
    path = f"/judging/rounds/{round_id}/results?category={category_id}"
    for _ in range(5):  # warm up: templates, the per-process caches, the connection pool
        assert client.get(path).status_code == 200

    page, timings = statements_of(app, client, path)
    print(f"one ranking page ({len(page.data) // 1024} KiB): {len(timings)} statements,"
          f" {1000 * sum(t for t, _ in timings):.1f} ms in the database")
    show_statements(timings)

    database = url.rsplit("/", 1)[1]
    show("one process, no profiler: ranking page", measure(client.get, [path], requests, database))
    bare = bare_app().test_client()
    bare.get("/")
    show("                          the bench's bare page", measure(bare.get, ["/"], requests, database))

    profiled("ranking pages", client, [path], requests, top)


def main() -> int:
    return run(profile, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
