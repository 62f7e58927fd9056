"""What consent-at-once costs the public pages: digests of the inputs, against gathering the results every time.

    .venv/bin/python bench/bench_public.py [--entries 10000] [--selected 200] [--database-url URL] [--repeat 20] [--s3]

Builds bench_exports' database (``selected`` awarded entries among ``entries`` ranked ones) and times,
per request, in the same run:

* baselines: gathering the published results (``collect(ranked=False)``) and the ranked results the
  feed needs (``collect(ranked=True)``) on every request, with no cache at all;
* the digests that key the caches (``published_digest``, ``ranking_digest``), and the published one with
  every file asked of the storage, as a process's first request does (with ``--s3``, a HEAD request each);
* the public results and the feed's ranked results when the caches are warm (what a visitor gets);
* after a consent is withdrawn: the first request (digest, then gathering again) and the next one;
* a card drawn, against the same card from the cache.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def per_call(fn, repeat: int) -> float:
    """Median seconds per call over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from bench_exports import large_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--selected", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--s3", action="store_true", help="keep the files in a bucket of a SeaweedFS started on loopback "
                        "(tests/s3_server.py), as production keeps them in S3")
    args = parser.parse_args()

    weed, settings = None, {}
    if args.s3:
        from tests.s3_server import start_weed

        weed = start_weed(Path(tempfile.mkdtemp(prefix="bench-public-s3-")))
        settings = weed.settings(weed.new_bucket("bench"))
    try:
        run(args, large_app(args.database_url, args.entries, args.selected, settings))
    finally:
        if weed is not None:
            weed.stop()


def forget_stored_files() -> None:
    """As a process that has not asked yet, or a minute later: core.files.stored asks the storage again."""
    from core import files

    with files._seen_lock:
        files._seen_stored.clear()


def run(args, app) -> None:
    from competition.models import Edition, Entry
    from core.db import db
    from judging.exports.cards import card_png
    from judging.exports.dataset import collect
    from judging.exports.fingerprint import published_digest, ranking_digest
    from judging.results import public as public_results

    rows = []
    base = "https://example.org"
    with app.app_context(), app.test_request_context():
        edition = Edition.current()
        repeat = args.repeat
        rows.append(("baseline: gather the published results, no cache", per_call(
            lambda: collect(edition, base, ranked=False), repeat)))
        rows.append(("baseline: gather the ranked results (feed), no cache", per_call(
            lambda: collect(edition, base, ranked=True), max(2, repeat // 10))))
        rows.append(("published_digest, every file asked of the storage (as before)", per_call(
            lambda: (forget_stored_files(), published_digest(edition)), repeat)))
        rows.append(("published_digest", per_call(lambda: published_digest(edition), repeat)))
        rows.append(("ranking_digest", per_call(lambda: ranking_digest(edition), repeat)))
        public_results.published(edition, base, ranked=True)  # warm
        rows.append(("public results, warm cache (gallery, page, image, card lookup)", per_call(
            lambda: public_results.published(edition, base), repeat)))
        rows.append(("feed's ranked results, warm cache", per_call(
            lambda: public_results.published(edition, base, ranked=True), repeat)))
        item = public_results.published(edition, base).for_social[0]
        entry = db.session.get(Entry, item.entry_id)
        entry.consent_name = not entry.consent_name
        db.session.commit()
        start = time.perf_counter()
        public_results.published(edition, base, ranked=True)
        rows.append(("feed, first request after a consent change (gathers again)", time.perf_counter() - start))
        rows.append(("feed, next request", per_call(lambda: public_results.published(edition, base, ranked=True),
                                                    repeat)))
        item = public_results.published(edition, base).for_social[0]
        rows.append(("baseline: draw one card", per_call(lambda: card_png(item, "landscape", "en"), 3)))
        public_results.card(item, "landscape", "en")
        rows.append(("one card from the cache (its digest computed)", per_call(
            lambda: public_results.card(item, "landscape", "en"), repeat)))

    print(f"{args.selected} awarded entries among {args.entries} ranked ones; median of {args.repeat} calls")
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
