"""The offline dependency audit (tools/audit_dependencies.py): OSV range logic on hand-made records, the
ignore file, and the command's exit status."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from tools import audit_dependencies as audit
from tools.audit_dependencies import AuditError, Ignore, affects, in_range

TODAY = date(2026, 12, 7)


def record(*ranges, versions=(), name="demo", **extra) -> dict:
    rec = {"id": extra.pop("id", "PYSEC-0000-1"), "affected": [{
        "package": {"name": name, "ecosystem": "PyPI"},
        "ranges": [{"type": kind, "events": events} for kind, events in ranges],
        "versions": list(versions)}]}
    rec.update(extra)
    return rec


@pytest.mark.parametrize("version, expected", [
    ("0.9", False), ("1.0", True), ("1.0.post1", True), ("1.4.9", True), ("1.5rc1", True), ("1.5", False),
    ("2.0", False)])
def test_introduced_then_fixed(version, expected):
    rec = record(("ECOSYSTEM", [{"introduced": "1.0"}, {"fixed": "1.5"}]))
    assert affects(rec, "demo", version) is expected


@pytest.mark.parametrize("version, expected", [("0.1", True), ("2.0", True), ("2.0.1", False), ("3", False)])
def test_last_affected_includes_that_release_only(version, expected):
    rec = record(("ECOSYSTEM", [{"introduced": "0"}, {"last_affected": "2.0"}]))
    assert affects(rec, "demo", version) is expected


@pytest.mark.parametrize("version, expected", [("1.2", True), ("1.2.0", True), ("1.3rc1", True), ("1.3", False),
                                               ("not-a-version", False), ("weird-1", True)])
def test_explicit_versions_list(version, expected):
    rec = record(versions=["1.2", "1.3rc1", "weird-1"])
    assert affects(rec, "demo", version) is expected


@pytest.mark.parametrize("version, expected", [
    ("4.1.9", False), ("4.2.0", True), ("4.3.5", True), ("4.3.6", False), ("4.4.0", True), ("4.4.3", False),
    ("4.5.2", True), ("4.5.3", False), ("9.0", True), ("9.1", False)])
def test_several_ranges_and_several_intervals_in_one(version, expected):
    rec = record(("ECOSYSTEM", [{"introduced": "4.2.0"}, {"fixed": "4.3.6"}, {"introduced": "4.4.0"},
                                {"fixed": "4.4.3"}, {"introduced": "4.5.0"}, {"fixed": "4.5.3"}]),
                 ("SEMVER", [{"introduced": "9.0.0"}, {"fixed": "9.1.0"}]))
    assert affects(rec, "demo", version) is expected


def test_events_out_of_order_are_sorted_first():
    events = [{"fixed": "2.0"}, {"introduced": "1.0"}]
    assert in_range(Version("1.5"), events) and not in_range(Version("2.0"), events)


def test_introduced_zero_without_a_fix_affects_every_release():
    rec = record(("ECOSYSTEM", [{"introduced": "0"}]))
    assert all(affects(rec, "demo", v) for v in ("0.0.1", "1.0a1", "8.2.0", "2026.1"))


def test_limit_bounds_a_range_and_git_ranges_are_skipped():
    rec = record(("ECOSYSTEM", [{"introduced": "0"}, {"limit": "3.0"}]),
                 ("GIT", [{"introduced": "0"}, {"fixed": "4a7a4e42db8ff757cdf3f4a824f66426036034ef"}]))
    assert affects(rec, "demo", "2.9") and not affects(rec, "demo", "3.0")
    only_git = record(("GIT", [{"introduced": "0"}]))
    assert not affects(only_git, "demo", "1.0")


def test_other_packages_and_ecosystems_do_not_match_names_are_normalised():
    rec = record(("ECOSYSTEM", [{"introduced": "0"}]), name="Flask_SQLAlchemy")
    assert affects(rec, "flask-sqlalchemy", "3.1") and affects(rec, "flask.sqlalchemy", "3.1")
    assert not affects(rec, "flask", "3.1")
    rec["affected"][0]["package"]["ecosystem"] = "npm"
    assert not affects(rec, "flask-sqlalchemy", "3.1")


# --- the whole audit on a hand-made database ------------------------------------------------------------------


@pytest.fixture()
def database(tmp_path) -> Path:
    root = tmp_path / "advisories"
    (root / "pypa" / "vulns" / "demo").mkdir(parents=True)
    (root / "pypa" / "vulns" / "Other_Pkg").mkdir(parents=True)
    (root / "SNAPSHOT_DATE").write_text("2026-07-23\n")

    def write(package, rec):
        (root / "pypa" / "vulns" / package / f"{rec['id']}.yaml").write_text(yaml.safe_dump(rec))

    write("demo", record(("ECOSYSTEM", [{"introduced": "1.0"}, {"fixed": "2.0"}]), id="PYSEC-1",
                         aliases=["CVE-2026-1", "GHSA-aaaa"], details="A real problem."))
    write("demo", record(("ECOSYSTEM", [{"introduced": "0"}]), id="PYSEC-2", withdrawn="2024-11-22T04:37:05Z"))
    write("demo", record(("ECOSYSTEM", [{"introduced": "0"}, {"fixed": "1.0"}]), id="PYSEC-3"))
    write("Other_Pkg", record(versions=["0.5"], name="other-pkg", id="PYSEC-4"))
    return root


def test_a_match_fails_a_withdrawn_record_is_listed_not_counted(database):
    report = audit.audit({"demo": "1.5", "other-pkg": "0.6", "absent": "1.0"}, database, [], TODAY)
    assert [m.id for m in report.matches] == ["PYSEC-1"] and report.failed
    assert [m.id for m in report.withdrawn] == ["PYSEC-2"]
    assert report.checked == 3 and report.records == 4 and report.snapshot == "2026-07-23"
    text = audit.render(report, database, TODAY)
    assert "snapshot of 2026-07-23" in text and "VULNERABLE demo 1.5: PYSEC-1 (CVE-2026-1, GHSA-aaaa)" in text
    assert "withdrawn  demo 1.5: PYSEC-2" in text and text.splitlines()[-1].startswith("FAILED: 1 unreviewed")


def test_an_ignore_entry_by_alias_covers_the_record(database):
    rule = Ignore("CVE-2026-1", "demo", "Only the server is affected.", date(2027, 6, 30))
    report = audit.audit({"demo": "1.5"}, database, [rule], TODAY)
    assert not report.failed and report.matches == [] and [m.id for m, _ in report.ignored] == ["PYSEC-1"]
    assert rule.used and report.unused == []
    # for another package, the same id does not apply
    report = audit.audit({"demo": "1.5"}, database, [Ignore("CVE-2026-1", "other-pkg", "x", date(2027, 1, 1))],
                         TODAY)
    assert report.failed and [i.id for i in report.unused] == ["CVE-2026-1"]


def test_an_ignore_entry_past_its_review_date_fails(database):
    rule = Ignore("PYSEC-1", "demo", "Reviewed once.", date(2026, 12, 6))
    report = audit.audit({"demo": "1.5"}, database, [rule], TODAY)
    assert report.matches == [] and report.expired == [rule] and report.failed
    assert "EXPIRED    ignore entry PYSEC-1 for demo: review was due by 2026-12-06" in audit.render(
        report, database, TODAY)
    assert not audit.audit({"demo": "1.5"}, database, [rule], date(2026, 12, 6)).failed  # due today: still fine


def test_the_ignore_file_is_checked(tmp_path):
    path = tmp_path / "audit-ignore.toml"
    path.write_text('[[ignore]]\nid = "PYSEC-1"\npackage = "Demo_Pkg"\nreason = "why"\nreview_by = 2027-01-31\n')
    (rule,) = audit.load_ignores(path)
    assert (rule.id, rule.package, rule.review_by) == ("PYSEC-1", "demo-pkg", date(2027, 1, 31))
    assert audit.load_ignores(tmp_path / "none.toml") == []
    for bad, message in [('id = "X"\npackage = "p"\nreview_by = 2027-01-31\n', "lacks reason"),
                         ('id = "X"\npackage = "p"\nreason = "r"\nreview_by = "soon"\n', "must be a date"),
                         ('id = "X"\npackage = "p"\nreason = "r"\nreview_by = 2027-02-30\n', "cannot read")]:
        path.write_text("[[ignore]]\n" + bad)
        with pytest.raises(AuditError, match=message):
            audit.load_ignores(path)


def test_the_command_exit_status_and_a_missing_database(database, tmp_path, capsys):
    ignore = tmp_path / "audit-ignore.toml"
    ignore.write_text("")
    assert audit.main(["--advisories", str(tmp_path / "nowhere"), "--ignore", str(ignore)]) == 2
    err = capsys.readouterr().err
    assert "no advisory database at" in err and "--advisories PATH" in err
    (database / "pypa" / "vulns" / "setuptools").mkdir()  # the venv's own distributions are checked
    (database / "pypa" / "vulns" / "setuptools" / "PYSEC-9.yaml").write_text(yaml.safe_dump(
        record(("ECOSYSTEM", [{"introduced": "0"}]), name="setuptools", id="PYSEC-9")))
    assert audit.main(["--advisories", str(database), "--ignore", str(ignore)]) == 1
    assert "VULNERABLE setuptools" in capsys.readouterr().out
    ignore.write_text('[[ignore]]\nid = "PYSEC-9"\npackage = "setuptools"\nreason = "test"\nreview_by = 2999-01-01\n')
    assert audit.main(["--advisories", str(database), "--ignore", str(ignore)]) == 0


def test_the_reviewed_ignore_file_of_the_repository_is_valid():
    rules = audit.load_ignores(audit.DEFAULT_IGNORE)
    assert {r.id for r in rules} >= {"PYSEC-2022-43162", "PYSEC-2023-73"}
    assert all(len(r.reason) > 40 and r.package == "redis" for r in rules)


def test_the_default_database_is_beside_the_repository_else_the_machines_shared_copy(tmp_path):
    beside, shared = tmp_path / "clone-parent" / "shared" / "advisories", tmp_path / "work" / "shared" / "advisories"
    (shared / "pypa" / "vulns").mkdir(parents=True)
    assert audit.default_advisories((beside, shared)) == shared  # a clean clone elsewhere (CI)
    (beside / "pypa" / "vulns").mkdir(parents=True)
    assert audit.default_advisories((beside, shared)) == beside
    nowhere = (tmp_path / "a", tmp_path / "b")
    assert audit.default_advisories(nowhere) == nowhere[0]  # the error message names the first
    assert audit.ADVISORY_LOCATIONS[1] == Path("/work/shared/advisories")
