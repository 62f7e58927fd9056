"""Offline dependency audit: every installed distribution against a local copy of the PyPA advisory database.

    .venv/bin/python tools/audit_dependencies.py [--advisories ../shared/advisories] [--ignore audit-ignore.toml]

Reads ``<advisories>/pypa/vulns/<package>/*.yaml`` (OSV records) and ``<advisories>/SNAPSHOT_DATE``; checks
the distributions installed in the running interpreter's environment (``importlib.metadata``), so run it
with the venv's Python. A version is affected by a record when it is listed in ``affected[].versions`` or
falls inside one of ``affected[].ranges`` of type ECOSYSTEM or SEMVER (events ``introduced``, ``fixed``,
``last_affected``, ``limit``; GIT ranges name commits and are skipped), versions compared with
``packaging.version``. Withdrawn records are not advisories any more: they are listed, not counted.

Exit status: 0 when every match is in the ignore file, 1 when a match is not or an ignore entry is past its
review date, 2 when the advisory copy or the ignore file cannot be read. No network, no Flask.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
# Beside the repository (a clone next to shared/), else the machine's shared copy (CI clones elsewhere).
ADVISORY_LOCATIONS = (ROOT.parent / "shared" / "advisories", Path("/work/shared/advisories"))


def default_advisories(locations=ADVISORY_LOCATIONS) -> Path:
    """The first of ``locations`` that holds the database; the first one if none does (the error names it)."""
    for location in locations:
        if (location / "pypa" / "vulns").is_dir():
            return location
    return locations[0]


DEFAULT_ADVISORIES = default_advisories()
DEFAULT_IGNORE = ROOT / "audit-ignore.toml"
RANGE_TYPES = {"ECOSYSTEM", "SEMVER"}


class AuditError(Exception):
    """The audit cannot run (missing or unreadable input): exit status 2."""


def normalise(name: str) -> str:
    """PEP 503 name: ``Flask_SQLAlchemy`` and ``flask-sqlalchemy`` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(text) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def in_range(version: Version, events: list[dict]) -> bool:
    """OSV range evaluation: events sorted by version ("introduced: 0" first); an ``introduced`` at or
    below the version opens the range, a ``fixed`` at or below it closes it, a ``last_affected`` below it
    closes it; a ``limit`` at or below it excludes the version whatever came before."""
    points = []
    for event in events:
        for kind, value in event.items():
            if kind == "limit":
                bound = _version(value)
                if bound is not None and version >= bound:
                    return False
                continue
            at = Version("0") if kind == "introduced" and str(value) == "0" else _version(value)
            if at is None or kind not in ("introduced", "fixed", "last_affected"):
                continue  # an unreadable version or an unknown event: it cannot decide anything
            points.append((at, kind))
    affected = False
    # at one version, "introduced" is applied before what closes the range
    for at, kind in sorted(points, key=lambda p: (p[0], p[1] != "introduced")):
        if kind == "introduced" and version >= at:
            affected = True
        elif kind == "fixed" and version >= at:
            affected = False
        elif kind == "last_affected" and version > at:
            affected = False
    return affected


def affects(record: dict, name: str, version: str) -> bool:
    """Whether the OSV ``record`` affects release ``version`` of PyPI project ``name`` (withdrawal aside)."""
    parsed = _version(version)
    for entry in record.get("affected") or ():
        package = entry.get("package") or {}
        if package.get("ecosystem", "PyPI") != "PyPI" or normalise(package.get("name", "")) != normalise(name):
            continue
        for listed in entry.get("versions") or ():
            if str(listed) == version or (parsed is not None and _version(listed) == parsed):
                return True
        if parsed is None:
            continue
        for rng in entry.get("ranges") or ():
            if rng.get("type") in RANGE_TYPES and in_range(parsed, rng.get("events") or []):
                return True
    return False


@dataclass(frozen=True)
class Match:
    id: str
    aliases: tuple[str, ...]
    package: str
    version: str
    summary: str
    withdrawn: str | None = None

    @property
    def names(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclass
class Ignore:
    id: str
    package: str
    reason: str
    review_by: date
    used: bool = False


@dataclass
class Report:
    snapshot: str
    checked: int = 0
    records: int = 0
    matches: list[Match] = field(default_factory=list)  # not withdrawn, not ignored
    ignored: list[tuple[Match, Ignore]] = field(default_factory=list)
    withdrawn: list[Match] = field(default_factory=list)
    expired: list[Ignore] = field(default_factory=list)
    unused: list[Ignore] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.matches or self.expired)


def load_ignores(path: Path) -> list[Ignore]:
    """``[[ignore]]`` tables with ``id``, ``package``, ``reason`` and ``review_by`` (a TOML date)."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuditError(f"{path}: cannot read the ignore file: {exc}") from exc
    out = []
    for n, item in enumerate(data.get("ignore", []), start=1):
        missing = [k for k in ("id", "package", "reason", "review_by") if not item.get(k)]
        if missing:
            raise AuditError(f"{path}: ignore entry {n} lacks {', '.join(missing)}")
        if not isinstance(item["review_by"], date):
            raise AuditError(f"{path}: ignore entry {n} ({item['id']}): review_by must be a date, like 2027-01-31")
        out.append(Ignore(str(item["id"]), normalise(str(item["package"])), str(item["reason"]).strip(),
                          item["review_by"]))
    return out


def snapshot_date(advisories: Path) -> str:
    stamp = advisories / "SNAPSHOT_DATE"
    return stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "unknown"


def audit(installed: dict[str, str], advisories: Path, ignores: list[Ignore], today: date) -> Report:
    """``installed``: project name -> version."""
    vulns = advisories / "pypa" / "vulns"
    if not vulns.is_dir():
        raise AuditError(f"no advisory database at {vulns}: pass --advisories PATH "
                         "(a copy of the PyPA advisory database; CI has it at ../shared/advisories)")
    folders = {normalise(p.name): p for p in vulns.iterdir() if p.is_dir()}
    report = Report(snapshot=snapshot_date(advisories))
    for name, version in sorted(installed.items()):
        report.checked += 1
        folder = folders.get(normalise(name))
        if folder is None:
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise AuditError(f"{path}: unreadable advisory: {exc}") from exc
            report.records += 1
            if not affects(record, name, version):
                continue
            withdrawn = record.get("withdrawn")
            match = Match(str(record.get("id", path.stem)), tuple(str(a) for a in record.get("aliases") or ()),
                          normalise(name), version, " ".join(str(record.get("summary") or record.get("details")
                                                                 or "").split())[:140],
                          str(withdrawn) if withdrawn else None)
            rule = next((i for i in ignores if i.package == match.package and i.id in match.names), None)
            if rule is not None:
                rule.used = True
                report.ignored.append((match, rule))
            elif match.withdrawn:
                report.withdrawn.append(match)
            else:
                report.matches.append(match)
    report.expired = [i for i in ignores if i.review_by < today]
    report.unused = [i for i in ignores if not i.used]
    return report


def installed_distributions() -> dict[str, str]:
    out = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            out.setdefault(normalise(name), dist.version)
    return out


def render(report: Report, advisories: Path, today: date) -> str:
    lines = [f"Advisory database: {advisories} (PyPA, snapshot of {report.snapshot})",
             f"Checked {report.checked} installed distributions against {report.records} records "
             f"of their projects, on {today.isoformat()}."]
    for m in report.matches:
        lines.append(f"VULNERABLE {m.package} {m.version}: {m.id} ({', '.join(m.aliases) or 'no alias'}) "
                     f"{m.summary}")
    for m, rule in report.ignored:
        gone = f"; withdrawn {m.withdrawn}" if m.withdrawn else ""
        lines.append(f"ignored    {m.package} {m.version}: {m.id} until {rule.review_by}{gone} ({rule.reason})")
    for m in report.withdrawn:
        lines.append(f"withdrawn  {m.package} {m.version}: {m.id} (withdrawn {m.withdrawn}; not counted)")
    for rule in report.expired:
        lines.append(f"EXPIRED    ignore entry {rule.id} for {rule.package}: review was due by {rule.review_by}")
    for rule in report.unused:
        lines.append(f"note       ignore entry {rule.id} for {rule.package} matched nothing in this snapshot")
    if report.failed:
        lines.append(f"FAILED: {len(report.matches)} unreviewed advisories, {len(report.expired)} ignore entries "
                     "past their review date. Upgrade, or review and add an entry to audit-ignore.toml.")
    else:
        lines.append(f"OK: no unreviewed advisory ({len(report.ignored)} ignored after review, "
                     f"{len(report.withdrawn)} withdrawn).")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--advisories", type=Path, default=DEFAULT_ADVISORIES,
                    help="the advisory database copy (default: the first of "
                         f"{', '.join(map(str, ADVISORY_LOCATIONS))} that exists)")
    ap.add_argument("--ignore", type=Path, default=DEFAULT_IGNORE, help="reviewed exceptions (TOML)")
    ap.add_argument("--today", type=date.fromisoformat, default=date.today(), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        report = audit(installed_distributions(), args.advisories, load_ignores(args.ignore), args.today)
    except AuditError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    print(render(report, args.advisories, args.today))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
