"""Card previews for the secretariat's exports page, drawn once and kept as files.

A card is drawn from one gathered ``Item`` (its text, files, awards, consent and credit), a size and a
language. Its file is named after a digest of exactly those inputs (from :func:`fingerprint.item_digest`,
as the public cards' ETag), so a new award, a changed text or a withdrawn consent gives a new
name and the card is drawn again on the next request; nothing is invalidated by hand.

Consent applies at once: a file is served only under the digest computed from the database on that
request. Files are named ``<entry id>-<digest>.png``: right after a commit that changes an entry's
consent, status or credit, its cached cards are deleted (a listener on the session, below), and
:func:`prune` deletes every file that no current card has (on each exports page and card request).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from judging.exports.fingerprint import item_digest

CARD_LAYOUT = "cards/1"  # the same as judging.results.public.CARD_LAYOUT: change both when cards.py changes
FOLDER = "card-previews"
# What a card shows or whether it may exist: a change to any of these deletes the entry's cached cards.
WATCHED = ("status", "consent_publication", "consent_social", "consent_name", "whole_class", "title", "text")
INFO_KEY = "card_previews_stale"


def folder() -> Path:
    path = Path(current_app.instance_path) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def digest(item, size: str, language: str, *, of_item: str | None = None) -> str:
    """The card's name: a digest of the item's own digest (every field, consent included), size and language."""
    base = of_item or item_digest(item, CARD_LAYOUT)
    return hashlib.sha256(f"{base}/{size}/{language}".encode()).hexdigest()


def card_file(item, size: str, language: str) -> tuple[str, Path]:
    """(digest, path) of the card's PNG, drawn now only if no file has this digest yet."""
    from judging.exports.cards import card_png

    key = digest(item, size, language)
    path = folder() / f"{item.entry_id}-{key}.png"
    if not path.exists():
        data = card_png(item, size, language)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(tmp, path)  # atomic: a reader never sees half a card
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return key, path


def current_digests(items, sizes, languages) -> set[str]:
    """The names of every card the items have now (each item serialised once)."""
    out = set()
    for item in items:
        base = item_digest(item, CARD_LAYOUT)
        out.update(digest(item, size, language, of_item=base) for size in sizes for language in languages)
    return out


def prune(keep: set[str]) -> int:
    """Delete the cached cards whose digest is not in ``keep``; the number deleted."""
    removed = 0
    for path in folder().glob("*.png"):
        if path.stem.partition("-")[2] not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def discard_entries(entry_ids) -> None:
    """Delete the cached cards of these entries (their consent, status or credit changed)."""
    base = folder()
    for entry_id in entry_ids:
        for path in base.glob(f"{int(entry_id)}-*.png"):
            path.unlink(missing_ok=True)


@event.listens_for(Session, "after_flush")
def _note_changed_entries(session: Session, _context) -> None:
    from competition.models import Entry

    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Entry):
            state = inspect(obj)
            if obj in session.deleted or any(state.attrs[name].history.has_changes() for name in WATCHED):
                session.info.setdefault(INFO_KEY, set()).add(obj.id)


@event.listens_for(Session, "after_commit")
def _discard_after_commit(session: Session) -> None:
    stale = session.info.pop(INFO_KEY, None)
    if stale and has_app_context():
        discard_entries(stale)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous) -> None:
    session.info.pop(INFO_KEY, None)
