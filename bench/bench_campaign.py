"""What a campaign card costs, against a competition card drawn in the same run.

    .venv/bin/python bench/bench_campaign.py [--repeat 10]

Times, per card (median of ``repeat``), in one run:

* baseline: the competition's portrait card of a short English poem (``judging.exports.cards.card_png``);
* a campaign quote card with a photo (decoded, cropped, resized), in each size;
* a campaign story card in Arabic (shaped right to left by raqm), portrait.

The cards are drawn on request and never cached (consent applies at once), so this is what the
secretariat's review page and the card downloads cost.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)


def per_call(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-campaign-")
    from app import create_app
    from core.db import db

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/bench.db", "INSTANCE_PATH": folder})
    with app.app_context(), app.test_request_context():
        db.create_all()
        from datetime import date, timedelta

        from campaign.cards import SIZES, card_png
        from campaign.models import FilePurpose, Submission
        from campaign.operations import attach_file
        from competition.models import City, Edition
        from core.db import utcnow
        from demo.campaign import STORY, STORY_EN, portrait
        from judging.exports.cards import card_png as competition_card
        from tests.judging.exports.records import make_item

        edition = Edition(name="Bench", deadline_at=utcnow() + timedelta(days=3), results_on=date(2026, 12, 6),
                          is_current=True)
        city = City(name="Lisbon", country_code="PT")
        every = dict(consent_image=True, consent_publication=True, consent_social=True, consent_name=True)
        quote = Submission(edition=edition, city=city, kind="quote", status="approved", person_name="Amina",
                           text="I am many things. I am an entrepreneur. I am a mother. I like football. I am a migrant.",
                           **every)
        story = Submission(edition=edition, city=city, kind="story", status="approved", person_name="فاطمة",
                           language="ar", text=STORY, translation_language="en", translation_text=STORY_EN, **every)
        db.session.add_all([quote, story])
        db.session.flush()
        attach_file(quote, FilePurpose.PHOTO, portrait(0), "amina.jpg")
        attach_file(story, FilePurpose.PHOTO, portrait(1), "fatima.jpg")
        db.session.commit()

        item = make_item()
        rows = [("baseline: competition card, portrait", per_call(lambda: competition_card(item, "portrait"), args.repeat))]
        for size in SIZES:
            rows.append((f"campaign quote card with photo, {size}", per_call(lambda: card_png(quote, size), args.repeat)))
        rows.append(("campaign Arabic story card with photo, portrait", per_call(lambda: card_png(story, "portrait"),
                                                                                 args.repeat)))
        base = rows[0][1]
        print(f"{'case':52} {'ms/card':>9} {'× baseline':>11}")
        for name, seconds in rows:
            print(f"{name:52} {seconds * 1000:9.1f} {seconds / base:11.2f}")


if __name__ == "__main__":
    main()
