"""The ranking page reads the ranking the task queue stored, says how old it is, and offers to compute it again."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import event, select

from core.db import db
from judging.models import Assignment, RankingSnapshot, ScoreSet, ScoreValue
from judging.results import service as results_service
from judging.results import store as results_store
from tests.clients import form_post
from tests.fixtures import category_of


def _page(client, round1, category, **args) -> str:
    response = client.get(f"/judging/rounds/{round1.id}/results", query_string={"category": category.id, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _store(round1, category):
    results_store.recompute(round1, category)
    db.session.commit()


def test_the_stored_ranking_is_the_live_one(as_secretariat, scored, round1, edition):
    scored(12, jurors=4)
    category = category_of(edition, discipline="poem")
    live = results_service.load_category(round1, category)
    _store(round1, category)
    stored, freshness = results_store.load_ranking(round1, category)
    assert not freshness.stale and freshness.age_seconds is not None
    assert [(r.entry_id, r.ranked.rank, r.ranks, r.reference) for r in stored.rows] == \
        [(r.entry_id, r.ranked.rank, r.ranks, r.reference) for r in live.rows]
    assert [round(r.stats.bias_adjusted, 9) for r in stored.rows] == [round(r.stats.bias_adjusted, 9) for r in live.rows]
    assert (stored.assigned, stored.submitted, stored.drafts) == (live.assigned, live.submitted, live.drafts)
    page = _page(as_secretariat, round1, category)
    assert "Updated 0 s ago." in page or "Updated 1 s ago." in page
    assert "Compute the ranking again" not in page


def test_a_changed_score_shows_the_ranking_out_of_date_until_recomputed(as_secretariat, scored, round1, edition):
    entries, _ = scored(8, jurors=4)
    category = category_of(edition, discipline="poem")
    _store(round1, category)
    # A score changed behind the queue's back (no task queued): the page notices from the inputs' version.
    first = db.session.scalar(select(ScoreSet).join(Assignment).where(Assignment.entry_id == entries[0].id))
    for value in db.session.scalars(select(ScoreValue).where(ScoreValue.score_set_id == first.id)):
        value.value = Decimal("0") if value.value > 5 else Decimal("10")
    first.overall_comment = "changed"
    db.session.commit()
    page = _page(as_secretariat, round1, category)
    assert "out of date" in page and "Compute the ranking again" in page

    response = form_post(as_secretariat, f"/judging/rounds/{round1.id}/results/recompute",
                         {"category": str(category.id)})
    assert response.status_code == 302  # tests run the queued task at once, after the commit
    page = _page(as_secretariat, round1, category)
    assert "out of date" not in page and "Compute the ranking again" not in page
    stored, _ = results_store.load_ranking(round1, category)
    live = results_service.load_category(round1, category)
    assert [r.entry_id for r in stored.rows] == [r.entry_id for r in live.rows]


def test_recompute_refuses_another_editions_category_and_a_missing_token(as_secretariat, scored, round1, edition):
    scored(3, jurors=3)
    url = f"/judging/rounds/{round1.id}/results/recompute"
    assert as_secretariat.post(url, data={"category": "1"}).status_code == 400  # no CSRF token
    assert form_post(as_secretariat, url, {"category": "999999"}).status_code == 404


def test_a_submission_through_the_scoring_operation_queues_the_recompute(app, scored, round1, edition, make_entries,
                                                                         make_juror):
    from judging.scoring import operations as ops

    scored(4, jurors=3)
    category = category_of(edition, discipline="poem")
    juror = make_juror("late@example.org", name="Late Juror")
    entry = make_entries(1, discipline="poem")[0]
    assignment = Assignment(round=round1, entry=entry, juror=juror, position=0)
    db.session.add(assignment)
    round1.status = "open"
    db.session.commit()
    from judging.scoring import boundary as juror_boundary

    rubric = juror_boundary.juror_entry(juror.id, assignment.code).rubric  # as the scoring view gets it
    ops.submit(assignment, rubric, {"values": {c.key: (c.scale_max, "") for c in rubric.criteria},
                                    "overall_comment": ""})
    db.session.commit()  # the queued task runs now (tests run tasks at once)
    snapshot = db.session.scalar(select(RankingSnapshot).where(RankingSnapshot.round_id == round1.id,
                                                               RankingSnapshot.category_id == category.id))
    assert snapshot is not None and snapshot.inputs_version == results_store.inputs_version(round1, category.id)
    stored, freshness = results_store.load_ranking(round1, category)
    assert not freshness.stale and entry.id in {r.entry_id for r in stored.rows}


def test_the_stored_ranking_page_runs_as_many_queries_at_10_as_at_100_entries(as_secretariat, scored, round1, edition):
    counts = []
    for n, discipline in ((10, "poem"), (100, "essay")):
        scored(n, jurors=6 if n == 10 else 20, discipline=discipline, seed=n)
        category = category_of(edition, discipline=discipline)
        _store(round1, category)
        _page(as_secretariat, round1, category, all=1)  # warm up
        statements = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            _page(as_secretariat, round1, category, all=1)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert not any("score_values" in s for s in statements)  # read from the store, not recomputed
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_evidence_stored_with_the_ranking_is_the_live_one_and_shown_without_loading_scores(
        as_secretariat, scored, round1, edition):
    from judging.results import evidence as evidence_service

    scored(12, jurors=4)
    category = category_of(edition, discipline="poem")
    live = evidence_service.for_results(results_service.load_category(round1, category))
    _store(round1, category)
    stored, freshness = results_store.load_ranking(round1, category)
    assert stored.stored_evidence is not None and stored.stored_evidence["method"] == stored.method
    assert results_store._evidence_from(stored.stored_evidence) == live
    results_store._EVIDENCE.clear()
    statements = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731 (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = _page(as_secretariat, round1, category)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert not any("score_values" in s for s in statements)  # the evidence came from the snapshot
    assert "chance-cell" in page


def test_disqualifying_reinstating_and_withdrawing_an_entry_queue_the_ranking_again(app, scored, round1, edition):
    """Each takes the entry out of (or back into) the ranking: the queue computes it again with the commit, so the
    stored ranking is current, not merely shown out of date."""
    from competition.entries import operations as entry_ops

    entries, _ = scored(8, jurors=4)
    category = category_of(edition, discipline="poem")
    _store(round1, category)
    target = entries[0]

    def stored_ids():
        stored, freshness = results_store.load_ranking(round1, category)
        assert not freshness.stale
        return {r.entry_id for r in stored.rows}

    assert target.id in stored_ids()
    entry_ops.disqualify(target, "Copied from a book.")
    db.session.commit()  # the queued task runs now (tests run tasks at once)
    assert target.id not in stored_ids()
    entry_ops.reinstate(target)
    db.session.commit()
    assert target.id in stored_ids()
    entry_ops.withdraw(target)
    db.session.commit()
    assert target.id not in stored_ids()
