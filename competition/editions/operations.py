"""The secretariat's changes to editions, cities, schools and materials.

Each function changes objects, flushes and records an audit event; none commits.
The request commits once (core/transaction.py). Files of materials are stored before the commit (they are
content-addressed, so a rolled-back request leaves at most an unused file) and
deleted right after it once no material uses them (``core.file_lifecycle``).
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from competition.models import Category, City, CityCoordinator, Edition, Material, School, SchoolClass
from core import file_lifecycle
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db
from core.files import get_storage
from core.storage import Storage


# The deadline: a local time in a named zone, stored in UTC (pure) --------------
class NonExistentLocalTime(ValueError):
    """The local time falls in a daylight-saving gap (the clocks jump over it)."""


def local_to_utc(day: date, at: time, zone_name: str) -> tuple[datetime, bool]:
    """Convert a wall-clock time in ``zone_name`` to UTC; also say whether it was ambiguous.

    An ambiguous time (it happens twice when the clocks go back) is read as the
    first one (fold=0). A time that never happens raises NonExistentLocalTime.
    """
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    utc = local.astimezone(timezone.utc)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonExistentLocalTime(f"{local:%Y-%m-%d %H:%M} does not exist in {zone_name}")
    ambiguous = local.replace(fold=1).utcoffset() != local.utcoffset()
    return utc, ambiguous


def _apply(obj, values: dict) -> dict:
    """Set attributes; return {name: [old, new]} for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [_in_words(old), _in_words(new)]
            setattr(obj, name, new)
    return changes


def _in_words(value):
    """A list (an edition's languages) as the audit has always shown it: "en,fr"."""
    return ",".join(value) if isinstance(value, list) else value


# Editions -----------------------------------------------------------------------
def create_edition(values: dict, categories: dict[tuple[str, str], dict]) -> Edition:
    """A new edition with its categories grid; the first edition ever becomes the current one."""
    edition = Edition(**values, is_current=Edition.current() is None)
    for (age_group, discipline), settings in categories.items():
        edition.categories.append(Category(age_group=age_group, discipline=discipline, **settings))
    db.session.add(edition)
    db.session.flush()
    record(AuditAction.EDITION_CREATED, edition, name=edition.name, deadline_at=edition.deadline_at,
           deadline_timezone=edition.deadline_timezone, is_current=edition.is_current)
    return edition


def update_edition(edition: Edition, values: dict, categories: dict[tuple[str, str], dict]) -> dict:
    changes = _apply(edition, values)
    cells = {(c.age_group, c.discipline): c for c in edition.categories}
    for (age_group, discipline), settings in categories.items():
        category = cells.get((age_group, discipline))
        if category is None:  # an edition made elsewhere may lack a cell of the grid
            category = Category(age_group=age_group, discipline=discipline)
            edition.categories.append(category)
        for name, change in _apply(category, settings).items():
            changes[f"{age_group} {discipline} {name}"] = change
    db.session.flush()
    if changes:
        record(AuditAction.EDITION_UPDATED, edition, changes=changes)
    return changes


def make_current(edition: Edition) -> None:
    """Exactly one edition is current: this one."""
    previous = db.session.scalars(select(Edition).where(Edition.is_current.is_(True), Edition.id != edition.id)).all()
    for other in previous:
        other.is_current = False
    db.session.flush()  # the old one stops being current first: the database allows only one
    edition.is_current = True
    db.session.flush()
    record(AuditAction.EDITION_MADE_CURRENT, edition, previous=[other.id for other in previous])


# Cities and schools -------------------------------------------------------------
def add_city(name: str, country_code: str) -> City:
    city = City(name=name, country_code=country_code)
    db.session.add(city)
    db.session.flush()
    record(AuditAction.CITY_CREATED, city, name=name, country_code=country_code)
    return city


def update_city(city: City, name: str, country_code: str) -> dict:
    changes = _apply(city, {"name": name, "country_code": country_code})
    db.session.flush()
    if changes:
        record(AuditAction.CITY_UPDATED, city, changes=changes)
    return changes


def set_city_active(city: City, active: bool) -> None:
    if city.active != active:
        city.active = active
        db.session.flush()
        record(AuditAction.CITY_ACTIVATED if active else AuditAction.CITY_DEACTIVATED, city, name=city.name)


def appointment(city: City, user_id: int) -> CityCoordinator | None:
    return db.session.scalar(select(CityCoordinator).where(CityCoordinator.city_id == city.id,
                                                           CityCoordinator.user_id == user_id))


def appoint_coordinator(city: City, user_id: int) -> None:
    """Appoint a user (who holds the coordinator role) to a city; appointing twice changes nothing but the audit."""
    if appointment(city, user_id) is None:
        db.session.add(CityCoordinator(user_id=user_id, city_id=city.id))
        db.session.flush()
    record(AuditAction.CITY_COORDINATOR_ADDED, city, user_id=user_id)


def remove_coordinator(city: City, found: CityCoordinator) -> None:
    db.session.delete(found)
    db.session.flush()
    record(AuditAction.CITY_COORDINATOR_REMOVED, city, user_id=found.user_id)


def class_counts(schools: list[School]) -> dict[int, int]:
    """How many classes each school has, in every edition."""
    ids = [school.id for school in schools]
    if not ids:
        return {}
    rows = db.session.execute(select(SchoolClass.school_id, func.count()).where(SchoolClass.school_id.in_(ids))
                              .group_by(SchoolClass.school_id))
    return {school_id: count for school_id, count in rows}


def rename_school(school: School, name: str) -> None:
    changes = _apply(school, {"name": name})
    db.session.flush()
    if changes:
        record(AuditAction.SCHOOL_RENAMED, school, changes=changes)


def merge_schools(duplicate: School, keep: School) -> int:
    """Move the duplicate's classes to ``keep``, then remove the duplicate. Returns the classes moved."""
    if duplicate.id == keep.id or duplicate.city_id != keep.city_id:
        raise ValueError("only two different schools of the same city can be merged")
    moved = db.session.execute(
        update(SchoolClass).where(SchoolClass.school_id == duplicate.id).values(school_id=keep.id)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    record(AuditAction.SCHOOL_MERGED, keep, merged_school_id=duplicate.id, merged_school_name=duplicate.name,
           classes_moved=moved)
    city = duplicate.city
    db.session.delete(duplicate)
    db.session.flush()
    db.session.expire(city, ["schools"])
    return moved


# Materials ----------------------------------------------------------------------
def material_storage() -> Storage:
    return get_storage("materials")


def save_material(edition: Edition, material: Material | None, values: dict, pdf: bytes | None = None,
                  pdf_name: str | None = None, remove_file: bool = False) -> Material:
    """Create or change a material. A file it no longer uses is deleted after the commit."""
    from core.filenames import safe_filename

    created = material is None
    if created:
        last = db.session.scalar(select(func.max(Material.position)).where(Material.edition_id == edition.id))
        material = Material(edition=edition, position=0 if last is None else last + 1)
        db.session.add(material)
    if pdf is not None:
        name = safe_filename(pdf_name or "", "material.pdf")
        values = {**values, "file_key": file_lifecycle.put("materials", pdf), "file_size": len(pdf),
                  "file_name": name if name.lower().endswith(".pdf") else name + ".pdf"}
    elif remove_file:
        values = {**values, "file_key": None, "file_name": None, "file_size": None}
    changes = _apply(material, values)
    db.session.flush()
    record(AuditAction.MATERIAL_CREATED if created else AuditAction.MATERIAL_UPDATED, material, edition_id=edition.id,
           changes=changes)
    return material


def delete_material(material: Material) -> None:
    record(AuditAction.MATERIAL_DELETED, material, edition_id=material.edition_id, title=material.title)
    db.session.delete(material)
    db.session.flush()


def move_material(material: Material, direction: str) -> None:
    """Swap with the neighbour above ("up") or below ("down"); positions become 0, 1, 2…"""
    siblings = Material.for_edition(material.edition_id)
    index = siblings.index(material)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        item.position = position
    db.session.flush()
    record(AuditAction.MATERIAL_MOVED, material, direction=direction, position=material.position)

