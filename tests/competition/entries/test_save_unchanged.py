"""Saving a form unchanged always works: the entry's details with the same pupils answered 500 (issue 10, point 9)."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db


def test_saving_the_details_twice_with_the_same_pupils(post, draft, school_class):
    from competition.models import EntryAuthor

    pupils = [str(p.id) for p in school_class.pupils]
    form = {"discipline": "poem", "title": "Many things", "language": "pt", "authors": pupils}
    for _ in range(3):  # the first save changes "whole class" to two pupils; the next ones change nothing
        response = post(f"/competition/entries/{draft.id}/details", form)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    authors = db.session.scalars(select(EntryAuthor.pupil_id).where(EntryAuthor.entry_id == draft.id)).all()
    assert sorted(map(str, authors)) == sorted(pupils)


def test_saving_with_one_pupil_fewer_then_the_same_again(post, draft, school_class):
    from competition.models import EntryAuthor

    first, second = (str(p.id) for p in school_class.pupils)
    post(f"/competition/entries/{draft.id}/details",
         {"discipline": "poem", "title": "Many things", "language": "pt", "authors": [first, second]})
    for _ in range(2):
        response = post(f"/competition/entries/{draft.id}/details",
                        {"discipline": "poem", "title": "Many things", "language": "pt", "authors": [second]})
        assert response.status_code == 302
    assert db.session.scalars(select(EntryAuthor.pupil_id).where(EntryAuthor.entry_id == draft.id)).all() == [int(second)]
