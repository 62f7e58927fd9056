"""The demo holds a city's campaign: quote cards, a story and a statement, one in Arabic and one in Ukrainian."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db


def test_the_demo_has_lisbon_s_campaign_with_arabic_and_ukrainian(app, client, sign_in):
    from campaign.models import Submission
    from demo.build import load_demo

    load_demo("demo password for tests")
    db.session.commit()
    subs = db.session.scalars(select(Submission)).all()
    lisbon = [s for s in subs if s.city.name == "Lisbon"]
    assert sorted(s.kind for s in lisbon) == ["quote", "quote", "quote", "statement", "story"]
    story = next(s for s in lisbon if s.kind == "story")
    assert story.language == "ar" and story.translation_language == "en" and story.photo is not None
    assert any(s.language == "uk" and s.translation_text for s in lisbon)
    from accounts.models import User

    closed = client.get("/campaign/page").get_data(as_text=True)  # the page opens on Migrants Day
    assert "The campaign page opens on" in closed and story.text not in closed
    sign_in(client, db.session.scalar(select(User).where(User.email == "secretariat@example.org")))
    page = client.get("/campaign/page").get_data(as_text=True)
    assert "Preview for the secretariat" in page
    assert story.text in page and "Carlos Moedas" in page and "Yusuf" not in page  # Yusuf's is not approved
