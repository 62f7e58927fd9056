"""A small deadline rush on real servers: 6 teachers, 1 MiB illustrations, a 5-second window, gunicorn 2 workers.

The same code as ``bench/bench_deadline_rush.py`` (tests/reliability/rush.py): every teacher logs in, creates an
illustration entry, uploads a different photo-like JPEG, gives consent, submits and reads the receipt, from
another process. Checked from the database and the disk, not from the responses: no error, exactly one submitted
entry per teacher, and each stored original hashes to the SHA-256 of the bytes sent.
"""
from __future__ import annotations

from tests.reliability.rush import RushConfig, run_rush
from tests.reliability.servers import require_postgres


def test_six_teachers_rush_the_deadline_and_every_upload_arrives_intact():
    require_postgres()
    result = run_rush(RushConfig(teachers=6, mb=1, window=5, workers=2, threads=4, timeout=120, baseline=False),
                      log=lambda *_: None)
    app, verified, server = result["app"], result["verify"], result["server"]

    assert app["errors"] == 0, app["error_messages"]
    assert app["bad_requests"] == []
    assert app["last_start_s"] <= 5 + 1  # every teacher started inside the window
    assert verified["problems"] == []
    assert (verified["entries"], verified["submitted"], verified["verified_files"]) == (6, 6, 6)
    assert verified["receipts"] == 6
    assert server["server_errors"] == 0 and server["tracebacks"] == 0, server
    # Every journey made the same 12 requests, all answered as a browser expects (200 or a redirect).
    assert all(len(r["steps"]) == 12 for r in result["records"])
    assert 0.9 <= result["image_mib"] <= 1.1
