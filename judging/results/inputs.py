"""The revision token of what the rankings are made from: a new random value at every change of their inputs.

The ranking page (judging/results/store.py) says whether the stored ranking is up to date. The exact answer is
the inputs' version (``store.inputs_version``: an aggregate over all of a category's assignments and score sets),
too dear to run on every view. So every write that may change a ranking's inputs also gives the one row of
``ranking_inputs_revision`` a new random value, in the same transaction; the stored ranking keeps the token (with
the round's own revision, which changes with its tie-break criterion or method) read before its inputs. While
both are unchanged the ranking is current, with no aggregate. When either changed, the page runs the aggregate
and compares versions as before (once per process and token): a token bumped by a change that did not touch
this category's inputs costs one aggregate, never a wrong answer. Only a change that left the token alone could
show a stale ranking as current, so the token is bumped, conservatively, for:

- any flush (ORM) that adds, changes or deletes an ``Assignment``, ``TieOrder``, ``Rubric`` or ``Criterion``; a
  ``ScoreSet`` that is or was submitted; a ``ScoreValue`` of a submitted score set; an ``Entry`` whose status or
  category changes, or that is deleted;
- any INSERT, UPDATE or DELETE statement run through the session on those tables (Core or ORM-enabled bulk
  statements), unless it says ``execution_options(ranking_inputs_unchanged=True)`` (a draft's row lock).

A draft's autosave bumps nothing: drafts are no ranking's input. The rows are written through the database,
so two app instances on one database see each other's changes on their next request.
tests/judging/results/test_ranking_inputs_token.py proves it path by path.
"""
from __future__ import annotations

from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from competition.models import Entry
from judging.models import (
    Assignment,
    Criterion,
    RankingInputsRevision,
    Rubric,
    ScoreSet,
    ScoreStatus,
    ScoreValue,
    TieOrder,
)
from judging.models.revision import new_revision

SUBMITTED = ScoreStatus.SUBMITTED.value
ALWAYS = (Assignment, TieOrder, Rubric, Criterion)
TABLES = frozenset(model.__table__.name for model in (*ALWAYS, ScoreSet, ScoreValue, Entry))
SKIP_OPTION = "ranking_inputs_unchanged"
ROW_ID = 1


def token_statement():
    """The scalar subquery of the current token (None when the row is missing: then every view checks)."""
    return select(RankingInputsRevision.revision).where(RankingInputsRevision.id == ROW_ID).scalar_subquery()


def current_token(session) -> str:
    """The token now, making its row first if it is missing (a new database, or one wiped by ``flask demo --reset``:
    an empty database stays empty until a ranking is stored); the task storing a ranking reads it so."""
    token = session.scalar(select(token_statement()))
    if token is not None:
        return token
    table = RankingInputsRevision.__table__
    insert = (postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(table)
    session.execute(insert.values(id=ROW_ID, revision=new_revision()).on_conflict_do_nothing())
    return session.scalar(select(token_statement()))


def composed(token: str | None, round_revision: str | None) -> str | None:
    """The token a stored ranking keeps: the inputs' token and the round's revision."""
    return None if token is None or round_revision is None else f"{token}:{round_revision}"


def _bump(connection) -> None:
    connection.execute(update(RankingInputsRevision.__table__).where(RankingInputsRevision.__table__.c.id == ROW_ID)
                       .values(revision=new_revision()))


def _statuses(obj) -> set:
    history = inspect(obj).attrs.status.history
    return {*(history.added or ()), *(history.deleted or ()), *(history.unchanged or ())}


def _changed(obj, *attributes) -> bool:
    state = inspect(obj)
    names = attributes or [column.key for column in state.mapper.column_attrs]
    return any(state.attrs[name].history.has_changes() for name in names)


def _submitted_set_ids(session, set_ids: set) -> bool:
    """Whether one of these score sets is submitted (from the session when it holds them, else one query)."""
    unknown = set()
    for set_id in set_ids:
        held = session.identity_map.get(session.identity_key(ScoreSet, set_id)) if set_id is not None else None
        if held is not None:
            if held.status == SUBMITTED:
                return True
        elif set_id is not None:
            unknown.add(set_id)
    if not unknown:
        return False
    return session.connection().execute(
        select(ScoreSet.id).where(ScoreSet.id.in_(unknown), ScoreSet.status == SUBMITTED).limit(1)).first() is not None


def _flush_changes_inputs(session) -> bool:
    values = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ALWAYS):
            if obj in session.dirty and not _changed(obj):  # a relationship set, no column changed
                continue
            return True
        if isinstance(obj, ScoreSet) and SUBMITTED in _statuses(obj):
            return True
        if isinstance(obj, Entry):
            if obj in session.deleted or (obj in session.dirty and _changed(obj, "status", "category_id")):
                return True
        if isinstance(obj, ScoreValue):
            history = inspect(obj).attrs.score_set_id.history
            values.update(history.added or (), history.deleted or (), history.unchanged or ())
    return bool(values) and _submitted_set_ids(session, values)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    if _flush_changes_inputs(session):
        _bump(session.connection())


@event.listens_for(Session, "do_orm_execute")
def _statement(orm_execute_state) -> None:
    if not (orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    if orm_execute_state.execution_options.get(SKIP_OPTION):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) not in TABLES:
        return
    result = orm_execute_state.invoke_statement()
    _bump(orm_execute_state.session.connection())
    return result
