"""What the secretariat reads: progress per juror and category, and the algorithm's reasons in words."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from competition.models import Category
from core.db import db
from core.i18n import language_name
from judging.assignment.service import eligible_entries, entry_languages
from judging.models import Assignment, Round, ScoreStatus


@dataclass
class JurorProgress:
    juror: object
    by_category: dict = field(default_factory=dict)  # category id -> Counter(assigned, draft, submitted)
    total: Counter = field(default_factory=Counter)

    @property
    def unfinished(self) -> int:
        return self.total["assigned"] - self.total["submitted"]


@dataclass
class RoundProgress:
    round: Round
    jurors: list
    categories: list
    short: list  # (entry, jurors assigned) for entries with fewer than k
    total: Counter

    @property
    def percent(self) -> int:
        return int(100 * self.total["submitted"] / self.total["assigned"]) if self.total["assigned"] else 0


def round_progress(judging_round: Round) -> RoundProgress:
    """Counts per juror, category and state, grouped in the database: the same queries at 100 or 30,000 assignments."""
    from accounts.models import User
    from competition.models import Entry
    from judging.models import ScoreSet

    grouped = db.session.execute(
        select(Assignment.juror_id, Entry.category_id, ScoreSet.status, func.count(Assignment.id))
        .join(Entry, Entry.id == Assignment.entry_id).outerjoin(ScoreSet, ScoreSet.assignment_id == Assignment.id)
        .where(Assignment.round_id == judging_round.id)
        .group_by(Assignment.juror_id, Entry.category_id, ScoreSet.status)).all()
    people = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({juror_id for juror_id, *_ in grouped} or {-1})))}
    jurors: dict[int, JurorProgress] = {}
    total = Counter()
    for juror_id, category_id, state, n in grouped:
        jp = jurors.setdefault(juror_id, JurorProgress(juror=people[juror_id]))
        counts = jp.by_category.setdefault(category_id, Counter())
        for bucket in (counts, jp.total, total):
            bucket["assigned"] += n
            if state == ScoreStatus.DRAFT:
                bucket["draft"] += n
            elif state == ScoreStatus.SUBMITTED:
                bucket["submitted"] += n
    per_entry = Counter(dict(db.session.execute(
        select(Assignment.entry_id, func.count(Assignment.id)).where(Assignment.round_id == judging_round.id)
        .group_by(Assignment.entry_id)).all()))
    entries = eligible_entries(judging_round)
    short = [(e, per_entry[e.id]) for e in entries if per_entry[e.id] < judging_round.jurors_per_entry]
    category_ids = {e.category_id for e in entries} | {c for jp in jurors.values() for c in jp.by_category}
    categories = db.session.scalars(select(Category).where(Category.id.in_(category_ids or [-1]))).all()
    categories = sorted(categories, key=lambda c: (c.age_group, c.discipline))
    ordered = sorted(jurors.values(), key=lambda jp: jp.juror.name.lower())
    return RoundProgress(round=judging_round, jurors=ordered, categories=categories, short=short, total=total)


def language_list(codes) -> str:
    names = sorted(language_name(c) for c in codes)
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s or %(last)s", first=", ".join(names[:-1]), last=names[-1])


def explain_problem(reason, outcome) -> str:
    """One sentence per entry, from the algorithm's reason code and parameters."""
    p = reason.params
    entry = outcome.entries.get(p.get("entry_id"))
    spec_languages = entry_languages(entry) if entry is not None else set()
    needed = p.get("needed", 0)
    if spec_languages:
        need = ngettext("needs %(num)d more juror who reads %(languages)s",
                        "needs %(num)d more jurors who read %(languages)s", needed,
                        languages=language_list(spec_languages))
    else:
        need = ngettext("needs %(num)d more juror", "needs %(num)d more jurors", needed)
    if reason.code == "too_few_eligible_jurors":
        details = []
        if p.get("excluded_conflict"):
            details.append(ngettext("%(num)d has a conflict of interest", "%(num)d have a conflict of interest",
                                    p["excluded_conflict"]))
        if p.get("excluded_language"):
            details.append(ngettext("%(num)d does not read its language", "%(num)d do not read its language",
                                    p["excluded_language"]))
        if p.get("excluded_cap"):
            details.append(ngettext("%(num)d has no room left", "%(num)d have no room left", p["excluded_cap"]))
        if p.get("already_assigned"):
            details.append(ngettext("%(num)d is already assigned", "%(num)d are already assigned",
                                    p["already_assigned"]))
        free = ngettext("only %(num)d juror can take it", "only %(num)d jurors can take it", p.get("eligible", 0))
        sentence = _("It %(need)s; %(free)s", need=need, free=free)
        if details:
            sentence += _(" (%(details)s)", details="; ".join(details))
        return sentence + "."
    if reason.code == "capacity_exhausted":
        return _("It %(need)s. %(eligible)d jurors could take it, but the others' entries use up their limits; "
                 "at most %(assignable)d could be given to it. Raise some jurors' limits or add jurors.",
                 need=need, eligible=p.get("eligible", 0), assignable=p.get("assignable", 0))
    return _("It could not be assigned (%(code)s).", code=reason.code)


def explain_remedy(reason, categories: dict) -> str:
    """What would make every entry assignable, from the feasibility check's numbers."""
    p = reason.params
    if reason.code == "raise_cap":
        return ngettext("Raise the limit of the juror below it to %(cap)d entries in this round.",
                        "Raise the limit of the %(num)d jurors below it to %(cap)d entries in this round.",
                        p["jurors"], cap=p["cap"])
    titles = [categories[int(c)].title for c in p.get("categories", ()) if str(c).isdigit() and int(c) in categories]
    if p.get("language"):
        who = ngettext("Add %(num)d juror who reads %(language)s", "Add %(num)d jurors who read %(language)s",
                       p["count"], language=language_name(p["language"]))
    else:
        who = ngettext("Add %(num)d juror", "Add %(num)d jurors", p["count"])
    if p.get("cap") is not None:
        who = _("%(who)s, each taking up to %(cap)d entries", who=who, cap=p["cap"])
    if titles:
        return _("%(who)s (for %(categories)s).", who=who, categories=", ".join(titles))
    return who + "."


def explain_warning(reason, categories: dict, outcome=None) -> str:
    """One sentence per warning, naming the entry (its reference) and the juror where it is about one."""
    p = reason.params
    entry = outcome.entries.get(p.get("entry_id")) if outcome is not None else None
    juror = outcome.jurors.get(p.get("juror_id")) if outcome is not None else None
    entry_ref = entry.reference if entry is not None else str(p.get("entry_id", "?"))
    juror_name = juror.name if juror is not None else str(p.get("juror_id", "?"))
    category = categories.get(int(p["category"])) if str(p.get("category", "")).isdigit() else None
    title = category.title if category is not None else ""
    if reason.code == "design_not_linked":
        return _("%(category)s: the jurors form %(n)d separate groups that share no entry, so their marks "
                 "cannot be compared across groups. More jurors per entry would link them.",
                 category=title, n=p.get("components", 0))
    if reason.code == "category_imbalanced":
        return _("%(category)s: jurors have between %(low)d and %(high)d entries each; the limits or languages "
                 "do not allow a more even share.", category=title, low=p["min_load"], high=p["max_load"])
    if reason.code == "kept_pair_conflict":
        return _("Entry %(entry)s is kept with %(juror)s (scored or added by hand), who has a conflict of interest "
                 "with it.", entry=entry_ref, juror=juror_name)
    if reason.code == "kept_pair_language":
        return _("Entry %(entry)s is kept with %(juror)s (scored or added by hand), who does not read its "
                 "language.", entry=entry_ref, juror=juror_name)
    if reason.code == "kept_pair_unknown_entry":
        return _("%(juror)s keeps an assignment to entry %(entry)s, which is no longer in this round.",
                 entry=entry_ref, juror=juror_name)
    if reason.code == "entry_over_assigned":
        return _("Entry %(entry)s keeps %(kept)d jurors, more than the %(k)d this round asks for.",
                 entry=entry_ref, kept=p.get("kept", 0), k=p.get("k", 0))
    if reason.code == "kept_pairs_exceed_cap":
        return _("%(juror)s keeps %(kept)d assignments, more than their limit of %(cap)d.",
                 juror=juror_name, kept=p.get("kept", 0), cap=p.get("cap", 0))
    return _("Note: %(code)s.", code=reason.code)


def overlap(outcome) -> dict:
    """For each category: the most entries two jurors share, and the number of juror pairs sharing any."""
    by_entry: dict = {}
    for e, j in outcome.result.pairs:
        by_entry.setdefault(e, []).append(j)
    out: dict = {}
    for e, js in by_entry.items():
        entry = outcome.entries.get(e)
        if entry is None:
            continue
        shared = out.setdefault(entry.category_id, Counter())
        for a in js:
            for b in js:
                if a < b:
                    shared[(a, b)] += 1
    return {c: (max(s.values()) if s else 0, len(s)) for c, s in out.items()}
