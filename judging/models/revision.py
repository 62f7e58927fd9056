"""Revision tokens: a new random value at every change of a row, the key of the per-process caches.

Each juror page reads the token of its round and rubric with its first query, and takes the round's and
the rubric's contents from the process's cache under that key (judging/scoring/cache.py). A token is
random rather than a counter, so a database restored from a backup or rebuilt by the demo can never
bring back a key some process already holds for other contents.
"""
from __future__ import annotations

import secrets


def new_revision() -> str:
    return secrets.token_hex(8)
