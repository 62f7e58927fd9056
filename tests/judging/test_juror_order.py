"""The juror's list order: a keyed hash of the assignment id with a secret per round, never a guessable shuffle.

Over a demo-sized round (40 entries for one juror) the list order has no rank correlation with the
assignment ids, the entry ids or the order of creation, and it differs from one round to the next.
"""
from __future__ import annotations

import re

from scipy.stats import spearmanr
from sqlalchemy import select

from core.db import db
from judging.assignment import service

N = 40


def listed_codes(client) -> list[str]:
    page = client.get("/judging/entries").get_data(as_text=True)
    return re.findall(r'<a class="code" href="/judging/entries/([A-Z0-9]+)"', page)


def make_round(edition, number, entries):
    from judging.models import Round, ShortlistEntry

    judging_round = Round(edition=edition, number=number, name=f"Round {number}", jurors_per_entry=1, status="open")
    db.session.add(judging_round)
    db.session.flush()
    if number > 1:
        db.session.add_all(ShortlistEntry(round_id=judging_round.id, entry_id=e.id) for e in entries)
    db.session.commit()
    return judging_round


def test_list_order_is_not_correlated_with_ids_or_creation_and_differs_by_round(
        app, edition, make_entries, make_juror, sign_in):
    from judging.models import Assignment
    from judging.rubrics.defaults import ensure_rubrics

    ensure_rubrics(edition)
    entries = make_entries(N)
    juror = make_juror(cap=1000, final=True)
    client = sign_in(app.test_client(), juror)
    orders = []
    for number in (1, 2, 3):
        judging_round = make_round(edition, number, entries)
        outcome = service.run_assignment(judging_round)
        db.session.commit()
        assert outcome.complete
        rows = {a.code: a for a in db.session.scalars(select(Assignment).where(Assignment.round_id == judging_round.id))}
        codes = [c for c in listed_codes(client) if c in rows]
        assert len(codes) == N
        listed = [rows[c] for c in codes]
        for label, values in (("assignment id", [a.id for a in listed]), ("entry id", [a.entry_id for a in listed]),
                              ("created", [a.created_at for a in listed])):
            rho = spearmanr(range(N), values).statistic if label != "created" else spearmanr(
                range(N), [sorted(values).index(v) for v in values]).statistic
            # Random order: |rho| exceeds 0.6 with probability 2e-4 at n = 40.
            assert abs(rho) < 0.6, f"round {number}: order correlates with {label} (rho={rho:.2f})"
        orders.append([a.entry_id for a in listed])
        judging_round.status = "closed"  # the next round's list only
        db.session.commit()
    assert orders[0] != orders[1] and orders[1] != orders[2] and orders[0] != orders[2]
    # Averaged over the three rounds, the correlation with the entry ids is near zero.
    mean = sum(abs(spearmanr(range(N), order).statistic) for order in orders) / 3
    assert mean < 0.35, mean


def test_each_round_gets_its_own_random_secret_and_no_form_asks_for_it(app, edition, make_entries):
    from judging.models import Round, order_key
    from judging.rounds.forms import RoundForm

    entries = make_entries(2)
    first, second = make_round(edition, 1, entries), make_round(edition, 2, entries)
    assert re.fullmatch(r"[0-9a-f]{64}", first.order_secret) and first.order_secret != second.order_secret
    assert order_key(first.order_secret, 7) != order_key(second.order_secret, 7)
    assert 0 <= order_key(first.order_secret, 2**40) < 2**31
    with app.test_request_context():
        assert "order_secret" not in RoundForm()._fields
    assert Round.order_secret.default is not None and not isinstance(Round.order_secret.default.arg, str)
