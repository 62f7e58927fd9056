"""On PostgreSQL, a scoring page's previous and next are index steps in the plan the server really runs.

test_neighbours.py proves the links are right; this proves they are cheap. The page's statement is explained
(EXPLAIN ANALYZE, as the page runs it) for an entry in the middle of a juror's list of about 100, under a custom
plan and under the generic plan a prepared statement settles on: every neighbour's step reads one
assignment and sorts nothing. Before the step's filter was a semi-join, the planner believed 1 row in 200
of the list was listed, and read half the list and sorted it for each neighbour.
"""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from core.db import db, utcnow


def _executed_subplans(node: dict, inside: bool = False):
    """(subplan node, its executed descendants) for every SubPlan the statement ran."""
    inside = inside or bool(node.get("Subplan Name"))
    if node.get("Actual Loops", 0) == 0:
        return
    if inside:
        yield node
    for child in node.get("Plans", []):
        yield from _executed_subplans(child, inside)


@pytest.mark.parametrize("mode", ["force_custom_plan", "force_generic_plan"])
def test_each_neighbour_is_one_index_step(app, make_entries, make_juror, round1, mode):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan of PostgreSQL's planner")
    from judging.models import Assignment
    from judging.models.round import order_key
    from judging.scoring import boundary

    jurors = [make_juror(email=f"juror{n}@example.org", cap=400) for n in range(9)]
    entries = make_entries(300)
    rows = [{"round_id": round1.id, "entry_id": e.id, "juror_id": jurors[(i + t * 4) % 9].id, "code": f"C{i:04d}{t}"}
            for i, e in enumerate(entries) for t in range(3)]
    db.session.execute(insert(Assignment), rows)
    for assignment in db.session.scalars(select(Assignment)):
        assignment.position = order_key(round1.order_secret, assignment.id)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    mine = db.session.scalars(select(Assignment.code).where(Assignment.juror_id == jurors[0].id)
                              .order_by(Assignment.position, Assignment.code)).all()
    assert len(mine) > 90

    compiled = boundary._ENTRY.compile(dialect=db.engine.dialect)
    params = {**compiled.params, "code": mine[50], "juror": jurors[0].id, "now": utcnow()}
    connection = db.session.connection()
    connection.exec_driver_sql(f"SET LOCAL plan_cache_mode = {mode}")
    plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + str(compiled), params).scalar()[0]["Plan"]

    steps = list(_executed_subplans(plan))
    assignments_read = [n["Actual Rows"] for n in steps if n.get("Relation Name") == "assignments"]
    assert len(assignments_read) == 2, steps  # previous and next, each within the round
    assert assignments_read == [1, 1]
    assert not [n for n in steps if n["Node Type"] == "Sort"]
