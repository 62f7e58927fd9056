"""The secretariat's results pages: ranking, one entry's scores, calibration, shortlist and awards."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accounts.models import Role
from competition.models import Edition, Entry
from core.db import db
from core.permissions import get_or_404, roles_required
from core.templating import localfixed
from judging import bp
from judging.models import Award, AwardKind, Round, ScoringMethod
from judging.results import charts, operations, service, store
from judging.results import evidence as evidence_service
from judging.results.forms import AwardForm, MethodForm, ShortlistForm

PAGE_ROWS = 100  # rows shown before "show all"


def _category(round_: Round):
    """The category asked for in ``?category=``, else the first enabled one; 404 if it is not this edition's."""
    categories = [c for c in round_.edition.categories if c.enabled]
    wanted = request.args.get("category", type=int)
    if wanted is None:
        if not categories:
            abort(404)
        return categories, categories[0]
    chosen = next((c for c in round_.edition.categories if c.id == wanted), None)
    if chosen is None:
        abort(404)
    return categories, chosen


def _context(round_: Round, **kwargs) -> dict:
    rounds = db.session.scalars(select(Round).where(Round.edition_id == round_.edition_id).order_by(Round.number)).all()
    return dict(round=round_, rounds=rounds, method_titles={m.value: m.title for m in ScoringMethod}, **kwargs)


@bp.get("/results/")
@bp.get("/rounds/<int:round_id>/results")
@roles_required(Role.SECRETARIAT)
def results(round_id: int | None = None):
    if round_id is None:
        edition = Edition.current()
        first = edition and db.session.scalar(
            select(Round).where(Round.edition_id == edition.id).order_by(Round.number).limit(1))
        if not first:
            return render_template("judging/results/no_round.html")
        return redirect(url_for("judging.results", round_id=first.id))
    # The round with its edition (one statement), then the edition's categories for the tabs (one more).
    round_ = get_or_404(Round, round_id, options=(joinedload(Round.edition).selectinload(Edition.categories),))
    categories, category = _category(round_)
    res, freshness = store.load_ranking(round_, category)  # stored by the task queue (results_store.py)
    show_all = request.args.get("all") == "1"
    rows = res.rows if show_all else res.rows[:PAGE_ROWS]
    form = MethodForm(method=round_.method)
    evidence = store.evidence(res, freshness)  # needs the live scores: cached per inputs' version
    unsubmitted = evidence_service.unsubmitted(res)
    return render_template("judging/results/ranking.html", **_context(
        round_, categories=categories, category=category, res=res, form=form, page_rows=PAGE_ROWS,
        evidence=evidence, unsubmitted=unsubmitted,
        evidence_html=store.evidence_html(res, freshness, evidence, unsubmitted),
        rows=rows, endpoint="judging.results", rows_html=store.rows_html(res, rows, round_, freshness, evidence),
        freshness=freshness, recompute_form=FlaskForm()))


@bp.post("/rounds/<int:round_id>/results/recompute")
@roles_required(Role.SECRETARIAT)
def recompute_results(round_id: int):
    """Queue the ranking of one category again (the page shows this button while the stored one is out of date)."""
    round_ = get_or_404(Round, round_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    _categories, category = _category_from(round_, request.form.get("category", type=int))
    store.schedule(round_.id, category.id, delay=0)  # queued with the request's commit
    flash(_("The ranking is being updated. Reload the page in a few seconds."), "success")
    return redirect(url_for("judging.results", round_id=round_.id, category=category.id))


def _category_from(round_: Round, wanted: int | None):
    """The category posted, else the first enabled one (as on the page); 404 if it is not this edition's."""
    categories = round_.edition.categories
    chosen = next((c for c in categories if c.id == wanted), None) if wanted is not None else next(
        (c for c in categories if c.enabled), None)
    if chosen is None:
        abort(404)
    return None, chosen


@bp.post("/rounds/<int:round_id>/method")
@roles_required(Role.SECRETARIAT)
def set_method(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = MethodForm()
    category = request.form.get("category", type=int)
    if form.validate_on_submit():
        operations.set_method(round_, form.method.data)
        flash(_("The ranking method is now: %(method)s.", method=ScoringMethod(round_.method).title), "success")
        return redirect(url_for("judging.results", round_id=round_.id, category=category))
    categories, chosen = _category(round_)
    res = service.load_category(round_, chosen)
    return render_template("judging/results/ranking.html", **_context(
        round_, categories=categories, category=chosen, res=res, form=form, page_rows=PAGE_ROWS,
        rows=res.rows[:PAGE_ROWS], endpoint="judging.results")), 400


@bp.get("/rounds/<int:round_id>/results/entries/<int:entry_id>")
@roles_required(Role.SECRETARIAT)
def result_entry(round_id: int, entry_id: int):
    round_ = get_or_404(Round, round_id)
    entry = get_or_404(Entry, entry_id, lambda e: e.can_view(current_user) and e.category.edition_id == round_.edition_id)
    res = service.load_category(round_, entry.category)
    score_sets = service.entry_scores(round_, entry.id)
    if entry.id not in res.entries:
        abort(404)  # not in this round
    return render_template("judging/results/entry.html", **_context(
        round_, entry=entry, res=res, row=res.row(entry.id), score_sets=score_sets, criteria=res.criteria))


@bp.get("/rounds/<int:round_id>/calibration")
@roles_required(Role.SECRETARIAT)
def calibration(round_id: int):
    round_ = get_or_404(Round, round_id)
    categories, category = _category(round_)
    res = service.load_category(round_, category)
    histogram = dot_plot = None
    jurors = []
    if res.has_scores:
        group = res.group
        jurors = sorted(group.jurors.values(), key=lambda j: (j.mean, res.jurors.get(j.juror_id, "")))
        histogram = charts.histogram(
            "hist", charts.bins(group.totals.values(), *service.SCALE),
            _("Distribution of the jurors' totals in %(category)s", category=category.title),
            _("%(n)d totals from 0 to 10, grouped by point; mean %(mean)s.", n=len(group.totals),
              mean=localfixed(group.overall_mean)),
            _("%(lo)s to %(hi)s: %(n)d totals"), _("Weighted total (0 to 10)"))
        dots = [charts.Dot(res.jurors.get(j.juror_id, "?"), j.mean, j.sd, _(
            "%(name)s: mean %(mean)s, standard deviation %(sd)s, %(n)d scores",
            name=res.jurors.get(j.juror_id, "?"), mean=localfixed(j.mean), sd=localfixed(j.sd), n=j.n)) for j in jurors]
        dot_plot = charts.dot_plot(
            "jurors", dots, group.overall_mean,
            _("Each juror's mean total ± one standard deviation in %(category)s", category=category.title),
            _("One row per juror, from the most severe to the most lenient; the dashed line is the mean of all totals."),
            _("Mean total (0 to 10)"), _("Mean of all totals: %(mean)s", mean=localfixed(group.overall_mean)))
    return render_template("judging/results/calibration.html", **_context(
        round_, categories=categories, category=category, res=res, jurors=jurors, histogram=histogram,
        dot_plot=dot_plot, endpoint="judging.calibration",
        bins=charts.bins(res.group.totals.values(), *service.SCALE) if res.has_scores else []))


@bp.route("/rounds/<int:round_id>/shortlist", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def shortlist(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = ShortlistForm()
    final = service.final_round(round_.edition_id)
    categories = [c for c in round_.edition.categories if c.enabled]
    if form.validate_on_submit():
        if final is not None and final.id == round_.id:
            abort(404)
        picked = {}
        for category in categories:
            res = service.load_category(round_, category)
            picked[category.id] = service.shortlist_ids(res, form.top_n.data, form.threshold.data)
        final, added = operations.make_shortlist(round_, picked, {"rule": form.rule.data, "top_n": form.top_n.data,
                                                                  "threshold": form.threshold.data})
        flash(ngettext("%(num)d entry added to the final round.", "%(num)d entries added to the final round.", added) if added else
              _("No entry was added: they are already in the final round, or none matches."), "success")
        return redirect(url_for("judging.shortlist", round_id=round_.id))
    counts = service.shortlist_counts(final)
    status = 400 if form.errors else 200
    return render_template("judging/results/shortlist.html", **_context(
        round_, form=form, final=final, counts=counts, categories=categories)), status


def _award_page(round_: Round, form: AwardForm, status: int = 200):
    categories, category = _category(round_)
    res = service.load_category(round_, category)
    ranked = {r.entry_id for r in res.rows}
    form.entry.choices = [("", _("Choose an entry"))] + [
        (str(r.entry_id), f"{r.ranked.rank}. {r.reference} · {r.title}") for r in res.rows] + [
        (str(entry_id), _("%(reference)s · %(title)s (not ranked: needs a reason)", reference=ref, title=title))
        for entry_id, (ref, title) in sorted(res.entries.items(), key=lambda e: e[1][0]) if entry_id not in ranked]
    awards = service.category_awards(round_.edition_id, category.id)
    by_entry: dict = {}
    for award in awards:
        by_entry.setdefault(award.entry_id, []).append(award)
    return render_template("judging/results/awards.html", **_context(
        round_, categories=categories, category=category, res=res, form=form, awards=awards, by_entry=by_entry,
        kinds=AwardKind, endpoint="judging.awards", unsubmitted=evidence_service.unsubmitted(res),
        boundary_ties=service.prize_ties(res))), status


@bp.route("/rounds/<int:round_id>/awards", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def awards(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = AwardForm()
    if request.method == "POST":
        _categories, category = _category(round_)
        if form.validate_on_submit():
            entry = db.session.get(Entry, form.entry_id()) if form.entry_id() else None
            problem = service.award_problem(round_.edition_id, category, entry, form.kind.data)
            res = None if problem else service.load_category(round_, category)
            exceptions = [] if problem else service.award_exceptions(res, entry, form.kind.data)
            if exceptions and not form.reason.data:
                problem = "reason", service.exception_message(exceptions, entry, res)
            if problem is None:
                operations.give_award(round_.edition_id, category, entry, form.kind.data, form.note.data or "",
                                      current_user, exceptions=exceptions, reason=form.reason.data or "")
                flash(_("%(award)s given to %(reference)s.", award=AwardKind(form.kind.data).title,
                        reference=entry.reference), "success")
                return redirect(url_for("judging.awards", round_id=round_.id, category=category.id))
            field, message = problem
            getattr(form, field).errors.append(message)
        return _award_page(round_, form, 400)
    return _award_page(round_, form)


@bp.post("/rounds/<int:round_id>/awards/<int:award_id>/remove")
@roles_required(Role.SECRETARIAT)
def remove_award(round_id: int, award_id: int):
    round_ = get_or_404(Round, round_id)
    award = get_or_404(Award, award_id, lambda a: a.edition_id == round_.edition_id)
    category_id = award.category_id
    operations.remove_award(award)
    flash(_("The award was removed."), "success")
    return redirect(url_for("judging.awards", round_id=round_.id, category=category_id))
