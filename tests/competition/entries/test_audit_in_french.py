"""The audit trail reads in the reader's language: actions, objects, detail names and values."""
from __future__ import annotations

from accounts.models import Role
from core.db import db


def test_the_history_of_an_entry_reads_in_french(app, draft, make_user, sign_in):
    secretariat = make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sam Sec")
    secretariat.language = "fr"
    db.session.commit()
    page = sign_in(app.test_client(), secretariat).get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert f"Participation créée · participation {draft.id}" in page
    assert "catégorie : De 11 à 18 ans · Poème" in page  # stored in English, shown in French
    assert "entry.created" not in page and "category:" not in page


def test_and_in_english(app, draft, make_user, sign_in):
    secretariat = make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sam Sec")
    page = sign_in(app.test_client(), secretariat).get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert f"Entry created · entry {draft.id}" in page and "category: Ages 11–18 · Poem" in page
