"""The exports page is short and its counts match its lists; card previews are drawn once per change and kept
as files named by a digest of what they show (consent included), and pruned when that changes."""
from __future__ import annotations

import re
from pathlib import Path

from core.db import db
from tests.clients import csrf_token_of


def cache_files(app) -> set[str]:
    folder = Path(app.instance_path) / "card-previews"
    return {p.name for p in folder.glob("*.png")} if folder.exists() else set()


def test_the_left_out_count_is_the_number_of_entries_listed_and_the_list_is_collapsed(client, awarded, as_secretariat):
    page = client.get("/judging/exports").get_data(as_text=True)
    figure = re.search(r'stat-number">(\d+)</span> <span>entr(?:y|ies) left out of an output', page)
    section = page.split('id="left-out"')[1].split('id="previews"')[0]
    listed = re.findall(r'<strong class="nowrap">([^<]+)</strong>', section)
    assert figure and int(figure.group(1)) == len(listed) == len(set(listed)) == 3  # 2nd, 3rd and publication
    assert '<details class="left-out">' in section and "<details class=\"left-out\" open" not in section
    assert f"Show the {len(listed)} entries left out or changed" in section


def test_a_card_is_drawn_once_then_served_from_its_file(app, client, awarded, as_secretariat):
    page = client.get("/judging/exports").get_data(as_text=True)
    url = re.search(r'src="(/judging/exports/cards/[^"]+/portrait\.png\?v=([0-9a-f]{64}))"', page)
    assert url, "the preview's link names the digest of what it shows"
    first = client.get(url.group(1).replace("&amp;", "&"))
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert first.headers["ETag"].strip('"') == url.group(2)
    assert first.headers["Cache-Control"] == "no-store"  # a child's work: never kept by the browser
    (name,) = cache_files(app)
    path = Path(app.instance_path) / "card-previews" / name
    stamp = path.stat().st_mtime_ns
    again = client.get(url.group(1))
    assert again.data == first.data and path.stat().st_mtime_ns == stamp  # not drawn again
    assert client.get(url.group(1), headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_withdrawn_consent_deletes_the_cached_card_at_once(app, client, awarded, as_secretariat):
    reference = awarded["first"].reference
    assert client.get(f"/judging/exports/cards/{reference}/square.png").status_code == 200
    assert len(cache_files(app)) == 1
    awarded["first"].consent_social = False
    db.session.commit()
    assert client.get(f"/judging/exports/cards/{reference}/square.png").status_code == 404
    assert cache_files(app) == set()


def test_a_new_award_or_credit_gives_a_new_card(app, client, awarded, as_secretariat):
    reference = awarded["first"].reference
    client.get(f"/judging/exports/cards/{reference}/square.png")
    before = cache_files(app)
    awarded["first"].consent_name = False  # the credit changes: "a pupil from …"
    db.session.commit()
    assert client.get(f"/judging/exports/cards/{reference}/square.png").status_code == 200
    after = cache_files(app)
    assert len(after) == 1 and after != before  # the old drawing is gone


def test_the_teachers_withdrawal_deletes_the_cached_cards_right_after_its_commit(app, client, awarded, as_secretariat,
                                                                                  sign_in):
    first, third = awarded["first"], awarded["third"]
    for entry in (first, third):
        assert client.get(f"/judging/exports/cards/{entry.reference}/square.png").status_code == 200
    assert {n.partition("-")[0] for n in cache_files(app)} == {str(first.id), str(third.id)}
    teacher = sign_in(app.test_client(), first.school_class.teacher)
    assert teacher.get(f"/competition/entries/{first.id}/consent/withdraw").status_code == 200
    response = teacher.post(f"/competition/entries/{first.id}/consent/withdraw",
                            data={"withdraw": ["social"], "confirm": "yes", "csrf_token": csrf_token_of(teacher)})
    assert response.status_code == 302
    db.session.expire_all()
    assert not first.consent_social
    # Gone at once, before anyone opens the exports page; the other entry's card stays.
    assert {n.partition("-")[0] for n in cache_files(app)} == {str(third.id)}
