"""What a juror can see, or has said they know, outside blind scoring: every such entry is a conflict.

Roles never mix. A juror who also holds another role sees names under that role, so the assignment never gives
them an entry they could recognise that way:

* coordinator: every entry of the cities they are appointed to (city_coordinators);
* teacher: every entry of their own classes, and of the schools those classes belong to (any edition);
* secretariat: every entry (they see all names), so such a juror is never assigned anything;
* any juror: their own city (a profile fact, which grants no access) and the cities, schools and works they
  declared (conflicts).

``reach_of(profiles)`` loads all of this in a fixed number of queries, whatever the number of jurors.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from accounts.models import Role
from competition.models import CityCoordinator, SchoolClass
from core.db import db
from judging.models import ConflictKind, JurorProfile


@dataclass(frozen=True)
class Reach:
    cities: frozenset = field(default_factory=frozenset)
    schools: frozenset = field(default_factory=frozenset)
    classes: frozenset = field(default_factory=frozenset)
    entries: frozenset = field(default_factory=frozenset)
    everything: bool = False

    def covers(self, entry_id: int, class_id: int, school_id: int, city_id: int) -> bool:
        return (self.everything or entry_id in self.entries or class_id in self.classes
                or school_id in self.schools or city_id in self.cities)


def reach_of(profiles: list[JurorProfile]) -> dict[int, Reach]:
    """Each juror's reach by user id: profile city, appointments, taught classes and schools, declarations."""
    ids = [p.user_id for p in profiles]
    if not ids:
        return {}
    coordinated: dict[int, set] = {}
    for user_id, city_id in db.session.execute(
            select(CityCoordinator.user_id, CityCoordinator.city_id).where(CityCoordinator.user_id.in_(ids))):
        coordinated.setdefault(user_id, set()).add(city_id)
    taught_classes: dict[int, set] = {}
    taught_schools: dict[int, set] = {}
    for teacher_id, class_id, school_id in db.session.execute(
            select(SchoolClass.teacher_id, SchoolClass.id, SchoolClass.school_id)
            .where(SchoolClass.teacher_id.in_(ids))):
        taught_classes.setdefault(teacher_id, set()).add(class_id)
        taught_schools.setdefault(teacher_id, set()).add(school_id)
    out = {}
    for profile in profiles:
        uid = profile.user_id
        declared = {kind: set() for kind in ConflictKind}
        for conflict in profile.conflicts:
            target = {ConflictKind.CITY: conflict.city_id, ConflictKind.SCHOOL: conflict.school_id,
                      ConflictKind.ENTRY: conflict.entry_id}[ConflictKind(conflict.kind)]
            declared[ConflictKind(conflict.kind)].add(target)
        cities = declared[ConflictKind.CITY] | coordinated.get(uid, set())
        if profile.city_id is not None:
            cities.add(profile.city_id)
        out[uid] = Reach(cities=frozenset(cities),
                         schools=frozenset(declared[ConflictKind.SCHOOL] | taught_schools.get(uid, set())),
                         classes=frozenset(taught_classes.get(uid, set())),
                         entries=frozenset(declared[ConflictKind.ENTRY]),
                         everything=profile.user.has_role(Role.SECRETARIAT))
    return out
