"""Run a command against a fresh, throw-away PostgreSQL database.

    python tests/pg_database.py run -- pytest ...

Creates ``mtm_<random>`` on PG_ADMIN_URL (default: root on 127.0.0.1:5432),
exports TEST_DATABASE_URL for the command, and drops the database afterwards.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://root@127.0.0.1:5432/postgres")


def _admin():
    return psycopg.connect(ADMIN_URL, autocommit=True)


def create_database(prefix: str = "mtm") -> str:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_for_database(name: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print(__doc__)
        return 2
    name = create_database()
    env = dict(os.environ, TEST_DATABASE_URL=url_for_database(name), PG_ADMIN_URL=ADMIN_URL)
    print(f"PostgreSQL test database: {name}", flush=True)
    try:
        return subprocess.call(argv[2:], env=env)
    finally:
        drop_database(name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
