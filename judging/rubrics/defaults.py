"""The campaign's default rubric, created for every category that has none."""
from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.db import db
from judging.models import Criterion, Rubric

DEFAULT_CRITERIA = [
    {
        "key": "relevance",
        "title": _l("Relevance to the theme"),
        "description": _l("How well the work speaks to identity, stereotypes and diversity: we are all more than one thing."),
        "weight": Decimal("0.3"),
        "levels": [(0, 3, _l("The theme is hardly present.")), (4, 6, _l("The theme is present but treated in a general way.")),
                   (7, 8, _l("The work speaks clearly to the theme.")), (9, 10, _l("A strong, personal take on the theme."))],
    },
    {
        "key": "originality",
        "title": _l("Originality"),
        "description": _l("A fresh idea or point of view; avoids clichés and stereotypes."),
        "weight": Decimal("0.25"),
        "levels": [(0, 3, _l("Mostly familiar ideas.")), (4, 6, _l("Some original touches.")),
                   (7, 8, _l("An original idea, well carried.")), (9, 10, _l("Surprising and memorable."))],
    },
    {
        "key": "expression",
        "title": _l("Expression"),
        "description": _l("Language for written work; technique for illustrations. Judged for the pupils' age."),
        "weight": Decimal("0.25"),
        "levels": [(0, 3, _l("Hard to follow or to read.")), (4, 6, _l("Clear, with some awkward parts.")),
                   (7, 8, _l("Well written or well drawn for the age.")), (9, 10, _l("Accomplished for the age."))],
    },
    {
        "key": "impression",
        "title": _l("Overall impression"),
        "description": _l("Your overall judgement of the work as a whole."),
        "weight": Decimal("0.2"),
        "levels": [(0, 3, _l("Weak.")), (4, 6, _l("Fair.")), (7, 8, _l("Good.")), (9, 10, _l("Outstanding."))],
    },
]


def criterion_title(key: str) -> str:
    """A rubric criterion named by its key (the tie-break order), in the reader's language: the default
    rubric's title for a default key ("relevance" → "Pertinence par rapport au thème"), else the key.
    A template global (``judging.init_app``)."""
    found = next((c["title"] for c in DEFAULT_CRITERIA if c["key"] == key), None)
    return str(found) if found is not None else key


def default_rubric(category) -> Rubric:
    """Stored in English whoever creates it; pages show it through the catalogue (``catalogue_text``)."""
    with force_locale("en"):
        return _build_default(category)


def _build_default(category) -> Rubric:
    rubric = Rubric(category=category, version=1, is_current=True)
    for position, spec in enumerate(DEFAULT_CRITERIA):
        rubric.criteria.append(Criterion(
            position=position, key=spec["key"], title=str(spec["title"]), description=str(spec["description"]),
            weight=spec["weight"], scale_min=Decimal(0), scale_max=Decimal(10), step=Decimal(1), required=True,
            descriptors_json=json.dumps([{"min": lo, "max": hi, "text": str(text)} for lo, hi, text in spec["levels"]],
                                        ensure_ascii=False),
        ))
    return rubric


def current_rubric(category) -> Rubric | None:
    return db.session.scalar(select(Rubric).where(Rubric.category_id == category.id, Rubric.is_current.is_(True)))


def ensure_rubrics(edition) -> list[Rubric]:
    """Give every enabled category of the edition a current rubric (the default one if it has none)."""
    rubrics = []
    for category in edition.categories:
        rubric = current_rubric(category)
        if rubric is None:
            rubric = default_rubric(category)
            db.session.add(rubric)
        rubrics.append(rubric)
    db.session.flush()
    return rubrics
