"""The migration that moved the final round's workload from the audit trail into ``final_round_workloads``:
the upgrade fills the table as ``second_wave.budget`` read the events, the downgrade drops it and keeps them."""
from __future__ import annotations

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from core.db import db
from tests.test_migrations import _app, _tables, empty_database_url  # noqa: F401  (the fixture)

WORKLOADS = "b7e2f4a9c1d8"
BEFORE = "a3f9c1d7b2e4"


def _event(n, action, round_id, **details):
    import json

    return {"id": n, "at": datetime(2026, 11, 1, 12, n), "action": action, "object_type": "rounds",
            "object_id": round_id, "details_json": json.dumps(details)}


def _rows_before(conn) -> None:
    editions, categories, rounds, events = _tables(conn, "editions", "categories", "rounds", "audit_events")
    now = datetime(2026, 5, 1, 12, 0)
    conn.execute(editions.insert(), {
        "id": 1, "name": "E1", "theme": "", "rules": "", "theme_fr": "", "rules_fr": "", "deadline_at": now,
        "deadline_timezone": "Europe/Paris", "results_on": date(2026, 12, 6), "languages": ["en"],
        "is_current": True, "created_at": now, "campaign_max_quotes": 5})
    conn.execute(categories.insert(), [
        {"id": c, "edition_id": 1, "age_group": "5-10", "discipline": d, "enabled": True,
         "max_entries_per_class": 3, "max_pdf_pages": 4} for c, d in ((1, "poem"), (2, "essay"), (3, "illustration"))])
    conn.execute(rounds.insert(), [
        {"id": r, "edition_id": 1, "number": r, "name": f"Round {r}", "jurors_per_entry": 3, "status": "open",
         "method": "bias_adjusted", "seed": 1, "show_other_scores": False, "tie_criterion_key": "relevance",
         "created_at": now, "order_secret": "s", "revision": f"rev{r}"} for r in (1, 2)])
    first, second = "round.final_proposal_used", "round.second_wave_added"
    conn.execute(events.insert(), [
        _event(1, first, 2, category=1, workload=30, score_sets=19),   # category 1: a first wave,
        _event(2, second, 2, category=1, workload=30, score_sets=6),   # a second wave,
        _event(3, first, 2, category=2, workload=12, score_sets=8),    # category 2: a first wave made twice,
        _event(4, second, 2, category=2, workload=12, score_sets=2),
        _event(5, first, 2, category=2, workload=40, score_sets=25),   # ... the last one counts
        _event(6, second, 2, category=1, workload=30, score_sets=4),   # category 1's second second wave
        _event(7, second, 2, category=3, workload=9, score_sets=3),    # no first wave: no workload
        _event(8, first, 2, category=99, workload=9, score_sets=3),    # a category no longer there
        _event(9, "round.created", 2, number=2, source_round=1),
    ])


def _stored(conn) -> dict:
    (table,) = _tables(conn, "final_round_workloads")
    return {(r, c): (w, s) for r, c, w, s in conn.execute(select(
        table.c.round_id, table.c.category_id, table.c.workload, table.c.spent))}


def test_the_workloads_come_from_the_audit_trail_and_go_back(empty_database_url, tmp_path):  # noqa: F811
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _rows_before(conn)
        upgrade(revision=WORKLOADS)
        with db.engine.begin() as conn:
            assert _stored(conn) == {(2, 1): (30, 29), (2, 2): (40, 25)}
        downgrade(revision=BEFORE)
        assert "final_round_workloads" not in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            (events,) = _tables(conn, "audit_events")
            assert len(conn.execute(select(events.c.id)).all()) == 9  # the events stay
        upgrade()
        with db.engine.begin() as conn:
            assert _stored(conn) == {(2, 1): (30, 29), (2, 2): (40, 25)}
        db.engine.dispose()


def test_the_second_wave_reads_the_migrated_workload(empty_database_url, tmp_path):  # noqa: F811
    from competition.models import Category
    from judging.models import Round
    from judging.rounds import second_wave

    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _rows_before(conn)
        upgrade()
        final = db.session.get(Round, 2)
        budgets = {c: second_wave.budget(final, db.session.get(Category, c)) for c in (1, 2, 3)}
        assert [(b.workload, b.spent, b.remaining) for b in budgets.values()] == [(30, 29, 1), (40, 25, 15),
                                                                                   (0, 0, 0)]
        db.session.remove()
        db.engine.dispose()
