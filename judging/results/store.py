"""The ranking, computed in the task queue and stored: the ranking page reads it instead of recomputing.

``load_category`` (results_service) loads every submitted score of a category and runs the four
methods: close to a second at 10,000 entries. Here a task does that when scores change (debounced:
a burst of submissions costs one run) and stores, per round and category, the rows under every
method with the *inputs' version*: a digest of the submitted score sets (their number, ids,
rubrics and last change), the round's tie-break criterion, its tie orders and the category's current
rubric, and with the inputs' revision token (judging/results/inputs.py). While the token is unchanged
the page knows the stored ranking is up to date without a query; otherwise it compares the stored
version with the current one (one aggregate query, once per process and token).

A stored ranking holds references and titles only: the same as the live page, nothing about pupils.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from cachetools import LRUCache
from flask import render_template
from flask_babel import get_locale, ngettext
from markupsafe import Markup
from sqlalchemy import func, select

from competition.models import Category, Entry
from core import tasks
from core.db import db, utcnow
from judging.aggregation import methods as agg
from judging.aggregation.ranking import RankedEntry
from judging.models import Assignment, RankingSnapshot, Round, Rubric, ScoreSet, ScoreStatus, ScoreValue, TieOrder
from judging.results import inputs, service

DEBOUNCE_SECONDS = 5
# Per-process caches, the least recently used dropped first (_memo).
_PARSED = LRUCache(maxsize=16)  # (snapshot id, version, method) -> parsed data
_HTML = LRUCache(maxsize=64)  # rendered rows and evidence notices, see rows_html and evidence_html
_EVIDENCE = LRUCache(maxsize=16)  # (round, category, inputs' version, method, N) -> Evidence; see evidence
_CURRENT = LRUCache(maxsize=64)  # (snapshot id, its version, token now) -> the inputs' version now


@dataclass
class Freshness:
    computed_at: datetime | None
    stale: bool
    snapshot: tuple | None = None  # (id, inputs' version) of the stored ranking shown; None when computed live
    current: str | None = None  # the inputs' version now (the evidence's cache key)

    @property
    def age_seconds(self) -> int | None:
        return None if self.computed_at is None else max(0, int((utcnow() - self.computed_at).total_seconds()))


class StoredResults(service.CategoryResults):
    """A ``CategoryResults`` rebuilt from a snapshot: rows, counts, notes; no score-level detail (``group``)."""

    ranked_count: int = 0
    stored_evidence: dict | None = None  # the evidence the task stored with the ranking (results_store.evidence)
    stored_ties: list | None = None  # unresolved_ties of the stored rows, found once per process (_parsed)

    @property
    def unresolved_ties(self) -> list:
        return self.stored_ties if self.stored_ties is not None else super().unresolved_ties

    @property
    def has_scores(self) -> bool:
        return self.ranked_count > 0


def inputs_version(round_: Round, category_id: int) -> str:
    """The digest of what the ranking is made from: one aggregate query, whatever the size (the round's tie orders
    of the category, and its current rubric, are read by the same statement, as scalar subqueries)."""
    submitted = ScoreSet.status == ScoreStatus.SUBMITTED
    of_category = (TieOrder.round_id == round_.id, TieOrder.category_id == category_id)
    current_rubric = (Rubric.category_id == category_id, Rubric.is_current.is_(True))
    assigned, count, ids, rubrics, changed, ties, last_tie, rubric_id, rubric_revision = db.session.execute(
        select(func.count(Assignment.id), func.count(ScoreSet.id).filter(submitted),
               func.coalesce(func.sum(ScoreSet.id).filter(submitted), 0),
               func.coalesce(func.sum(ScoreSet.rubric_id).filter(submitted), 0),
               func.max(ScoreSet.updated_at).filter(submitted),
               select(func.count(TieOrder.id)).where(*of_category).scalar_subquery(),
               select(func.coalesce(func.max(TieOrder.id), 0)).where(*of_category).scalar_subquery(),
               select(func.max(Rubric.id)).where(*current_rubric).scalar_subquery(),
               select(func.max(Rubric.revision)).where(*current_rubric).scalar_subquery())
        .select_from(Assignment).join(Entry, Entry.id == Assignment.entry_id)
        .outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(service._in_round(round_, category_id))).one()
    # The submitted values themselves: a value changed without its score set (a correction in the database) too.
    values, total, weighted = db.session.execute(
        select(func.count(ScoreValue.id), func.coalesce(func.sum(ScoreValue.value), 0),
               func.coalesce(func.sum(ScoreValue.value * ScoreValue.criterion_id), 0))
        .select_from(ScoreValue).join(ScoreSet, ScoreSet.id == ScoreValue.score_set_id)
        .join(Assignment, Assignment.id == ScoreSet.assignment_id).join(Entry, Entry.id == Assignment.entry_id)
        .where(submitted, service._in_round(round_, category_id))).one()
    text = (f"{count}|{ids}|{rubrics}|{changed}|{assigned}|{round_.tie_criterion_key}|{ties}|{last_tie}"
            f"|{rubric_id}|{rubric_revision}|{values}|{Decimal(total).normalize()}|{Decimal(weighted).normalize()}")
    return hashlib.sha256(text.encode()).hexdigest()


def schedule(round_id: int, category_id: int, *, delay: float = DEBOUNCE_SECONDS) -> None:
    """Recompute this round's category after the current transaction commits (one run per burst)."""
    tasks.defer("results", {"round_id": round_id, "category_id": category_id},
                key=f"results:{round_id}:{category_id}", delay=delay)


@tasks.handler("results")
def _recompute_task(payload: dict) -> None:
    round_ = db.session.get(Round, payload["round_id"])
    category = db.session.get(Category, payload["category_id"])
    if round_ is not None and category is not None:
        recompute(round_, category)


def recompute(round_: Round, category: Category) -> RankingSnapshot:
    """Compute and store one category's ranking (flushes; the task or the caller commits)."""
    # The token first, then the version: a change made meanwhile leaves it stale (never current with old data).
    token = inputs.composed(inputs.current_token(db.session), round_.revision)
    version = inputs_version(round_, category.id)
    res = service.load_category(round_, category)
    data = _dump(res, _evidence_of(res))  # before the snapshot joins the session (its queries autoflush)
    snapshot = db.session.scalar(select(RankingSnapshot).where(
        RankingSnapshot.round_id == round_.id, RankingSnapshot.category_id == category.id))
    if snapshot is None:
        snapshot = RankingSnapshot(round_id=round_.id, category_id=category.id)
        db.session.add(snapshot)
    snapshot.inputs_version, snapshot.inputs_token, snapshot.computed_at, snapshot.data = version, token, utcnow(), data
    db.session.flush()
    return snapshot


def _evidence_of(res: service.CategoryResults) -> dict | None:
    """The evidence under the round's method, as stored with the ranking (the page rebuilds it: ``evidence``)."""
    from judging.results import evidence as evidence_service

    if not res.has_scores:
        return None
    ev = evidence_service.for_results(res)
    return {"method": res.method, "top_n": ev.top_n, "k": ev.k, "components": ev.components,
            "entries": [asdict(e) for e in ev.entries.values()],
            "weak_links": [asdict(w) for w in ev.weak_links],
            "boundary_ties": [[t.boundary, t.rank, list(t.entries), t.value] for t in ev.boundary_ties]}


def _evidence_from(data: dict):
    from judging.aggregation.ranking import BoundaryTie
    from judging.results.ranking_evidence import EntryEvidence, Evidence, WeakLink

    return Evidence(top_n=data["top_n"], k=data["k"], components=data["components"],
                    entries={e["entry_id"]: EntryEvidence(**e) for e in data["entries"]},
                    weak_links=[WeakLink(**{**w, "a": tuple(w["a"]), "b": tuple(w["b"])}) for w in data["weak_links"]],
                    boundary_ties=[BoundaryTie(b, r, tuple(e), v) for b, r, e, v in data["boundary_ties"]])


def _dump(res: service.CategoryResults, evidence: dict | None = None) -> str:
    stats = {}
    if res.has_scores:
        stats = {str(i): [asdict(s)[k] for k in _STAT_FIELDS] for i, s in res.group.entries.items()}
    warnings = []
    if res.group is not None:
        warnings = [[w.code, w.params] for w in res.group.warnings if w.code == "design_not_linked"]
    return json.dumps({
        "counts": [res.assigned, res.submitted, res.drafts, res.skipped],
        "entries": {str(i): list(v) for i, v in res.entries.items()},
        "stats": stats,
        "rankings": {m: [[r.entry_id, r.rank, r.value, r.rounded, r.tie_group, r.resolution] for r in ranking.entries]
                     for m, ranking in res.rankings.items()},
        "agreement": {m: (None if t != t else t) for m, t in res.agreement.items()},
        "warnings": warnings,
        "evidence": evidence,
    }, separators=(",", ":"))


_STAT_FIELDS = ("n", "mean", "median", "sd", "min", "max", "range", "disagreement", "zscore", "bias_adjusted")


def _parsed(snapshot_id: int, version: str, method: str) -> tuple[dict, list, dict, list]:
    """The snapshot's data, its rows in ``method``'s order, its entries and its unresolved ties, read and built
    once per process and version."""
    def build():
        data = json.loads(db.session.scalar(select(RankingSnapshot.data).where(RankingSnapshot.id == snapshot_id)))
        entries = {int(i): tuple(v) for i, v in data["entries"].items()}
        rows = _rows(data, method)
        ties = service.CategoryResults(round=None, category=None, method=method, rows=rows).unresolved_ties
        return data, rows, entries, ties

    return _memo(_PARSED, (snapshot_id, version, method), build)


def _memo(cache: LRUCache, key, build):
    """``cache[key]``, built by ``build()`` on a miss."""
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = build()
        return value


def _rows(data: dict, method: str) -> list:
    rankings, entries = data["rankings"], data["entries"]
    ranks = {m: {row[0]: row[1] for row in rows} for m, rows in rankings.items()}
    rows = []
    for entry_id, rank, value, rounded, tie_group, resolution in rankings.get(method, []):
        stats = agg.EntryStats(entry_id, *data["stats"][str(entry_id)], criterion_means={})
        ref, title = entries.get(str(entry_id), ("", ""))
        rows.append(service.Row(entry_id, ref, title, stats, RankedEntry(entry_id, rank, value, rounded, tie_group,
                                                                         resolution),
                                {m: ranks[m].get(entry_id) for m in rankings}))
    return rows


def load_ranking(round_: Round, category: Category) -> tuple[service.CategoryResults, Freshness]:
    """The stored ranking and whether it is up to date; computed here when none is stored yet.

    One statement reads the stored ranking's version and token with the current token: while the token is the
    stored one, the ranking is current; otherwise the inputs' version says (once per process and token)."""
    found = db.session.execute(select(RankingSnapshot.id, RankingSnapshot.inputs_version, RankingSnapshot.computed_at,
                                      RankingSnapshot.inputs_token, inputs.token_statement().label("token"))
                               .where(RankingSnapshot.round_id == round_.id,
                                      RankingSnapshot.category_id == category.id)).one_or_none()
    if found is None:  # a new round or category: compute it now, and store it once the page's work is done
        return service.load_category(round_, category), Freshness(None, True, current=inputs_version(round_, category.id))
    token = inputs.composed(found.token, round_.revision)
    if token is not None and token == found.inputs_token:
        current = found.inputs_version
    else:
        current = _current_version(round_, category.id, (found.id, found.inputs_version, token))
    method = round_.method if round_.method in service.METHODS else "mean"
    data, rows, entries, ties = _parsed(found.id, found.inputs_version, method)
    res = _rebuild(round_, category, data, rows, entries)
    res.stored_ties = ties
    return res, Freshness(found.computed_at, found.inputs_version != current, (found.id, found.inputs_version), current)


def _current_version(round_: Round, category_id: int, key: tuple) -> str:
    """The inputs' version now, once per process while the token (the key's last part) stays; every time without
    a token."""
    if key[-1] is None:
        return inputs_version(round_, category_id)
    return _memo(_CURRENT, key, lambda: inputs_version(round_, category_id))


def evidence(res: service.CategoryResults, freshness: Freshness):
    """How sure each place is (``evidence_service.for_results``), computed once per process and inputs' version.

    The results task stores it with the ranking under the round's method; it is used while it is current. Otherwise
    (another method, a stale ranking, a new shortlist) the category is loaded live (``load_category``, itself cached
    per input). The key holds the current inputs' version (scores,
    assignments, tie orders), the method and N (prizes plus the final round's shortlist), so any change that
    would change the evidence misses the cache.
    """
    from judging.results import evidence as evidence_service

    if res.group is not None or not res.has_scores:
        return evidence_service.for_results(res)
    n = evidence_service.top_n(res)

    def build():
        stored = getattr(res, "stored_evidence", None)  # made by the task with the ranking, when still current
        if (stored and not freshness.stale and stored["method"] == res.method and stored["top_n"] == n
                and stored["k"] == max(1, res.round.jurors_per_entry)):
            return _evidence_from(stored)
        return evidence_service.for_results(service.load_category(res.round, res.category))

    return _memo(_EVIDENCE, (res.round.id, res.category.id, freshness.current, res.method, n), build)


def rows_html(res: service.CategoryResults, rows: list, round_: Round, freshness: Freshness,
              evidence=None) -> Markup | None:
    """The table rows of a stored ranking, rendered once per process, ranking version, method, language and length,
    and the evidence's version (its chance bars and flags are in the rows).

    Rendering a hundred rows costs more than everything else on the page; they change only with the stored
    ranking (whose version covers the tie-break criterion the rows name), the evidence and the language.
    """
    if freshness.snapshot is None:
        return None
    shown = None if not evidence else (freshness.current, evidence.top_n, evidence.k)
    key = (*freshness.snapshot, res.method, str(get_locale()), len(rows), shown)
    return _memo(_HTML, key, lambda: Markup(render_template("judging/results/_ranking_rows.html", rows=rows, res=res,
                                                            round=round_, evidence=evidence)))


def evidence_html(res: service.CategoryResults, freshness: Freshness, evidence, unsubmitted: int) -> Markup | None:
    """The evidence notices above a stored ranking (templates/judging/results/_evidence.html), rendered once per
    process, ranking and evidence version, method, language and count of unsubmitted score sets.

    Its weak links, boundary ties and unsettled places come from the evidence (cached under the current inputs'
    version), the references of its ties from the stored ranking: the key holds both versions."""
    if freshness.snapshot is None or not evidence:
        return None
    key = ("evidence", *freshness.snapshot, freshness.current, res.method, str(get_locale()), evidence.top_n,
           evidence.k, unsubmitted)
    return _memo(_HTML, key, lambda: Markup(render_template("judging/results/_evidence.html", res=res,
                                                            evidence=evidence, unsubmitted=unsubmitted)))


def _rebuild(round_: Round, category: Category, data: dict, rows: list, entries: dict) -> StoredResults:
    res = StoredResults(round=round_, category=category, method=round_.method)
    res.assigned, res.submitted, res.drafts, res.skipped = data["counts"]
    res.entries = entries  # shared too
    res.agreement = {m: (float("nan") if t is None else t) for m, t in data["agreement"].items()}
    res.rows = list(rows)  # the rows are shared by the requests of this process: never changed
    res.ranked_count = len(res.rows)
    res.stored_evidence = data.get("evidence")
    if res.skipped:
        res.notes.append(ngettext(
            "%(num)d submitted score set is left out: it misses a value, is off the scale or uses another rubric.",
            "%(num)d submitted score sets are left out: they miss a value, are off the scale or use another rubric.",
            res.skipped))
    for code, params in data["warnings"]:
        note = service._note(SimpleNamespace(code=code, params=params))
        if note:
            res.notes.insert(0, note)
    return res
