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
