"""The campaign's timeline is set per edition: the cities' deadline, launch, statements, page, quote limit."""
from __future__ import annotations

from datetime import date

from core.db import db


def test_the_timeline_defaults_to_the_brief_s_calendar(app, edition):
    from campaign.timeline import timeline

    edition.campaign_page_on = None  # the fixture opened the page; the default is Migrants Day
    times = timeline(edition)
    assert times.deadline_at == edition.deadline_at and times.results_on == edition.results_on
    assert (times.launch_on, times.statements_on, times.page_on) == (
        date(edition.deadline_at.year, 12, 1), date(edition.deadline_at.year, 12, 17), date(edition.deadline_at.year, 12, 18))


def test_the_secretariat_sets_the_timeline_and_the_plan_follows(client, post, sign_in, secretariat, edition, cities):
    from tests.campaign.submissions import make_submission

    make_submission(edition, cities[0])
    sign_in(client, secretariat)
    year = edition.deadline_at.year + 1
    response = post("/campaign/review/timeline", {"deadline_date": f"{year}-11-20", "deadline_time": "18:00",
                                                  "launch_on": f"{year}-12-02", "statements_on": f"{year}-12-16",
                                                  "page_on": f"{year}-12-18", "max_quotes": "7"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert edition.campaign_max_quotes == 7 and edition.campaign_launch_on == date(year, 12, 2)
    assert edition.campaign_deadline_at.hour == 17  # 18:00 in Paris, stored in UTC
    page = client.get("/campaign/review/schedule").get_data(as_text=True)
    assert f"02/12/{year}" in page or f"12/2/{str(year)[2:]}" in page or f"02/12/{str(year)[2:]}" in page


def test_campaign_dates_before_the_deadline_are_refused(client, post, sign_in, secretariat, edition):
    sign_in(client, secretariat)
    response = post("/campaign/review/timeline", {"launch_on": f"{edition.deadline_at.year - 1}-12-01",
                                                  "max_quotes": "5"})
    assert response.status_code == 400
    assert "Enter campaign dates after the cities&#39; deadline." in response.get_data(as_text=True)
    response = post("/campaign/review/timeline", {"max_quotes": "500"})
    assert response.status_code == 400 and "from 0 to 100" in response.get_data(as_text=True)
