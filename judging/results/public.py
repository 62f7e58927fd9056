"""What the public results pages read: the published results, with caches keyed by digests of their inputs.

Consent takes effect at once. Nothing public is cached under a time limit or a key that a change can
leave unchanged, and nothing is ever invalidated by hand:

* the gathered results are cached under ``fingerprint.published_digest`` (consent, status, awards,
  texts, credits, file keys), computed from the database on every request;
* the feed's ranks under ``fingerprint.ranking_digest``;
* a card's PNG under a digest of the very ``Item`` it is drawn from (its consent and credit included),
  its size and language; the digest is also the card's ETag.

So a withdrawn consent, a withdrawn or disqualified entry, or a new award shows on the next request,
and every app process agrees, because each reads the digest from the same database. The caches are
per app (so per process), bounded, and only save work.
"""
from __future__ import annotations

import threading

from cachetools import LRUCache
from flask import current_app

from competition.models import Edition
from judging.exports.dataset import collect, ranks, with_ranks
from judging.exports.fingerprint import item_digest, published_digest, ranking_digest
from judging.exports.model import Results

PUBLIC_MAX_AGE = 60  # seconds a browser or a proxy may keep a public image or the feed before asking again
CARD_LAYOUT = "cards/1"  # part of every card's digest: change it when cards.py draws differently
CARD_CACHE_BYTES = 48 * 1024 * 1024


class _Caches:
    """One app's caches (one per process in production; tests build several apps in one process)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.results = LRUCache(maxsize=8)  # (base url, published digest) -> Results
        self.ranks = LRUCache(maxsize=4)  # (edition id, ranking digest) -> {entry id: rank}
        self.cards = LRUCache(maxsize=CARD_CACHE_BYTES, getsizeof=len)  # card digest -> PNG bytes


def _caches() -> _Caches:
    caches = current_app.extensions.get("public_results")
    return caches if caches is not None else current_app.extensions.setdefault("public_results", _Caches())


def _cached(cache: LRUCache, scope, digest_of, build):
    """The value cached under (``scope``, ``digest_of()``), else ``build()``. A value is kept only if the digest
    did not move while it was built: a change committed in between would otherwise be stored under the older
    digest, and served if the data ever came back to that state (an award given, then removed)."""
    digest, lock = digest_of(), _caches().lock
    with lock:
        hit = cache.get((scope, digest))
    if hit is not None:
        return hit
    value = build()
    if digest_of() == digest:
        with lock:
            cache[(scope, digest)] = value
    return value


def published(edition: Edition, base_url: str, *, ranked: bool = False) -> Results:
    """The results as the public sees them now; ``ranked`` adds each entry's rank (the feed shows it)."""
    results = _cached(_caches().results, base_url, lambda: published_digest(edition),
                      lambda: collect(edition, base_url, ranked=False))
    if not ranked:
        return results
    places = _cached(_caches().ranks, edition.id, lambda: ranking_digest(edition), lambda: ranks(edition))
    return with_ranks(results, places)


def card(item, size: str, language: str) -> tuple[str, bytes]:
    """(ETag, PNG) of one card of ``item``."""
    from judging.exports.cards import card_png

    caches = _caches()
    etag = item_digest(item, CARD_LAYOUT, size, language)
    with caches.lock:
        data = caches.cards.get(etag)
    if data is None:
        data = card_png(item, size, language)
        with caches.lock:
            caches.cards[etag] = data
    return etag, data
