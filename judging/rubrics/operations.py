"""Rubric changes: in place until a score uses the rubric, then as a new version. Flush and audit, never commit."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import exists, func, select

from core.audit import record
from core.audit_actions import AuditAction
from core.db import db
from judging.models import Criterion, Rubric, ScoreSet
from judging.rubrics.defaults import ensure_rubrics


def current_rubrics(edition) -> list[tuple]:
    """(category, current rubric, in use) for each category of the edition, creating the default rubrics."""
    with force_locale("en"):  # the default texts are stored in English and translated when shown
        rubrics = ensure_rubrics(edition)
    return [(rubric.category, rubric, in_use(rubric)) for rubric in rubrics]


def in_use(rubric: Rubric) -> bool:
    """True once any score set, draft or submitted, was made with this version."""
    return bool(db.session.scalar(select(exists().where(ScoreSet.rubric_id == rubric.id))))


def snapshot(rubric: Rubric) -> list[dict]:
    return [_criterion_snapshot(c) for c in rubric.criteria]


def _criterion_snapshot(c) -> dict:
    return {"key": c.key, "title": c.title, "description": c.description, "weight": _text(c.weight),
            "scale_min": _text(c.scale_min), "scale_max": _text(c.scale_max), "step": _text(c.step),
            "required": bool(c.required), "descriptors": c.descriptors}


def _text(value) -> str:
    return format(Decimal(value).normalize(), "f")


def fingerprint(rubric: Rubric) -> str:
    """Changes whenever the rubric does: a form posted from an older state is refused."""
    payload = json.dumps({"id": rubric.id, "criteria": snapshot(rubric)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def shares(rubric: Rubric) -> dict[int, Decimal]:
    """Each criterion's weight as a percentage of the total (criterion id → percent)."""
    total = rubric.total_weight
    return {c.id: (Decimal(c.weight) * 100 / total if total else Decimal(0)) for c in rubric.criteria}


def save_rubric(rubric: Rubric, values: list[dict], actor) -> tuple[Rubric, str]:
    """Apply the form's criteria. Returns the rubric now current and "unchanged", "changed" or "versioned"."""
    before = snapshot(rubric)
    keys = _assign_keys(values, {c.key for c in rubric.criteria})
    after = [_criterion_snapshot(_as_criterion(v, key, 0)) for v, key in zip(values, keys)]
    if after == before:
        return rubric, "unchanged"
    if in_use(rubric):
        latest = db.session.scalar(select(func.max(Rubric.version)).where(Rubric.category_id == rubric.category_id))
        rubric.is_current = False
        db.session.flush()
        new = Rubric(category_id=rubric.category_id, version=(latest or rubric.version) + 1, is_current=True,
                     created_by_id=getattr(actor, "id", None))
        new.criteria = [_as_criterion(v, key, position) for position, (v, key) in enumerate(zip(values, keys))]
        db.session.add(new)
        db.session.flush()
        record(AuditAction.RUBRIC_VERSIONED, new, actor=actor, category_id=rubric.category_id, old_rubric_id=rubric.id,
               old_version=rubric.version, version=new.version, old=before, new=after)
        return new, "versioned"
    existing = {c.key: c for c in rubric.criteria}
    kept = []
    for position, (v, key) in enumerate(zip(values, keys)):
        criterion = existing.get(key)
        if criterion is None:
            criterion = _as_criterion(v, key, position)
        else:
            _fill(criterion, v, position)
        kept.append(criterion)
    rubric.criteria = kept  # criteria left out are deleted (delete-orphan)
    db.session.flush()
    record(AuditAction.RUBRIC_CHANGED, rubric, actor=actor, category_id=rubric.category_id, version=rubric.version,
           old=before, new=after)
    return rubric, "changed"


def _as_criterion(v: dict, key: str, position: int) -> Criterion:
    criterion = Criterion(key=key)
    _fill(criterion, v, position)
    return criterion


def _fill(criterion: Criterion, v: dict, position: int) -> None:
    criterion.position = position
    criterion.title = v["title"]
    criterion.description = v["description"]
    criterion.weight = Decimal(v["weight"])
    criterion.scale_min = Decimal(v["scale_min"])
    criterion.scale_max = Decimal(v["scale_max"])
    criterion.step = Decimal(v["step"])
    criterion.required = bool(v["required"])
    criterion.descriptors_json = json.dumps(v["descriptors"], ensure_ascii=False)


def _assign_keys(values: list[dict], existing: set[str]) -> list[str]:
    """Existing criteria keep their key; a new one gets one made from its title, used by no criterion of the rubric."""
    taken = set(existing) | {v["key"] for v in values if v.get("key")}
    keys = []
    for v in values:
        if v.get("key"):
            keys.append(v["key"])
            continue
        base = slug(v["title"]) or "criterion"
        key, n = base, 2
        while key in taken:
            key, n = f"{base[:36]}_{n}", n + 1
        taken.add(key)
        keys.append(key)
    return keys


def slug(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40]
