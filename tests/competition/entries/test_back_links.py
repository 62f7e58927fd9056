"""Back links follow the reader's role: an entry's teacher goes back to their classes, the secretariat
to the list of entries (an entry page for the secretariat must not say "Back to your classes")."""
from __future__ import annotations

from accounts.models import Role
from core.db import db


def test_the_teacher_goes_back_to_their_classes(client, draft):
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert 'href="/competition/classes/">Back to your classes and entries</a>' in page


def test_the_secretariat_goes_back_to_the_entries(app, draft, make_user, sign_in):
    secretariat = sign_in(app.test_client(), make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sam Sec"))
    page = secretariat.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert 'href="/competition/entries/">Back to the entries</a>' in page
    assert "Back to your classes" not in page


def test_a_teacher_who_is_also_secretariat_goes_back_to_their_classes_from_their_own_entry(app, draft, sign_in):
    teacher = draft.school_class.teacher
    teacher.add_role(Role.SECRETARIAT)
    db.session.commit()
    page = sign_in(app.test_client(), teacher).get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "Back to your classes and entries" in page
