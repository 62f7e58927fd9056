"""The rankings' inputs token (judging/results/inputs.py): a current stored ranking is known current without the
inputs' aggregate, and every path that changes a ranking's inputs shows it out of date, through the ORM or Core,
from this app or another one on the same database."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, event, select, update

from app import create_app
from competition.models import Category, Entry
from core.db import db
from judging.models import Assignment, Criterion, RankingInputsRevision, Round, ScoreSet, ScoreValue, TieOrder
from judging.results import store as results_store
from tests.fixtures import add_scores, category_of

AGGREGATE = "count(assignments.id)"  # the inputs' version's statement


@pytest.fixture()
def ranked(app, scored, round1, edition, make_juror, monkeypatch):
    """Eight poems scored by four jurors and their stored ranking; the queue's recomputation is switched off, so
    a change shows the stored ranking out of date instead of replacing it."""
    entries, jurors = scored(8, jurors=4)
    category = category_of(edition, discipline="poem")
    monkeypatch.setattr(results_store, "schedule", lambda *args, **kwargs: None)
    ctx = SimpleNamespace(entries=entries, jurors=jurors, category=category, round=round1, make_juror=make_juror)
    ctx.store = lambda: (results_store.recompute(round1, category), db.session.commit())
    ctx.store()
    return ctx


def _load(ctx):
    """The stored ranking as the page loads it, in a fresh transaction, and the statements that took."""
    db.session.commit()
    db.session.expire_all()
    seen = []
    listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        res, freshness = results_store.load_ranking(db.session.get(Round, ctx.round.id),
                                                    db.session.get(Category, ctx.category.id))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return res, freshness, seen


def _submitted_set(ctx, n=0) -> ScoreSet:
    return db.session.scalars(select(ScoreSet).join(Assignment).where(Assignment.entry_id == ctx.entries[n].id)
                              .order_by(ScoreSet.id)).first()


def test_a_current_ranking_is_read_without_the_inputs_aggregate(ranked):
    _res, freshness, statements = _load(ranked)
    assert not freshness.stale
    assert not any(AGGREGATE in s for s in statements), statements


# Every path that changes a ranking's inputs. Each may prepare (then store again), then changes and commits.
def _submit_through_the_scoring_operation(ctx):
    from judging.scoring import boundary
    from judging.scoring import operations as ops

    juror = ctx.make_juror("late@example.org", name="Late Juror")
    assignment = Assignment(round=ctx.round, entry=ctx.entries[0], juror=juror, position=99)
    db.session.add(assignment)
    db.session.commit()
    rubric = boundary.juror_entry(juror.id, assignment.code).rubric
    ops.save_draft(assignment, rubric, {"values": {c.key: (c.scale_min, "") for c in rubric.criteria},
                                        "overall_comment": ""})
    db.session.commit()
    ctx.store()
    ops.submit(assignment, rubric, {"values": {c.key: (c.scale_max, "") for c in rubric.criteria},
                                    "overall_comment": ""})


def _reopen_orm(ctx):
    _submitted_set(ctx).status = "draft"


def _reopen_core(ctx):
    db.session.execute(update(ScoreSet).where(ScoreSet.id == _submitted_set(ctx).id).values(status="draft"))


def _edit_value_orm(ctx):
    value = db.session.scalars(select(ScoreValue).where(ScoreValue.score_set_id == _submitted_set(ctx).id)).first()
    value.value = Decimal("0") if value.value > 5 else Decimal("10")


def _edit_value_core(ctx):
    db.session.execute(update(ScoreValue).where(ScoreValue.score_set_id == _submitted_set(ctx).id)
                       .values(value=Decimal("0")))


def _delete_score_set_orm(ctx):
    db.session.delete(_submitted_set(ctx))


def _add_assignment(ctx):
    from judging.assignment import service

    service.add_manual(ctx.round, ctx.entries[1], ctx.make_juror("extra@example.org", name="Extra Juror"))


def _add_assignment_core(ctx):
    juror = ctx.make_juror("extra@example.org", name="Extra Juror")
    db.session.execute(Assignment.__table__.insert().values(round_id=ctx.round.id, entry_id=ctx.entries[1].id,
                                                            juror_id=juror.id, code="ZZZZZ9999Z", position=7))


def _remove_assignment(ctx):
    from judging.assignment import service

    assignment = service.add_manual(ctx.round, ctx.entries[1], ctx.make_juror("extra@example.org", name="Extra"))
    db.session.commit()
    ctx.store()
    service.remove(db.session.get(Assignment, assignment.id))


def _delete_scored_assignment_core(ctx):
    db.session.execute(delete(Assignment).where(Assignment.id == _submitted_set(ctx).assignment_id))


def _disqualify(ctx):
    from competition.entries import operations as entry_ops

    entry_ops.disqualify(ctx.entries[2], "Copied.")


def _reinstate(ctx):
    from competition.entries import operations as entry_ops

    entry_ops.disqualify(ctx.entries[2], "Copied.")
    db.session.commit()
    ctx.store()
    entry_ops.reinstate(db.session.get(Entry, ctx.entries[2].id))


def _withdraw(ctx):
    from competition.entries import operations as entry_ops

    entry_ops.withdraw(ctx.entries[2])


def _entry_status_core(ctx):
    db.session.execute(update(Entry).where(Entry.id == ctx.entries[2].id).values(status="withdrawn"))


def _tie_order(ctx):
    db.session.add(TieOrder(round_id=ctx.round.id, category_id=ctx.category.id, reason="Read aloud.",
                            entry_ids=[ctx.entries[0].id, ctx.entries[1].id]))


def _tie_criterion(ctx):
    db.session.get(Round, ctx.round.id).tie_criterion_key = "originality"


def _tie_criterion_core(ctx):
    db.session.execute(update(Round).where(Round.id == ctx.round.id).values(tie_criterion_key="expression"))


def _rubric_criterion_orm(ctx):
    rubric_id = _submitted_set(ctx).rubric_id
    db.session.scalars(select(Criterion).where(Criterion.rubric_id == rubric_id)).first().weight = Decimal("3")


def _rubric_versioned(ctx):
    from judging.rubrics.operations import save_rubric, snapshot
    from judging.models import Rubric

    rubric = db.session.get(Rubric, _submitted_set(ctx).rubric_id)
    values = snapshot(rubric)
    values[0] = {**values[0], "weight": Decimal("3")}
    _new, outcome = save_rubric(rubric, values, None)
    assert outcome == "versioned"


PATHS = [_submit_through_the_scoring_operation, _reopen_orm, _reopen_core, _edit_value_orm, _edit_value_core,
         _delete_score_set_orm, _add_assignment, _add_assignment_core, _remove_assignment,
         _delete_scored_assignment_core, _disqualify, _reinstate, _withdraw, _entry_status_core, _tie_order,
         _tie_criterion, _tie_criterion_core, _rubric_criterion_orm, _rubric_versioned]


@pytest.mark.parametrize("change", PATHS, ids=[p.__name__.strip("_") for p in PATHS])
def test_every_change_of_the_inputs_shows_the_ranking_out_of_date(ranked, change):
    assert not _load(ranked)[1].stale  # current, and known current from the token (cached in this process)
    change(ranked)
    db.session.commit()
    _res, freshness, statements = _load(ranked)
    assert freshness.stale
    assert any(AGGREGATE in s for s in statements)  # the token changed: the version was checked
    ranked.store()
    assert not _load(ranked)[1].stale


def test_a_change_made_by_another_app_instance_shows_at_once(ranked, database_url, tmp_path):
    assert not _load(ranked)[1].stale
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "other"),
                        "SERVER_NAME": "localhost"})
    set_id = _submitted_set(ranked).id
    db.session.commit()
    try:
        with other.app_context():
            db.session.execute(update(ScoreSet).where(ScoreSet.id == set_id).values(status="draft"))
            db.session.commit()
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()
    assert _load(ranked)[1].stale


def test_a_draft_saved_or_a_method_changed_keeps_the_token(ranked):
    """Drafts are no ranking's input; a new method re-sorts the stored rankings (they hold every method)."""
    from judging.results import operations

    token = lambda: db.session.scalar(select(RankingInputsRevision.revision))  # noqa: E731
    before = token()
    juror = ranked.make_juror("drafter@example.org", name="Drafter")
    assignment = Assignment(round=ranked.round, entry=ranked.entries[3], juror=juror, position=42)
    db.session.add(assignment)
    db.session.commit()
    assert token() != before  # a new assignment is an input
    before = token()
    add_scores(assignment, {"relevance": 5}, status="draft")
    db.session.commit()
    db.session.execute(update(ScoreSet).where(ScoreSet.assignment_id == assignment.id).values(overall_comment="x")
                       .execution_options(ranking_inputs_unchanged=True))
    db.session.commit()
    assert token() == before
    ranked.store()
    operations.set_method(db.session.get(Round, ranked.round.id), "median")
    db.session.commit()
    res, freshness, _ = _load(ranked)
    assert not freshness.stale and res.method == "median"


def test_without_the_token_row_every_view_checks_the_version(ranked):
    db.session.execute(delete(RankingInputsRevision))
    db.session.commit()
    _res, freshness, statements = _load(ranked)
    assert not freshness.stale and any(AGGREGATE in s for s in statements)
    _edit_value_core(ranked)
    db.session.commit()
    assert _load(ranked)[1].stale
