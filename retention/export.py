"""A teacher's copy of everything held about their classes: a ZIP with ``data.json``, ``README.txt`` and
every stored file of their entries (originals and consent forms), under safe names.

Juror identities, per-juror scores and comments are left out; awards and the final rank appear only
once the edition's results are published. The download is audited (``data.exported``).
"""
from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import User
from competition.models import Edition, Entry, EntryFile, SchoolClass
from core.audit import record
from core.audit_actions import AuditAction
from core.db import db, utcnow
from core.files import get_storage

_KIND_EXT = {"image": "img", "pdf": "pdf", "docx": "docx", "odt": "odt", "txt": "txt"}


def archive_name(entry: Entry, number: int, stored: EntryFile) -> str:
    """``<reference>/<n>-<purpose>.<ext>``: nothing of the uploaded name but a plain extension."""
    suffix = stored.original_name.rsplit(".", 1)[-1].lower() if "." in stored.original_name else ""
    ext = suffix if re.fullmatch(r"[a-z0-9]{1,5}", suffix) else _KIND_EXT.get(stored.kind, "bin")
    folder = re.sub(r"[^A-Za-z0-9-]", "_", entry.reference)
    return f"{folder}/{number}-{stored.purpose}.{ext}"


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, (date, datetime)) else None


def _results_of(edition: Edition) -> dict[int, dict]:
    """Awards and final rank of the edition's entries, once its results are published (else nothing)."""
    if edition.results_published_at is None:
        return {}
    from judging.exports.dataset import collect

    out = {}
    for category in collect(edition).categories:
        for item in category.items:
            out[item.entry_id] = {"awards": list(item.awards), "rank": item.rank,
                                  "ranked_in": category.round_name or None}
    return out


def teacher_data(teacher: User) -> tuple[dict, list[tuple[str, str]]]:
    """The teacher's classes as plain data, and the (archive path, storage key) of every file to include."""
    storage = get_storage()
    classes = db.session.scalars(
        select(SchoolClass).where(SchoolClass.teacher_id == teacher.id).order_by(SchoolClass.created_at, SchoolClass.id)
        .options(selectinload(SchoolClass.pupils),
                 selectinload(SchoolClass.entries).selectinload(Entry.files),
                 selectinload(SchoolClass.entries).selectinload(Entry.authors))).all()
    results: dict[int, dict[int, dict]] = {}
    files: list[tuple[str, str]] = []
    out_classes = []
    for school_class in classes:
        edition = school_class.edition
        if edition.id not in results:
            results[edition.id] = _results_of(edition)
        numbers = {p.id: n for n, p in enumerate(school_class.pupils, start=1)}
        entries = []
        for entry in school_class.entries:
            entry_files = []
            for number, stored in enumerate(entry.files, start=1):
                path = archive_name(entry, number, stored)
                present = storage.exists(stored.original_key)
                if present:
                    files.append((path, stored.original_key))
                entry_files.append({
                    "number": number, "purpose": stored.purpose, "kind": stored.kind,
                    "original_name": stored.original_name, "size": stored.original_size,
                    "sha256": stored.original_key, "in_archive": path if present else None,
                    "page_count": stored.page_count, "width": stored.width, "height": stored.height,
                    "hidden_data_removed": stored.hidden_text,
                    "uploaded_at": _iso(stored.created_at),
                })
            entries.append({
                "reference": entry.reference, "title": entry.title,
                "category": {"age_group": entry.category.age_group, "discipline": entry.category.discipline},
                "language": entry.language, "whole_class": entry.whole_class,
                "authors": [{"pupil": numbers.get(a.pupil_id), "first_name": a.pupil.first_name,
                             "initial": a.pupil.initial} for a in entry.authors],
                "text": entry.text, "translation": {"language": entry.translation_language,
                                                    "text": entry.translation_text},
                "status": entry.status, "disqualified_reason": entry.disqualified_reason,
                "consent": {"judging": entry.consent_judging, "publication": entry.consent_publication,
                            "social_media": entry.consent_social, "names": entry.consent_name},
                "blindness_check": {"confirmed_by_teacher": entry.blindness_flag, "hits": entry.blindness_hits},
                "created_at": _iso(entry.created_at), "updated_at": _iso(entry.updated_at),
                "submitted_at": _iso(entry.submitted_at), "withdrawn_at": _iso(entry.withdrawn_at),
                "files": entry_files,
                "results": (results[edition.id].get(entry.id, {"awards": [], "rank": None, "ranked_in": None})
                            if edition.results_published_at else None),
            })
        city = school_class.school.city
        out_classes.append({
            "edition": {"name": edition.name, "deadline_at": _iso(edition.deadline_at),
                        "results_on": _iso(edition.results_on),
                        "results_published_at": _iso(edition.results_published_at)},
            "name": school_class.name, "age_group": school_class.age_group, "pupil_count": school_class.pupil_count,
            "language": school_class.language, "created_at": _iso(school_class.created_at),
            "deadline_extended_to": _iso(school_class.deadline_extended_to),
            "school": {"name": school_class.school.name},
            "city": {"name": city.name, "country_code": city.country_code},
            "pupils": [{"number": numbers[p.id], "first_name": p.first_name, "initial": p.initial, "age": p.age}
                       for p in school_class.pupils],
            "entries": entries,
        })
    data = {
        "format": "more-than-migrants teacher data, version 1",
        "generated_at": _iso(utcnow()),
        "account": {"name": teacher.name, "email": teacher.email, "language": teacher.language,
                    "timezone": teacher.timezone, "created_at": _iso(teacher.created_at),
                    "roles": sorted(r.value for r in teacher.role_set)},
        "classes": out_classes,
    }
    return data, files


README_PARTS = (
    _l("This archive holds everything the competition platform keeps about the classes you registered, in every "
       "edition: the classes, their schools and cities, the pupils as you recorded them, the entries with their "
       "texts, consent, status and blindness check, and every file you uploaded."),
    _l("data.json: the classes, pupils, entries and file details, in JSON, a plain-text format that programs and "
       "spreadsheets can read."),
    _l("One folder per entry, named after its reference, holds the files you uploaded: the work, its translation "
       "and the signed consent form, numbered in the order they are listed in data.json. The names of the files "
       "on your computer are not used: they are listed in data.json."),
    _l("Each file's SHA-256 fingerprint is in data.json: it is the one on the entry's receipt."),
    _l("Not included: the names of the jurors and their individual scores and comments. Jurors mark the works "
       "without knowing who made them, and their marks are part of the jury's deliberation. The awards and the "
       "final rank of your entries are included once the results of their edition are published."),
    _l("Once the results of an edition are out, the secretariat removes the personal data it no longer needs: "
       "originals, consent forms, and the texts and files of entries that were not published. Files removed in "
       "this way are listed in data.json without a file."),
    _l("If something is missing or wrong, contact the secretariat of the competition."),
)


def readme(teacher: User, data: dict) -> str:
    """The archive's README, in the teacher's language, with Windows line ends (it opens in Notepad)."""
    with force_locale(teacher.language):
        paragraphs = [_("Your data: the classes you registered"),
                      _("Made on %(date)s for %(name)s (%(email)s).", date=data["generated_at"][:10],
                        name=teacher.name, email=teacher.email),
                      *(str(part) for part in README_PARTS)]
    return "\r\n\r\n".join(paragraphs) + "\r\n"


@dataclass
class Export:
    archive: tempfile.SpooledTemporaryFile
    classes: int
    entries: int
    files: int


def teacher_export(teacher: User) -> Export:
    """Build the teacher's ZIP (in a temporary file) and record ``data.exported``. Flushes; never commits."""
    data, files = teacher_data(teacher)
    storage = get_storage()
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("README.txt", readme(teacher, data).encode("utf-8"))
        written, gone = set(), set()
        for path, key in files:
            if path in written:
                continue
            try:
                source = storage.open(key)
            except FileNotFoundError:  # replaced in another tab since the rows were read: deleted meanwhile
                gone.add(path)
                continue
            written.add(path)
            with source, out.open(path, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
        for line in (f for c in data["classes"] for e in c["entries"] for f in e["files"]):
            if line["in_archive"] in gone:
                line["in_archive"] = None
        out.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    archive.seek(0)
    entries = sum(len(c["entries"]) for c in data["classes"])
    record(AuditAction.DATA_EXPORTED, teacher, classes=len(data["classes"]), entries=entries, files=len(files))
    db.session.flush()
    return Export(archive, len(data["classes"]), entries, len(files))


