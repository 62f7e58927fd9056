"""Results of a round: submitted scores loaded in a fixed number of queries and fed to the aggregation library.

Every loader here issues the same number of SQL queries whatever the number of entries, jurors
or scores (tests/judging/results/test_query_count.py). The state changes (method, shortlist,
awards, ties, publishing) are in operations.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cachetools import LRUCache
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, case, func, select

from accounts.models import User
from competition.models import Category, Entry, EntryStatus
from core.db import db
from judging.aggregation import methods as agg
from judging.models import (
    Assignment,
    Award,
    AwardKind,
    Criterion,
    Round,
    ScoreSet,
    ScoreStatus,
    ScoreValue,
    ScoringMethod,
    ShortlistEntry,
    TieOrder,
)

METHODS = tuple(m.value for m in ScoringMethod)
PLACES = (AwardKind.FIRST, AwardKind.SECOND, AwardKind.THIRD)
SCALE = (0.0, 10.0)  # where the weighted totals live, whatever each criterion's own scale
FINAL_ROUND_NUMBER = 2
TAU_LIMIT = 400  # Kendall's tau is O(n²): shown for categories up to this size


@dataclass
class Row:
    entry_id: int
    reference: str
    title: str
    stats: agg.EntryStats
    ranked: agg.RankedEntry
    ranks: dict  # method -> rank under that method

    @property
    def value(self) -> float | None:
        return self.ranked.value


@dataclass
class CategoryResults:
    round: Round
    category: Category
    method: str
    criteria: list = field(default_factory=list)  # model Criterion rows of the rubric used
    group: agg.GroupResult | None = None
    rankings: dict = field(default_factory=dict)  # method -> Ranking
    agreement: dict = field(default_factory=dict)  # method -> Kendall's tau with the mean (up to TAU_LIMIT entries)
    rows: list[Row] = field(default_factory=list)  # in the order of the round's method
    entries: dict = field(default_factory=dict)  # entry id -> (reference, title)
    jurors: dict = field(default_factory=dict)  # juror id -> name
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    skipped: int = 0  # submitted score sets left out: missing values or another rubric's criteria
    notes: list[str] = field(default_factory=list)  # translated warnings
    combined_rounds: int = 1  # a later round ranks on its own scores and those of earlier rounds (final_round.py)

    @property
    def has_scores(self) -> bool:
        return self.group is not None and bool(self.group.entries)

    def row(self, entry_id: int) -> Row | None:
        return next((r for r in self.rows if r.entry_id == entry_id), None)

    @property
    def unresolved_ties(self) -> list[list[Row]]:
        groups: dict = {}
        for r in self.rows:
            if r.ranked.resolution == "secretariat_decides":
                groups.setdefault((r.ranked.tie_group, r.ranked.rank), []).append(r)
        return list(groups.values())


def _in_round(round_: Round, category_id: int):
    """The filter shared by every query: this round's assignments of this category's submitted entries."""
    return and_(Assignment.round_id == round_.id, Entry.category_id == category_id,
                Entry.status == EntryStatus.SUBMITTED)


def _evidence(round_: Round, category_id: int):
    """The score sets a round ranks on: its own, and for a later round (the final) also those of earlier rounds
    for the entries it holds, so the final ranking fits one model on both rounds' scores
    (``final_round.combine_rounds``: a juror who scored an entry twice counts once, with the later score)."""
    if round_.number == 1:
        return _in_round(round_, category_id)
    return and_(Assignment.round_id.in_(select(Round.id).where(Round.edition_id == round_.edition_id,
                                                               Round.number <= round_.number)),
                Assignment.entry_id.in_(select(Assignment.entry_id).where(Assignment.round_id == round_.id)),
                Entry.category_id == category_id, Entry.status == EntryStatus.SUBMITTED)


def tie_break_keys(round_: Round, criteria) -> tuple[str, ...]:
    """The round's named criterion first, then the others in the rubric's order."""
    keys = [c.key for c in criteria]
    first = [round_.tie_criterion_key] if round_.tie_criterion_key in keys else []
    return tuple(first + [k for k in keys if k not in first])


def load_category(round_: Round, category: Category, method: str | None = None,
                  manual_order: tuple | list | None = None) -> CategoryResults:
    """Aggregate one category of a round: seven queries, whatever its size.

    ``manual_order``: the secretariat's order of entry ids for ties that the criteria leave (passed to the
    ranking: a tie whose entries it all lists is decided, see ``aggregation_ranking.rank_entries``)."""
    method = method if method in METHODS else round_.method
    res = CategoryResults(round=round_, category=category, method=method)
    if manual_order is None:
        manual_order = configured_tie_order(round_.id, category.id)
    where = _in_round(round_, category.id)
    scored = _evidence(round_, category.id)
    base = select(Assignment.id).join(Entry, Entry.id == Assignment.entry_id).where(scored)
    res.combined_rounds = 1 if round_.number == 1 else round_.number

    counts = db.session.execute(
        select(func.count(Assignment.id),
               func.count(case((ScoreSet.status == ScoreStatus.SUBMITTED, 1))),
               func.count(case((ScoreSet.status == ScoreStatus.DRAFT, 1))))
        .select_from(Assignment).join(Entry, Entry.id == Assignment.entry_id)
        .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id).where(where)).one()
    res.assigned, res.submitted, res.drafts = counts
    sets = db.session.execute(
        select(ScoreSet.id, ScoreSet.rubric_id, Assignment.juror_id, Assignment.entry_id)
        .join(Assignment, Assignment.id == ScoreSet.assignment_id).join(Entry, Entry.id == Assignment.entry_id)
        .where(scored, ScoreSet.status == ScoreStatus.SUBMITTED)
        .order_by(Assignment.round_id, ScoreSet.id)).all()
    values = db.session.execute(
        select(ScoreValue.score_set_id, ScoreValue.criterion_id, ScoreValue.value)
        .join(ScoreSet, ScoreSet.id == ScoreValue.score_set_id)
        .where(ScoreSet.assignment_id.in_(base), ScoreSet.status == ScoreStatus.SUBMITTED)
        .order_by(ScoreValue.id)).all()
    criteria = db.session.scalars(
        select(Criterion).where(Criterion.rubric_id.in_(
            select(ScoreSet.rubric_id).where(ScoreSet.assignment_id.in_(base))))
        .order_by(Criterion.rubric_id, Criterion.position)).all()
    res.entries = {i: (ref, title) for i, ref, title in db.session.execute(
        select(Entry.id, Entry.reference, Entry.title).where(
            Entry.id.in_(select(Assignment.entry_id).join(Entry, Entry.id == Assignment.entry_id).where(where))))}
    res.jurors = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_(select(Assignment.juror_id).join(Entry, Entry.id == Assignment.entry_id).where(scored)))).all())

    if not sets or not criteria:
        res.skipped = len(sets)
        return res
    # The newest rubric used defines the criteria; an older version counts when its keys and scales match.
    by_rubric: dict = {}
    for c in criteria:
        by_rubric.setdefault(c.rubric_id, []).append(c)
    newest = max(by_rubric)
    res.criteria = by_rubric[newest]
    shape = [(c.key, c.scale_min, c.scale_max) for c in res.criteria]
    usable = {rid for rid, cs in by_rubric.items() if [(c.key, c.scale_min, c.scale_max) for c in cs] == shape}
    options = agg.AggregationOptions(scale=SCALE, tie_break_criteria=tie_break_keys(round_, res.criteria))
    res.group, res.rankings, res.skipped, res.agreement = _aggregate(round_.id, category.id, criteria, res.criteria, usable, sets,
                                                      values, options, tuple(manual_order or ()))
    if res.skipped:
        res.notes.append(ngettext(
            "%(num)d submitted score set is left out: it misses a value, is off the scale or uses another rubric.",
            "%(num)d submitted score sets are left out: they miss a value, are off the scale or use another rubric.",
            res.skipped))
    if res.group is None:
        return res
    ranks = {m: {r.entry_id: r.rank for r in ranking.entries} for m, ranking in res.rankings.items()}
    for ranked in res.rankings[method].entries:
        ref, title = res.entries.get(ranked.entry_id, ("", ""))
        res.rows.append(Row(ranked.entry_id, ref, title, res.group.entries[ranked.entry_id], ranked,
                            {m: ranks[m][ranked.entry_id] for m in METHODS}))
    res.notes[:0] = dict.fromkeys(n for n in map(_note, res.group.warnings + res.rankings[method].warnings) if n)
    return res


def configured_tie_order(round_id: int, category_id: int) -> list[int]:
    """The secretariat's decided tie orders (``TieOrder``) as one ``manual_order``, the latest decision last so that
    it wins where two decisions share entries."""
    return [i for order in db.session.scalars(select(TieOrder.entry_ids).where(
        TieOrder.round_id == round_id, TieOrder.category_id == category_id).order_by(TieOrder.id))
        for i in order]


_CACHE = LRUCache(maxsize=24)  # the whole input -> _aggregate's result; per process


def _aggregate(round_id, category_id, criteria, used, usable, sets, values, options, manual_order=()):
    """(group, {method: ranking}, sets left out, {method: tau with the mean}), reused when the input rows are exactly the same.

    The key covers everything the library reads (the criteria, the options, every score set and
    value row as loaded), so a changed, added or removed score is never served from the cache.
    """
    key = (round_id, category_id, options, len(sets), len(values), hash(tuple(sets)), hash(tuple(values)),
           tuple((c.id, c.rubric_id, c.key, c.weight, c.scale_min, c.scale_max, c.step) for c in criteria),
           tuple(sorted(usable)), manual_order)
    if key in _CACHE:
        return _CACHE[key]
    key_of = {c.id: c.key for c in criteria}
    per_set: dict = {}
    for set_id, criterion_id, value in values:
        if value is not None:
            per_set.setdefault(set_id, {})[key_of[criterion_id]] = float(value)
    crit = [agg.Criterion(key=c.key, weight=float(c.weight), min=float(c.scale_min), max=float(c.scale_max),
                          step=float(c.step)) for c in used]
    wanted = {c.key for c in crit}
    latest, skipped = {}, 0  # (juror, entry) -> the juror's latest score set (a final round after round 1)
    for set_id, rubric_id, juror_id, entry_id in sets:
        vals = per_set.get(set_id, {})
        if rubric_id not in usable or set(vals) != wanted or not _valid(crit, vals):
            skipped += 1
            continue
        latest[(juror_id, entry_id)] = agg.ScoreSet(juror_id=juror_id, entry_id=entry_id, values=vals)
    score_sets = list(latest.values())
    group, rankings = None, {}
    if score_sets:
        group = agg.aggregate_group(crit, score_sets, options, round_id=round_id, category=category_id)
        rankings = {m: agg.rank(group, m, options, manual_order=manual_order or None) for m in METHODS}
    agreement = {}
    if group is not None and 2 < len(group.entries) <= TAU_LIMIT:
        stats = list(group.entries.values())
        agreement = {m: agg.kendall_tau([st.mean for st in stats], [getattr(st, m) for st in stats])
                     for m in METHODS if m != "mean"}
    _CACHE[key] = result = (group, rankings, skipped, agreement)
    return result


def _valid(crit, values) -> bool:
    try:
        agg.weighted_total(crit, values, SCALE)
    except ValueError:  # off the scale or the step: the scoring form should have refused it
        return False
    return True


def _note(reason) -> str | None:
    if reason.code == "design_not_linked":
        return _("The jurors of this category form %(n)d separate groups with no entry in common: the bias adjustment "
                 "compares the groups only through the overall level of the entries each group scored. Give a few "
                 "entries a juror from another group to compare them directly.", n=reason.params.get("components", 0))
    return None  # disagreements and ties are shown on their rows


def entry_scores(round_: Round, entry_id: int) -> list[ScoreSet]:
    """Every juror's score set for one entry in a round, with values, criteria and jurors: three queries."""
    from sqlalchemy.orm import joinedload, selectinload

    return list(db.session.scalars(
        select(ScoreSet).join(Assignment, Assignment.id == ScoreSet.assignment_id)
        .where(Assignment.round_id == round_.id, Assignment.entry_id == entry_id)
        .options(joinedload(ScoreSet.assignment).joinedload(Assignment.juror),
                 selectinload(ScoreSet.values).joinedload(ScoreValue.criterion))
        .order_by(Assignment.position, Assignment.id)).unique())


def shortlist_ids(results: CategoryResults, top_n: int | None = None, threshold: float | None = None) -> list[int]:
    """Top ``top_n`` by rank (a tie at the boundary goes through together), or value at or above ``threshold``."""
    if top_n is not None:
        return [r.entry_id for r in results.rows if r.ranked.rank <= top_n]
    return [r.entry_id for r in results.rows if r.value is not None and r.value >= threshold - 1e-9]


def final_round(edition_id: int) -> Round | None:
    return db.session.scalar(select(Round).where(Round.edition_id == edition_id, Round.number == FINAL_ROUND_NUMBER))


def shortlist_counts(final: Round | None) -> dict[int, int]:
    if final is None:
        return {}
    return dict(db.session.execute(
        select(Entry.category_id, func.count(ShortlistEntry.id)).join(Entry, Entry.id == ShortlistEntry.entry_id)
        .where(ShortlistEntry.round_id == final.id).group_by(Entry.category_id)).all())


def category_awards(edition_id: int, category_id: int) -> list[Award]:
    return list(db.session.scalars(select(Award).where(Award.edition_id == edition_id,
                                                       Award.category_id == category_id).order_by(Award.id)))


def award_problem(edition_id: int, category: Category, entry: Entry | None, kind: str) -> tuple[str, str] | None:
    """(field, message saying how to fix it) when this award cannot be given; None when it can."""
    if entry is None or entry.category_id != category.id or entry.category.edition_id != edition_id:
        return "entry", _("Choose an entry of this category.")
    if entry.status != EntryStatus.SUBMITTED:
        return "entry", _("Only an entry still in the competition can get an award: this one is %(status)s.",
                          status=entry.status_enum.title.lower())
    if kind not in {k.value for k in AwardKind}:
        return "kind", _("Choose an award from the list.")
    existing = category_awards(edition_id, category.id)
    if any(a.entry_id == entry.id and a.kind == kind for a in existing):
        return "kind", _("This entry already has this award.")
    if kind in PLACES and any(a.kind == kind for a in existing):
        return "kind", _("This category already has a %(award)s. Remove it first to give it to another entry.",
                 award=AwardKind(kind).title)
    return None


# Rules an award may break only with a reason typed by the secretariat, recorded in the audit log. One reason
# covers every rule broken; the audit names the rules.
NOT_RANKED = "not_ranked"
SCORING_OPEN = "scoring_open"  # the category still has assignments without a submitted score set
TIE_AT_BOUNDARY = "tie_at_boundary"  # a place award to an entry of an unbroken tie across a prize place


def prize_ties(results: CategoryResults) -> list:
    """Unbroken ties across a prize place (1, 2, 3) in the round's ranking (``agg.BoundaryTie``)."""
    if results.method not in results.rankings:
        return []
    return agg.boundary_ties(results.rankings[results.method], range(1, len(PLACES) + 1))


def award_exceptions(results: CategoryResults, entry: Entry, kind: str | None = None) -> list[str]:
    """The rules that giving ``entry`` the award ``kind`` in this round breaks (codes); empty when none."""
    exceptions = []
    if results.row(entry.id) is None:
        exceptions.append(NOT_RANKED)  # no scores counted in this round's ranking
    if results.assigned > results.submitted:
        exceptions.append(SCORING_OPEN)
    if kind in PLACES and any(entry.id in tie.entries for tie in prize_ties(results)):
        exceptions.append(TIE_AT_BOUNDARY)
    return exceptions


def exception_message(exceptions: list[str], entry: Entry, results: CategoryResults | None = None) -> str:
    """What to do about ``exceptions``, for the reason field's error."""
    open_sets = max(0, results.assigned - results.submitted) if results is not None else 0
    texts = {NOT_RANKED: _("%(reference)s is not ranked in this round: no scores of it are counted in the ranking.",
                           reference=entry.reference),
             SCORING_OPEN: ngettext("Scoring is not finished in this category: %(num)d assignment has no submitted "
                                    "score set.", "Scoring is not finished in this category: %(num)d assignments "
                                    "have no submitted score set.", open_sets),
             TIE_AT_BOUNDARY: _("%(reference)s is in a tie that the rubric does not break, across a prize place: "
                                "the ranking does not say which of the tied entries gets it.",
                                reference=entry.reference)}
    return " ".join([*(texts[code] for code in exceptions),
                     _("Choose another entry, or type the reason for this award: it is recorded in the audit log.")])
