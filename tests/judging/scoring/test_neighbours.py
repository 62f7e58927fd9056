"""Previous and next on a scoring page are the list's own order, found as index steps, not by reading the list.

The juror has entries in two open rounds (positions with ties, as the keyed hash may give), one withdrawn
from every list by disqualification, and two in a closed round: walking the pages by their links visits
exactly the list, in its order, both ways; a closed round's entry has no neighbours.
"""
from __future__ import annotations

import random
import re

from sqlalchemy import update

from core.db import db

LIST_CODE = re.compile(r'<a class="code" href="/judging/entries/([A-Z0-9]+)"')
PREVIOUS = re.compile(r'<a rel="prev" href="/judging/entries/([A-Z0-9]+)"')
NEXT = re.compile(r'<a rel="next" href="/judging/entries/([A-Z0-9]+)"')


def _links(client, code: str) -> tuple[str | None, str | None]:
    page = client.get(f"/judging/entries/{code}")
    assert page.status_code == 200, code
    text = page.get_data(as_text=True)
    previous, following = PREVIOUS.search(text), NEXT.search(text)
    return previous and previous.group(1), following and following.group(1)


def test_the_links_walk_the_list_in_its_order_across_rounds(app, edition, make_entries, make_juror, round1, assign,
                                                              sign_in):
    from competition.models import Entry
    from judging.models import Round

    rng = random.Random(12)
    juror = make_juror(cap=100)
    round2 = Round(edition=edition, number=2, name="Final", jurors_per_entry=3, status="open")
    closed = Round(edition=edition, number=3, name="Old", jurors_per_entry=3, status="closed")
    db.session.add_all([round2, closed])
    db.session.commit()
    entries = make_entries(14)
    mine = {}
    for n, entry in enumerate(entries):
        judging_round = round1 if n < 7 else round2 if n < 12 else closed
        mine[entry.id] = assign(judging_round, entry, juror, position=rng.choice([0, 5, 5, 9, 2 ** 30, 2 ** 31 - 1]))
    withdrawn = entries[3]
    db.session.execute(update(Entry).where(Entry.id == withdrawn.id).values(status="disqualified"))
    db.session.commit()

    client = sign_in(app.test_client(), juror)
    listed = LIST_CODE.findall(client.get("/judging/entries").get_data(as_text=True))
    assert len(listed) == 11  # seven and five in the open rounds, less the disqualified one
    assert mine[withdrawn.id].code not in listed
    round_of = {a.code: a.round_id for a in mine.values()}
    assert [round_of[c] for c in listed] == sorted(round_of[c] for c in listed)  # round by round

    code, walked = listed[0], []
    while code is not None:
        walked.append(code)
        previous, code = _links(client, code)
        assert previous == (walked[-2] if len(walked) > 1 else None)
        assert len(walked) <= len(listed)
    assert walked == listed

    for entry in entries[12:]:  # the closed round's entries: shown, read-only, no neighbours
        assert _links(client, mine[entry.id].code) == (None, None)


def test_neighbours_follow_the_stored_order_key(app, make_entries, make_juror, round1, assign, sign_in):
    """The list is sorted by the stored keyed hash (Assignment.position), then the code: so are the links."""
    juror = make_juror()
    assignments = [assign(round1, entry, juror, position=p) for entry, p in zip(make_entries(4), (30, 10, 20, 10))]
    expected = [a.code for a in sorted(assignments, key=lambda a: (a.position, a.code))]
    client = sign_in(app.test_client(), juror)
    assert _links(client, expected[0]) == (None, expected[1])
    assert _links(client, expected[1]) == (expected[0], expected[2])
    assert _links(client, expected[3]) == (expected[2], None)
