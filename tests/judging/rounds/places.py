"""A small network for the roles and probing tests: cities, schools, classes with their teachers, submitted poems."""
from __future__ import annotations

from datetime import timedelta

from accounts.models import Role
from core.db import db, utcnow
from tests.fixtures import category_of


def make_class(edition, teacher, school, name="6B", poems=3):
    """A class of ``teacher`` in ``school`` with ``poems`` submitted poems (named pupils, like real ones)."""
    from competition.models import Entry, Pupil, SchoolClass

    school_class = SchoolClass(edition=edition, school=school, teacher=teacher, name=name, age_group="11-18",
                               pupil_count=20, language="en")
    school_class.pupils = [Pupil(first_name="Amira", initial="K", age=12)]
    db.session.add(school_class)
    for i in range(poems):
        db.session.add(Entry(school_class=school_class, category=category_of(edition), title=f"{name} poem {i}",
                             language="en", text=f"Poem {i} of {name}.", status="submitted",
                             submitted_at=utcnow() - timedelta(days=2), consent_judging=True, whole_class=True))
    db.session.commit()
    return school_class


def network(edition, make_user):
    """Lisbon (two schools) and Porto (one), a class of three poems in each school, each with its own teacher."""
    from competition.models import City, School

    lisbon, porto = City(name="Lisbon", country_code="PT"), City(name="Porto", country_code="PT")
    camoes, restelo = School(name="Escola Camões", city=lisbon), School(name="Escola Restelo", city=lisbon)
    ribeira = School(name="Escola Ribeira", city=porto)
    db.session.add_all([lisbon, porto, camoes, restelo, ribeira])
    db.session.commit()
    classes = {}
    for n, school in enumerate((camoes, restelo, ribeira)):
        teacher = make_user(f"teacher{n}@example.org", roles=(Role.TEACHER,), name=f"Teacher {n}")
        classes[school.name] = make_class(edition, teacher, school, name=f"C{n}")
    return {"lisbon": lisbon, "porto": porto, "camoes": camoes, "restelo": restelo, "ribeira": ribeira,
            "classes": classes}
