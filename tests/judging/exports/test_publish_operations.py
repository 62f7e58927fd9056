"""Publishing (judging/results/operations.py) is flushed and audited but never committed: a rollback (a request
answered with an error, core/transaction.py) leaves the results off the public page, with no audit event."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import db
from judging.results import operations


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def close_rounds():
    from judging.models import Round

    for round_ in db.session.scalars(select(Round)):
        round_.status = "closed"
    db.session.commit()


def published_at(edition):
    from competition.models import Edition

    return db.session.scalar(select(Edition.results_published_at).where(Edition.id == edition.id))


def test_publishing_is_undone_by_a_rollback(awarded, edition):
    close_rounds()
    operations.publish(edition)
    assert published_at(edition) is not None and audited("results.published") == 1
    db.session.rollback()
    assert published_at(edition) is None and audited("results.published") == 0


def test_unpublishing_is_undone_by_a_rollback(awarded, edition):
    close_rounds()
    operations.publish(edition)
    db.session.commit()
    first = published_at(edition)
    operations.publish(edition)  # publishing again keeps the first date
    assert published_at(edition) == first
    db.session.commit()
    operations.unpublish(edition)
    assert published_at(edition) is None and audited("results.unpublished") == 1
    db.session.rollback()
    assert published_at(edition) == first and audited("results.unpublished") == 0


def test_publishing_while_a_round_is_open_is_refused(awarded, edition):
    with pytest.raises(operations.PublishRefused) as refused:
        operations.publish(edition)
    assert "Close the rounds that are still open first" in str(refused.value.message)
    assert published_at(edition) is None and audited("results.published") == 0


def test_publishing_with_nothing_to_show_is_refused(round1, edition):
    close_rounds()
    with pytest.raises(operations.PublishRefused) as refused:
        operations.publish(edition)
    assert "Nothing can be published yet" in str(refused.value.message)
    assert published_at(edition) is None
