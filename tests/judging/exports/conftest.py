"""A scored, awarded category for the export tests: six poems, three prizes, a selected one, mixed consent."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import db

AWARDS = ("first", "second", "third", "publication")


@pytest.fixture()
def awarded(scored, edition):
    """Entries ranked 1–4 get AWARDS in that order. Consent: 1st everything; 2nd no social; 3rd no name;
    4th (publication) no publication consent. Returns {kind: entry}."""
    from competition.models import EntryAuthor, Pupil
    from judging.models import Award, Round
    from judging.results import service

    entries, _jurors = scored(6)
    round_ = db.session.scalar(select(Round))
    category = entries[0].category
    rows = service.load_category(round_, category).rows
    by_id = {e.id: e for e in entries}
    pupils = db.session.scalars(select(Pupil).order_by(Pupil.id)).all()
    chosen = {}
    for row, kind in zip(rows, AWARDS):
        entry = by_id[row.entry_id]
        entry.whole_class = False
        entry.authors = [EntryAuthor(pupil=pupils[0])]
        entry.consent_publication = entry.consent_social = entry.consent_name = True
        db.session.add(Award(edition_id=edition.id, category_id=category.id, entry_id=entry.id, kind=kind))
        chosen[kind] = entry
    chosen["second"].consent_social = False
    chosen["third"].consent_name = False
    chosen["publication"].consent_publication = False
    db.session.commit()
    return chosen
