"""The jury: jurors' profiles (created when missing, changed with an audit record) and their declared conflicts.
Flush and audit, never commit: the request commits once (core/transaction.py)."""
from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import Role, User, UserRole
from competition.models import City
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db
from judging.models import Assignment, Conflict, ConflictKind, JurorProfile

PROFILE_FIELDS = ("languages", "city_id", "country_code", "max_entries", "round1", "final_jury", "active")


def profile_of(user: User, edition=None) -> JurorProfile:
    """The juror's profile; a juror who has just accepted an invitation gets one with the defaults."""
    profile = db.session.get(JurorProfile, user.id)
    if profile is None:
        first = (edition.language_list[:1] if edition else []) or ["en"]
        profile = JurorProfile(user_id=user.id, languages=list(first), country_code="", max_entries=40,
                               round1=True, final_jury=False, active=True)
        db.session.add(profile)
        db.session.flush()
    return profile


def is_juror(user: User) -> bool:
    return user.has_role(Role.JUROR)


def jurors() -> list[dict]:
    """Every user with the juror role, with their profile (or None), city and counts, by name."""
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.JUROR).order_by(func.lower(User.name), User.id)
    ).unique().all()
    ids = [u.id for u in users]
    profiles = {p.user_id: p for p in db.session.scalars(select(JurorProfile).where(JurorProfile.user_id.in_(ids)))}
    cities = {c.id: c for c in db.session.scalars(select(City))}
    conflicts = dict(db.session.execute(select(Conflict.juror_id, func.count()).where(Conflict.juror_id.in_(ids))
                                        .group_by(Conflict.juror_id)).all())
    assignments = dict(db.session.execute(select(Assignment.juror_id, func.count())
                                          .where(Assignment.juror_id.in_(ids)).group_by(Assignment.juror_id)).all())
    return [{"user": u, "profile": profiles.get(u.id), "city": cities.get(profiles[u.id].city_id) if u.id in profiles else None,
             "conflicts": conflicts.get(u.id, 0), "assignments": assignments.get(u.id, 0)} for u in users]


def _state(user: User, profile: JurorProfile) -> dict:
    # The languages as the audit has always shown them: "en,fr".
    return {name: ",".join(value) if isinstance(value := getattr(profile, name), list) else value
            for name in PROFILE_FIELDS}


def update_profile(user: User, profile: JurorProfile, values: dict, actor) -> bool:
    """Apply the values given (a juror's own form has fewer); audit the change. False when nothing changed."""
    before = _state(user, profile)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, values[name])
    after = _state(user, profile)
    if after == before:
        return False
    db.session.flush()
    changed = sorted(k for k in after if after[k] != before[k])
    record(AuditAction.JUROR_CHANGED, profile, actor=actor, object_type="juror_profiles", object_id=user.id,
           changed=changed, old={k: before[k] for k in changed}, new={k: after[k] for k in changed})
    return True


def update_juror(user: User, profile: JurorProfile, values: dict, actor) -> bool:
    """The secretariat's change of a juror (``update_profile``). A juror who drops out (no longer active) loses
    their unscored entries to other jurors, who are told by mail; the scores already given stay."""
    was_active = profile.active
    changed = update_profile(user, profile, values, actor)
    if was_active and not profile.active:
        from judging.assignment.service import reassign_open_rounds
        from judging.rounds.operations import tell_jurors

        for judging_round, outcome in reassign_open_rounds(user.id):
            tell_jurors(judging_round, outcome.created)
    return changed


def declare_conflict(profile: JurorProfile, *, city_id: int | None = None, school_id: int | None = None) -> Conflict:
    """A juror's conflict with a member city or a school. It changes nothing in their list at once: the
    secretariat's next reassignment applies it (``assignment.service.reassign``)."""
    if (city_id is None) == (school_id is None):
        raise ValueError("a conflict is with one city or one school")
    kind = ConflictKind.CITY if city_id is not None else ConflictKind.SCHOOL
    conflict = Conflict(juror_id=profile.user_id, kind=kind, city_id=city_id, school_id=school_id)
    db.session.add(conflict)
    db.session.flush()
    record(AuditAction.CONFLICT_DECLARED, conflict, kind=conflict.kind)
    return conflict


def delete_conflict(conflict: Conflict) -> None:
    """Withdraw a declared city or school conflict; "I know this work" (an entry conflict) stays."""
    if conflict.kind == ConflictKind.ENTRY:
        raise ValueError("an entry conflict cannot be withdrawn")
    record(AuditAction.CONFLICT_DELETED, conflict, kind=conflict.kind)
    db.session.delete(conflict)
    db.session.flush()
