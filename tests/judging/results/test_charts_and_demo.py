"""The SVG charts (pure) and the demo's judging data."""
from __future__ import annotations

from sqlalchemy import func, select

from core.db import db
from judging.results import charts


def test_bins_count_every_value_once_and_close_the_last_interval():
    counts = charts.bins([0, 0.5, 1, 9.99, 10, 10], 0, 10)
    assert len(counts) == 10
    assert [b.count for b in counts] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 3]
    assert sum(b.count for b in charts.bins([-1, 11], 0, 10)) == 2  # clamped, never lost


def test_histogram_has_a_title_per_bar_and_no_inline_style():
    svg = charts.histogram("h", charts.bins([1, 2, 2, 7]), "Totals", "Four totals", "%(lo)s to %(hi)s: %(n)d", "Total")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'role="img"' in svg
    assert svg.count("<rect") == 10 and "<title>2 to 3: 2</title>" in svg
    assert "style" not in svg and "<script" not in svg


def test_dot_plot_escapes_names():
    svg = charts.dot_plot("d", [charts.Dot("<script>alert(1)</script>", 5, 1, "Evil & co")], 5.0,
                          "Jurors", "desc", "Mean", "All")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Evil &amp; co" in svg


def test_empty_dot_plot_still_draws():
    assert "</svg>" in charts.dot_plot("d", [], None, "Jurors", "desc", "Mean", "All")


def test_demo_has_seven_jurors_an_open_round_with_work_left_and_a_judged_past_edition(app):
    from accounts.models import Role, User
    from competition.models import Edition
    from demo.build import load_demo
    from judging.models import Assignment, Award, JurorProfile, Round, ScoreSet
    from judging.results import service as results_service

    load_demo("demo password for tests")
    db.session.commit()
    jurors = [u for u in db.session.scalars(select(User)) if u.has_role(Role.JUROR)]
    assert {u.email for u in jurors} >= {f"juror{n}@example.org" for n in ("", 2, 3, 4, 5, 6)}
    assert db.session.scalar(select(func.count(JurorProfile.user_id))) == 7  # Bruno Both, juror and coordinator
    current = Edition.current()
    judging_round = db.session.scalar(select(Round).where(Round.edition_id == current.id))
    assert (judging_round.number, judging_round.jurors_per_entry, judging_round.status) == (1, 3, "open")

    def statuses(round_id, juror=None):
        query = (select(ScoreSet.status, func.count()).join(Assignment, Assignment.id == ScoreSet.assignment_id)
                 .where(Assignment.round_id == round_id).group_by(ScoreSet.status))
        return dict(db.session.execute(query.where(Assignment.juror_id == juror.id) if juror else query).all())

    def assigned(round_id, juror=None):
        query = select(func.count(Assignment.id)).where(Assignment.round_id == round_id)
        return db.session.scalar(query.where(Assignment.juror_id == juror.id) if juror else query)

    now = statuses(judging_round.id)
    assert now["draft"] >= 1 and now["submitted"] > 10 * now["draft"]
    # juror@example.org has entries left: some drafts, some not started.
    main = User.by_email("juror@example.org")
    mine = statuses(judging_round.id, main)
    assert mine["draft"] == 2 and assigned(judging_round.id, main) - sum(mine.values()) == 3
    # No awards in the open edition; last year's is closed, judged, awarded and published.
    assert db.session.scalar(select(func.count(Award.id)).where(Award.edition_id == current.id)) == 0
    past = db.session.scalar(select(Edition).where(Edition.is_current.is_(False)))
    past_round = db.session.scalar(select(Round).where(Round.edition_id == past.id))
    assert past_round.status == "closed" and past.results_published_at is not None
    assert statuses(past_round.id) == {"submitted": assigned(past_round.id)}
    awards = db.session.scalars(select(Award).where(Award.edition_id == past.id)).all()
    assert {a.kind for a in awards} == {"first", "second", "third", "special", "publication"}
    poems = next(c for c in current.categories if (c.age_group, c.discipline) == ("11-18", "poem"))
    res = results_service.load_category(judging_round, poems)
    assert len(res.rows) >= 5 and res.group.bias.connected
    severe = min(res.group.jurors.values(), key=lambda j: j.bias)
    assert res.jurors[severe.juror_id] == "Jan Kowalski"
