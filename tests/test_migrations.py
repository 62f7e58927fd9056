"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from core.db import db


@pytest.fixture()
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind the suite runs on."""
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        from tests.pg_database import create_database, drop_database, url_for_database

        name = create_database("mtm_mig")
        yield url_for_database(name)
        drop_database(name)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"


def _app(url, tmp_path):
    return create_app({"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "inst")})


def test_migrations_match_the_models(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_migrations_downgrade_to_empty_and_up_again(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from competition.models import School

    db.session.add(School(city_id=999_999, name="Nowhere school"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# The migration that turned comma-separated lists into JSON and gave "round.created" one name -------------
LISTS_AS_JSON = "f3c8a1d5b7e2"
BEFORE_LISTS_AS_JSON = "d4a7b2c9e1f3"


def _tables(conn, *names):
    from sqlalchemy import MetaData, Table

    meta = MetaData()
    return [Table(name, meta, autoload_with=conn) for name in names]


def _rows_before_lists_as_json(conn) -> None:
    """A little of everything the migration converts, written as the schema before it stored them."""
    from datetime import date, datetime

    users, editions, categories, rounds, profiles, tokens, ties, events = _tables(
        conn, "users", "editions", "categories", "rounds", "juror_profiles", "tokens", "tie_orders", "audit_events")
    now = datetime(2026, 5, 1, 12, 0)
    conn.execute(users.insert(), [
        {"id": i, "email": f"u{i}@example.org", "name": f"U{i}", "language": "en", "timezone": "Europe/Paris",
         "alternative_id": f"alt{i}", "is_active_account": True, "created_at": now} for i in (1, 2)])
    conn.execute(editions.insert(), [
        {"id": i, "name": f"E{i}", "theme": "", "rules": "", "theme_fr": "", "rules_fr": "", "deadline_at": now,
         "deadline_timezone": "Europe/Paris", "results_on": date(2026, 12, 6), "languages": languages,
         "is_current": current, "created_at": now, "campaign_max_quotes": 5}
        for i, languages, current in ((1, "en,fr,pt", True), (2, "en", False), (3, "", False))])
    conn.execute(categories.insert(), {"id": 1, "edition_id": 1, "age_group": "5-10", "discipline": "poem",
                                       "enabled": True, "max_entries_per_class": 3, "max_pdf_pages": 4})
    conn.execute(rounds.insert(), {"id": 1, "edition_id": 1, "number": 1, "name": "Round 1", "jurors_per_entry": 3,
                                   "status": "open", "method": "mean", "seed": 1, "show_other_scores": False,
                                   "tie_criterion_key": "relevance", "created_at": now, "order_secret": "s"})
    conn.execute(profiles.insert(), [
        {"user_id": 1, "languages": "en,de", "country_code": "", "max_entries": 40, "round1": True,
         "final_jury": False, "active": True},
        {"user_id": 2, "languages": "pt", "country_code": "PT", "max_entries": 10, "round1": True,
         "final_jury": True, "active": True}])
    conn.execute(tokens.insert(), [
        {"id": 1, "purpose": "invitation", "token_hash": "a" * 64, "user_id": None,
         "email": "new@example.org", "roles": "juror,teacher", "created_at": now, "expires_at": now},
        {"id": 2, "purpose": "reset_password", "token_hash": "b" * 64, "user_id": 1, "email": None,
         "roles": None,
         "created_at": now, "expires_at": now}])
    conn.execute(ties.insert(), {"id": 1, "round_id": 1, "category_id": 1, "entry_ids": "12,7,30",
                                 "reason": "read again", "created_at": now})
    conn.execute(events.insert(), [
        {"id": 1, "at": now, "action": "round_created", "object_type": "rounds", "object_id": 1,
         "details_json": '{"k": 3, "number": 1, "seed": 1}'},
        {"id": 2, "at": now, "action": "round.created", "object_type": "rounds", "object_id": 2,
         "details_json": '{"number": 2, "source_round": 1}'},
        {"id": 3, "at": now, "action": "entry.created", "object_type": "entries", "object_id": 9,
         "details_json": "{}"}])


def _lists(conn) -> dict:
    from sqlalchemy import select

    editions, profiles, tokens, ties, events = _tables(
        conn, "editions", "juror_profiles", "tokens", "tie_orders", "audit_events")
    return {
        "editions": dict(conn.execute(select(editions.c.id, editions.c.languages).order_by(editions.c.id)).all()),
        "profiles": dict(conn.execute(select(profiles.c.user_id, profiles.c.languages)).all()),
        "tokens": dict(conn.execute(select(tokens.c.id, tokens.c.roles)).all()),
        "ties": dict(conn.execute(select(ties.c.id, ties.c.entry_ids)).all()),
        "actions": dict(conn.execute(select(events.c.id, events.c.action)).all()),
    }


def _checks(conn) -> dict:
    found = inspect(conn)
    return {table: sorted(c["name"] for c in found.get_check_constraints(table))
            for table in ("editions", "juror_profiles", "tokens", "tie_orders", "rounds", "entries")}


def test_lists_become_json_and_back_with_their_rows(empty_database_url, tmp_path):
    """Up and down with data in place: every list keeps its items and order, NULL stays NULL, an empty list
    stays empty; the two names of "round created" become one, and the downgrade tells them apart again."""
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE_LISTS_AS_JSON)
        with db.engine.begin() as conn:
            _rows_before_lists_as_json(conn)
            checks_before = _checks(conn)
        upgrade(revision=LISTS_AS_JSON)
        with db.engine.begin() as conn:
            after = _lists(conn)
            assert _checks(conn) == checks_before  # batch mode kept every CHECK of the tables it rebuilt
        assert after == {
            "editions": {1: ["en", "fr", "pt"], 2: ["en"], 3: []},
            "profiles": {1: ["en", "de"], 2: ["pt"]},
            "tokens": {1: ["juror", "teacher"], 2: None},
            "ties": {1: [12, 7, 30]},
            "actions": {1: "round.created", 2: "round.created", 3: "entry.created"},
        }
        downgrade(revision=BEFORE_LISTS_AS_JSON)
        with db.engine.begin() as conn:
            assert _lists(conn) == {
                "editions": {1: "en,fr,pt", 2: "en", 3: ""},
                "profiles": {1: "en,de", 2: "pt"},
                "tokens": {1: "juror,teacher", 2: None},
                "ties": {1: "12,7,30"},
                "actions": {1: "round_created", 2: "round.created", 3: "entry.created"},
            }
            assert _checks(conn) == checks_before
        db.engine.dispose()


def test_after_the_migration_the_models_read_and_write_the_lists(empty_database_url, tmp_path):
    """The ORM reads the converted rows, and the database still holds one current edition at most (the
    partial unique index survived the rebuild of editions) and refuses a status outside its enum."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from accounts.models import Role, Token
    from competition.models import Edition
    from judging.models import JurorProfile, TieOrder

    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE_LISTS_AS_JSON)
        with db.engine.begin() as conn:
            _rows_before_lists_as_json(conn)
        upgrade()
        assert db.session.get(Edition, 1).language_list == ["en", "fr", "pt"]
        assert db.session.get(JurorProfile, 1).language_list == ["en", "de"]
        assert db.session.get(Token, 1).role_list == [Role.JUROR, Role.TEACHER]
        assert db.session.get(TieOrder, 1).order == [12, 7, 30]
        db.session.get(Edition, 2).languages = ["fr"]
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Edition, 2).languages == ["fr"]
        with pytest.raises(IntegrityError):  # a second current edition
            with db.engine.begin() as conn:
                conn.execute(text("update editions set is_current = true where id = 2"))
        with pytest.raises(IntegrityError):  # the generated CHECK on rounds.status
            with db.engine.begin() as conn:
                conn.execute(text("update rounds set status = 'paused' where id = 1"))
        db.session.remove()
        db.engine.dispose()
