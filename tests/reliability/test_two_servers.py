"""Two app servers behind one address: what they must share, checked on real gunicorn processes.

Servers A and B run on different ports with one fresh PostgreSQL database, one SECRET_KEY, and Redis for the
rate limiter. The module runs twice: with local storage, both share one instance folder (one upload folder, one
outbox), as two servers on one machine would; with S3 (SeaweedFS on loopback, ``STORAGE_URL=s3://bucket``), each
has an instance folder of its own, as on two machines, and the files are only in the bucket. Checked:

* a session started on A is a session on B (no sticky sessions needed), and logging out on B ends it on A;
* a file uploaded through A is served through B, byte for byte, and B's receipt carries its SHA-256;
* failed logins for one account from one address count across both servers: 10 alternating failures, then the
  11th attempt, on either server, gets the 429 page; with ``memory://`` (the control) each server counts on its own;
* those failures do not lock the owner out from another address (the servers run behind ``TRUST_PROXY``, so the
  client's address is the ``X-Forwarded-For`` the test sends, as nginx would);
* gunicorn's ``Server`` header names no version, and a forged ``Host`` or ``X-Forwarded-Host`` gets 400.

Redis: a database number 1-15 that is empty when the tests start is used (other helpers may use Redis too; the
app has no setting for the limiter's key prefix), accounts have random e-mail addresses, and only this test's keys
are deleted at the end. Skipped when Redis is unreachable, unless REQUIRE_REDIS=1.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import secrets
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.reliability.rush import PASSWORD, photo_jpeg, setup_database
from tests.reliability.rush_checks import storage_path
from tests.reliability.servers import psycopg_url
from tests.reliability.servers import (
    Client, Gunicorn, QueueWorker, fresh_postgres, random_secret, require_postgres, wait_for_queue)

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
ADDRESS_A, ADDRESS_B = "203.0.113.10", "198.51.100.20"  # documentation addresses, as the proxy would report them


def _redis_database():
    """(number, client) of an empty Redis database, or skip (fail with REQUIRE_REDIS=1)."""
    import redis

    problem = None
    try:
        redis.Redis(REDIS_HOST, REDIS_PORT, socket_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 - refused, timeout, auth: not available
        problem = f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}: {exc!r}"
    else:
        for number in random.sample(range(1, 16), 15):
            client = redis.Redis(REDIS_HOST, REDIS_PORT, db=number, socket_timeout=3, decode_responses=True)
            if client.dbsize() == 0:
                return number, client
        problem = "no empty Redis database among 1-15"
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"{problem} (REQUIRE_REDIS=1)")
    pytest.skip(problem)


@pytest.fixture(scope="module", params=["local", "s3"])
def pair(request):
    require_postgres()
    s3 = {}
    if request.param == "s3":
        weed = request.getfixturevalue("weed")
        s3 = {"weed": weed, "bucket": weed.new_bucket("two")}
    number, redis_db = _redis_database()
    prefix = f"two{secrets.token_hex(3)}t"
    secret = random_secret()
    with fresh_postgres("mtm_two") as url, tempfile.TemporaryDirectory(prefix="two-servers-") as shared:
        instance = Path(shared) / "instance"  # local storage: one INSTANCE_PATH, one upload folder, one outbox
        instance_b = Path(shared) / "instance-b" if s3 else instance  # S3: nothing shared on disk
        teachers = setup_database(url, instance, 4, secret, prefix=prefix)
        env = {"SECRET_KEY": secret, "RATELIMIT_STORAGE_URI": f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}",
               "TRUST_PROXY": "1", "PUBLIC_BASE_URL": "http://127.0.0.1",
               **(s3["weed"].settings(s3["bucket"]) if s3 else {})}
        a = Gunicorn(url, instance, workers=2, threads=2, **env)
        b = Gunicorn(url, instance_b, workers=2, threads=2, **env)
        worker = QueueWorker(url, instance, **env)  # thumbnails and mail (one queue in the instance folder of a)
        try:
            a.start()
            b.start()
            worker.__enter__()
            yield {"a": a, "b": b, "url": url, "instance": instance, "teachers": teachers, "redis": redis_db,
                   "secret": secret, "s3": s3}
        finally:
            a.stop()
            b.stop()
            worker.__exit__()
            # This test's keys: its accounts' counters and its addresses' login counters (60 s TTL anyway).
            for pattern in (f"*{prefix}*", *(f"LIMITS:LIMITER/{address}/accounts.login/*"
                                             for address in ("127.0.0.1", ADDRESS_A, ADDRESS_B))):
                for key in redis_db.scan_iter(pattern):
                    redis_db.delete(key)


def test_a_session_started_on_one_server_works_on_the_other(pair):
    a, b, teacher = pair["a"], pair["b"], pair["teachers"][0]
    client = Client(a.base)
    assert client.login(teacher["email"], PASSWORD) == 302

    status, _headers, page = client.get("/competition/classes/", base=b.base)
    assert status == 200
    assert f"/competition/classes/{teacher['class_id']}".encode() in page  # this teacher's own dashboard, on B
    stranger = Client(b.base)
    status, headers, _ = stranger.get("/competition/classes/")
    assert status == 302 and "/account/login" in headers["location"]

    before_logout = dict(client.cookies)
    status, _headers, _ = client.post("/account/logout", {}, base=b.base)  # the CSRF token came from B's page
    assert status == 302
    replay = Client(a.base)
    replay.cookies = before_logout
    status, headers, _ = replay.get("/competition/classes/")
    assert status == 302 and "/account/login" in headers["location"], "logging out on B must end the session on A"


def test_a_file_uploaded_through_one_server_is_served_by_the_other(pair):
    import psycopg

    a, b, teacher = pair["a"], pair["b"], pair["teachers"][1]
    data = photo_jpeg(7, 640, 480)
    sha = hashlib.sha256(data).hexdigest()
    client = Client(a.base)
    assert client.login(teacher["email"], PASSWORD) == 302
    client.get(f"/competition/classes/{teacher['class_id']}/entries/new")
    status, headers, _ = client.post(f"/competition/classes/{teacher['class_id']}/entries/new",
                                     {"discipline": "illustration", "title": "Many faces", "language": "en", "whole_class": "y"})
    assert status == 302, status
    entry_id = int(re.search(r"/entries/(\d+)/work", headers["location"]).group(1))
    client.get(f"/competition/entries/{entry_id}/work")
    status, _, _ = client.post(f"/competition/entries/{entry_id}/work/upload", files={"file": ("drawing.jpg", data, "image/jpeg")})
    assert status == 302
    wait_for_queue(pair["url"], time.perf_counter(), timeout=60)  # the thumbnail is made by the queue worker

    status, _, page = client.get(f"/competition/entries/{entry_id}", base=b.base)
    assert status == 200
    file_id = int(re.search(rb"/competition/entries/%d/files/(\d+)/thumb" % entry_id, page).group(1))
    with psycopg.connect(psycopg_url(pair["url"])) as conn:
        original_key, cleaned_key = conn.execute(
            "select original_key, cleaned_key from entry_files where id = %s", (file_id,)).fetchone()
    assert original_key == sha
    uploads = pair["instance"] / "uploads"
    stored = _stored_bytes(pair, uploads)
    assert hashlib.sha256(stored(original_key)).hexdigest() == sha
    for variant in ("cleaned", "thumb"):
        on_b = client.get(f"/competition/entries/{entry_id}/files/{file_id}/{variant}", base=b.base)
        on_a = client.get(f"/competition/entries/{entry_id}/files/{file_id}/{variant}", base=a.base)
        assert on_b[0] == on_a[0] == 200
        assert on_b[2] == on_a[2] and on_b[2][:3] == b"\xff\xd8\xff"
    cleaned = client.get(f"/competition/entries/{entry_id}/files/{file_id}/cleaned", base=b.base)[2]
    assert cleaned == stored(cleaned_key)
    if pair["s3"]:  # the bucket holds the files, privately; no server kept a copy on its disk
        assert not list(uploads.rglob(original_key)) and not list(uploads.rglob(cleaned_key))
        weed, bucket = pair["s3"]["weed"], pair["s3"]["bucket"]
        assert {o["Key"] for o in weed.client().list_objects_v2(Bucket=bucket)["Contents"]} >= {
            f"files/{k[:2]}/{k[2:4]}/{k}" for k in (original_key, cleaned_key)}
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{weed.endpoint}/{bucket}/files/{sha[:2]}/{sha[2:4]}/{sha}", timeout=10)
        assert refused.value.code == 403

    # Consent on B, submit on A, receipt on B: one entry, whichever server each request reached.
    client.get(f"/competition/entries/{entry_id}/consent", base=b.base)
    assert client.post(f"/competition/entries/{entry_id}/consent", {"consent_judging": "y"}, base=b.base)[0] == 302
    client.get(f"/competition/entries/{entry_id}", base=a.base)
    status, headers, _ = client.post(f"/competition/entries/{entry_id}/submit", {}, base=a.base)
    assert status == 302 and headers["location"].endswith(f"/competition/entries/{entry_id}/receipt")
    status, _, receipt = client.get(f"/competition/entries/{entry_id}/receipt", base=b.base)
    assert status == 200 and sha.encode() in receipt


def _stored_bytes(pair, uploads: Path):
    """Read a stored file by its key: from the upload folder, or from the bucket."""
    if not pair["s3"]:
        return lambda key: storage_path(uploads, key).read_bytes()
    weed, bucket = pair["s3"]["weed"], pair["s3"]["bucket"]
    return lambda key: weed.client().get_object(Bucket=bucket, Key=f"files/{key[:2]}/{key[2:4]}/{key}")["Body"].read()


def _attempt(base: str, email: str, password: str, address: str | None = None) -> tuple[int, bytes]:
    client = Client(base)
    if address:
        client.headers["X-Forwarded-For"] = address
    client.get("/account/login")
    status, _headers, body = client.post("/account/login", {"email": email, "password": password})
    return status, body


def test_failed_logins_for_one_account_count_across_both_servers(pair):
    a, b, teacher = pair["a"], pair["b"], pair["teachers"][2]
    email = teacher["email"]
    for attempt in range(10):  # A, B, A, B...: 5 failures on each, 10 on the account
        status, body = _attempt((a, b)[attempt % 2].base, email, f"wrong password {attempt}")
        assert status == 200 and b"not right" in body, (attempt, status)
    status, body = _attempt(a.base, email, "wrong password 10")
    assert status == 429 and b"Too many attempts" in body
    status, body = _attempt(b.base, email, "wrong password 11")
    assert status == 429 and b"Too many attempts" in body
    # For the rest of the minute the account is refused on both servers, even with the right password.
    assert _attempt(b.base, email, PASSWORD)[0] == 429
    # Another account is not affected.
    assert _attempt(a.base, pair["teachers"][0]["email"], PASSWORD)[0] == 302


def test_control_with_memory_storage_each_server_counts_on_its_own(pair):
    """Without a shared store the limit is per process: A and B (one worker each) allow 10 failures each."""
    url, instance, secret = pair["url"], pair["instance"], pair["secret"]
    email = f"control-{secrets.token_hex(3)}@example.org"  # counting works the same for an unknown address
    a = Gunicorn(url, instance, workers=1, threads=2, SECRET_KEY=secret, RATELIMIT_STORAGE_URI="memory://")
    b = Gunicorn(url, instance, workers=1, threads=2, SECRET_KEY=secret, RATELIMIT_STORAGE_URI="memory://")
    with a, b:
        statuses = [_attempt((a, b)[i % 2].base, email, f"wrong {i}")[0] for i in range(11)]
        assert statuses == [200] * 11, "11 alternating failures: A has counted 6, B 5, neither refuses"
        statuses = [_attempt(a.base, email, f"wrong on A {i}")[0] for i in range(5)]
        assert statuses == [200, 200, 200, 200, 429], "A refuses only its own 11th attempt"
        assert _attempt(b.base, email, "wrong on B")[0] == 200  # B has counted 5 and still lets it through


def test_failed_logins_from_one_address_do_not_lock_the_owner_out_from_another(pair):
    a, b, teacher = pair["a"], pair["b"], pair["teachers"][3]
    email = teacher["email"]
    for attempt in range(10):  # from address A, on both servers
        status, _body = _attempt((a, b)[attempt % 2].base, email, f"wrong password {attempt}", ADDRESS_A)
        assert status == 200, (attempt, status)
    assert _attempt(b.base, email, "wrong password 10", ADDRESS_A)[0] == 429
    assert _attempt(a.base, email, PASSWORD, ADDRESS_A)[0] == 429  # from A, even the right password waits
    # The owner, from another address, on either server.
    assert _attempt(a.base, email, PASSWORD, ADDRESS_B)[0] == 302
    assert _attempt(b.base, email, PASSWORD, ADDRESS_B)[0] == 302


def test_gunicorn_names_no_version_and_refuses_forged_hosts(pair):
    for server in (pair["a"], pair["b"]):
        status, headers, _body = Client(server.base).get("/")
        assert status == 200
        assert headers["server"] == "gunicorn", headers["server"]
        for forged in ({"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}):
            client = Client(server.base)
            client.headers.update(forged)
            status, _headers, body = client.get("/account/forgot")
            assert status == 400 and b"This site answers only at http://127.0.0.1." in body, (forged, status)
            assert b"evil.example" not in body
