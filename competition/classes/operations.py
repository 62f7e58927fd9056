"""State changes for schools, classes, pupils and class extensions. They flush and audit; the request commits once."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from competition.classes.forms import same_name, tidy
from competition.editions.operations import NonExistentLocalTime, local_to_utc
from competition.entries.freeze import judged_authors
from competition.models import City, Edition, Entry, EntryAuthor, Pupil, School, SchoolClass
from core import mail
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db


def active_cities() -> list[City]:
    return list(db.session.scalars(select(City).where(City.active.is_(True)).order_by(City.name)))


def active_city(ident) -> City | None:
    """The active city with this id, from a form or a query string; None for anything else."""
    try:
        city = db.session.get(City, int(ident))
    except (TypeError, ValueError, OverflowError):
        return None
    return city if city is not None and city.active else None


def school_named(city: City, name: str) -> School | None:
    """The city's school with this name, ignoring case, accents' composition and extra spaces."""
    return next((s for s in city.schools if same_name(s.name, name)), None)


def find_or_create_school(city: City, name: str, user) -> School:
    """Reuse the city's school of that name, or add it. Two teachers adding it at once get the same school."""
    name = tidy(name)
    existing = school_named(city, name)
    if existing is not None:
        return existing
    school = School(city_id=city.id, name=name, created_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(school)
            db.session.flush()
    except IntegrityError:  # added in parallel by someone else: use theirs
        db.session.expire(city, ["schools"])
        school = db.session.scalar(select(School).where(School.city_id == city.id, School.name == name))
        if school is None:
            raise
        return school
    record(AuditAction.SCHOOL_CREATED, school, city_id=city.id, name=name)
    return school


def register_class(edition: Edition, school: School, teacher, *, name: str, age_group: str, pupil_count: int,
                   language: str) -> SchoolClass:
    school_class = SchoolClass(edition_id=edition.id, school_id=school.id, teacher_id=teacher.id, name=name,
                               age_group=age_group, pupil_count=pupil_count, language=language)
    db.session.add(school_class)
    db.session.flush()
    record(AuditAction.CLASS_CREATED, school_class, edition_id=edition.id, school_id=school.id, name=name,
           age_group=age_group, pupil_count=pupil_count, language=language)
    return school_class


def same_class(edition: Edition, school: School, teacher, name: str) -> SchoolClass | None:
    """The teacher's class of that name at that school, if already registered (a form sent twice)."""
    candidates = db.session.scalars(select(SchoolClass).where(
        SchoolClass.edition_id == edition.id, SchoolClass.school_id == school.id, SchoolClass.teacher_id == teacher.id))
    return next((c for c in candidates if same_name(c.name, name)), None)


CLASS_FIELDS = ("name", "age_group", "pupil_count", "language")


def update_class(school_class: SchoolClass, **values) -> dict:
    """Change the class's own details; returns (and audits) what changed, as {field: [old, new]}."""
    changed = {}
    for key in CLASS_FIELDS:
        if key in values and getattr(school_class, key) != values[key]:
            changed[key] = [getattr(school_class, key), values[key]]
            setattr(school_class, key, values[key])
    if changed:
        db.session.flush()
        record(AuditAction.CLASS_CHANGED, school_class, changes=changed)
    return changed


def pupils_with_entries(school_class: SchoolClass) -> set[int]:
    """Ids of the class's pupils who are authors of an entry (they cannot be removed)."""
    return set(db.session.scalars(
        select(EntryAuthor.pupil_id).join(Pupil, Pupil.id == EntryAuthor.pupil_id)
        .where(Pupil.class_id == school_class.id)
    ))


def save_pupils(school_class: SchoolClass, rows: list[dict]) -> dict:
    """Add, change and remove pupils from checked rows; returns the counts. Audit details hold no names."""
    by_id = {p.id: p for p in school_class.pupils}
    counts = {"added": 0, "changed": 0, "removed": 0}
    frozen = judged_authors(school_class)  # the form says so first; this stops a caller that forgot
    for row in rows:
        pupil = by_id.get(row["pupil_id"]) if row["pupil_id"] else None
        if pupil is not None and pupil.id in frozen and (row["remove"] or any(
                getattr(pupil, key) != row[key] for key in ("first_name", "initial", "age"))):
            raise ValueError("the pupils who made an entry the jury has seen cannot be changed")
    for row in rows:
        pupil = by_id.get(row["pupil_id"]) if row["pupil_id"] else None
        if pupil is not None and row["remove"]:
            school_class.pupils.remove(pupil)
            db.session.flush()
            record(AuditAction.PUPIL_REMOVED, pupil, class_id=school_class.id)
            counts["removed"] += 1
        elif pupil is not None:
            fields = [key for key in ("first_name", "initial", "age") if getattr(pupil, key) != row[key]]
            if fields:
                for key in fields:
                    setattr(pupil, key, row[key])
                db.session.flush()
                record(AuditAction.PUPIL_CHANGED, pupil, class_id=school_class.id, fields=fields)
                counts["changed"] += 1
        elif row["pupil_id"] is None:
            pupil = Pupil(first_name=row["first_name"], initial=row["initial"], age=row["age"])
            school_class.pupils.append(pupil)
            db.session.flush()
            record(AuditAction.PUPIL_ADDED, pupil, class_id=school_class.id)
            counts["added"] += 1
    return counts


def teacher_classes(teacher, edition: Edition) -> list[tuple[SchoolClass, int, int]]:
    """The teacher's classes in an edition, each with its number of pupils recorded and of entries."""
    pupils = select(func.count(Pupil.id)).where(Pupil.class_id == SchoolClass.id).scalar_subquery()
    entries = select(func.count(Entry.id)).where(Entry.class_id == SchoolClass.id).scalar_subquery()
    rows = db.session.execute(
        select(SchoolClass, pupils, entries)
        .where(SchoolClass.teacher_id == teacher.id, SchoolClass.edition_id == edition.id)
        .order_by(SchoolClass.created_at, SchoolClass.id)
    )
    return [tuple(row) for row in rows]


def last_class_of(teacher) -> SchoolClass | None:
    """The teacher's most recent class, to suggest the same city and school again."""
    return db.session.scalar(
        select(SchoolClass).where(SchoolClass.teacher_id == teacher.id).order_by(SchoolClass.id.desc()).limit(1)
    )


class ExtensionRefused(ValueError):
    """An extension the secretariat cannot give; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def extend_deadline(school_class: SchoolClass, local: datetime) -> tuple[datetime, bool]:
    """Give one class until ``local``, a wall-clock time in the edition's time zone, and tell its teacher.

    The time is converted like the edition's deadline (``local_to_utc``): a time the clocks skip is refused, an
    ambiguous one is the first (summer time). Returns the new deadline in UTC and whether it was ambiguous."""
    edition = school_class.edition
    zone = edition.deadline_timezone
    try:
        until, ambiguous = local_to_utc(local.date(), local.time(), zone)
    except NonExistentLocalTime:
        raise ExtensionRefused(_l(
            "%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward that night. "
            "Choose a time outside the change, like 23:59.", time=local.strftime("%H:%M"),
            date=local.date().isoformat(), zone=zone)) from None
    if until <= edition.deadline_at:
        raise ExtensionRefused(_l("Choose a time after the edition's deadline."))
    previous = school_class.deadline_extended_to
    school_class.deadline_extended_to = until
    db.session.flush()
    record(AuditAction.CLASS_DEADLINE_EXTENDED, school_class, until=until.isoformat(),
           previous=previous.isoformat() if previous else None)
    teacher = school_class.teacher
    mail.send_template(teacher.email, "deadline_extended", teacher.language, timezone=teacher.timezone,
                       school_class=school_class, teacher=teacher, until=until)
    return until, ambiguous
