"""Gathering the results: rankings, awards, credits, files and consent, from the database."""
from __future__ import annotations

from core.db import db
from judging.exports.dataset import collect


def _reasons(results):
    return {(lo.item.reference, lo.output, lo.reason) for lo in results.left_out}


def test_every_ranked_entry_is_listed_in_rank_order_with_its_award(awarded, edition):
    results = collect(edition)
    category = next(c for c in results.categories if c.items)
    assert len(category.items) == 6
    assert [i.rank for i in category.items] == sorted(i.rank for i in category.items)
    assert category.items[0].award == "first" and category.items[0].entry_id == awarded["first"].id
    assert category.round_name == "Round 1"
    assert set(category.items[0].values) == {"mean", "median", "zscore", "bias_adjusted"}
    assert category.items[0].juror_count == 3
    assert [i.award for i in results.selected] == ["first", "second", "third", "publication"]


def test_consent_decides_what_each_output_gets(awarded, edition):
    results = collect(edition)
    publication = {i.entry_id for i in results.for_publication}
    social = {i.entry_id for i in results.for_social}
    assert awarded["publication"].id not in publication
    assert awarded["second"].id not in social and awarded["second"].id in publication
    assert awarded["first"].id in publication and awarded["first"].id in social
    assert _reasons(results) == {
        (awarded["second"].reference, "social", "no_social_consent"),
        (awarded["third"].reference, "names", "no_name_consent"),
        (awarded["publication"].reference, "publication", "no_publication_consent"),
    }


def test_a_withdrawn_winner_is_left_out_of_everything(awarded, edition):
    awarded["first"].status = "withdrawn"
    db.session.commit()
    results = collect(edition)
    assert awarded["first"].id not in {i.entry_id for i in results.selected}
    assert (awarded["first"].reference, "all", "withdrawn") in _reasons(results)


def test_a_missing_file_is_reported_not_fatal(awarded, edition, app):
    from competition.models import EntryFile
    from core.files import get_storage

    key = get_storage().put(b"\x89PNG not really")
    db.session.add(EntryFile(entry=awarded["first"], purpose="work", kind="image", original_name="x.png",
                             original_key=key, original_size=10, cleaned_key="0" * 64, cleaned_ext="png"))
    db.session.commit()
    results = collect(edition)
    item = next(i for i in results.selected if i.entry_id == awarded["first"].id)
    assert item.files[0].missing and item.illustration is None
    assert (item.reference, "files", "missing_files") in _reasons(results)


def test_no_awards_means_no_winners_but_rankings_remain(scored, edition):
    scored(4)
    results = collect(edition)
    assert not results.has_winners
    assert sum(len(c.items) for c in results.categories) == 4


def test_the_query_count_does_not_grow_with_the_winners(scored, edition, app):
    from sqlalchemy import event

    from judging.models import Award

    entries, _jurors = scored(12)

    def queries() -> int:
        db.session.expire_all()
        statements = []

        def listener(*args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            results = collect(edition)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements), len(results.selected)

    def award(some):
        for entry in some:
            db.session.add(Award(edition_id=edition.id, category_id=entry.category_id, entry_id=entry.id,
                                 kind="publication"))
        db.session.commit()

    award(entries[:2])
    few, selected_few = queries()
    award(entries[2:10])
    many, selected_many = queries()
    assert (selected_few, selected_many) == (2, 10)
    assert many == few


def test_without_ranks_only_the_awarded_entries_are_gathered(awarded, edition):
    full, light = collect(edition), collect(edition, ranked=False)
    assert len(full.items) == 6 and len(light.items) == 4
    assert [i.entry_id for i in light.selected] == [i.entry_id for i in full.selected]
    assert all(i.rank is None and not i.values for i in light.items)
    assert {(lo.item.reference, lo.reason) for lo in light.left_out} == {
        (lo.item.reference, lo.reason) for lo in full.left_out}
