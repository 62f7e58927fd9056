"""An illustration has no language unless it holds words, and then no "No translation" flag."""
from __future__ import annotations

from sqlalchemy import select

from competition.models import Entry
from core.db import db


def new_entry(post, school_class, **data):
    return post(f"/competition/classes/{school_class.id}/entries/new",
                {"title": "Hands", "whole_class": "y", **data})


def test_an_illustration_without_words_has_no_language_and_no_translation_flag(client, post, login, school_class):
    login("teacher@example.org")
    form = client.get(f"/competition/classes/{school_class.id}/entries/new").get_data(as_text=True)
    assert '<option value="">No words (an illustration without text)</option>' in form
    assert new_entry(post, school_class, discipline="illustration", language="").status_code == 302
    entry = db.session.scalars(select(Entry)).one()
    assert entry.language == ""
    classes = client.get(f"/competition/classes/{school_class.id}").get_data(as_text=True)
    assert "No translation" not in classes
    assert "No words" in client.get(f"/competition/entries/{entry.id}").get_data(as_text=True)


def test_an_illustration_with_words_in_portuguese_is_flagged(client, post, login, school_class):
    login("teacher@example.org")
    assert new_entry(post, school_class, discipline="illustration", language="pt").status_code == 302
    assert "No translation" in client.get(f"/competition/classes/{school_class.id}").get_data(as_text=True)


def test_a_poem_must_have_a_language(client, post, login, school_class):
    login("teacher@example.org")
    response = new_entry(post, school_class, discipline="poem", language="")
    assert response.status_code == 400
    assert "only an illustration can have no words" in response.get_data(as_text=True)
    assert db.session.scalars(select(Entry)).all() == []  # nothing half-saved
