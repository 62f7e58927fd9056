"""``flask export results|social|publication|bundle --out DIR``."""
from __future__ import annotations

import json
import zipfile

from openpyxl import load_workbook


def run(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args])


def test_results_are_written_as_spreadsheets_and_feed(app, awarded, tmp_path):
    result = run(app, "results", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "results"
    assert sorted(p.name for p in folder.iterdir()) == ["results.csv", "results.json", "results.xlsx"]
    assert load_workbook(folder / "results.xlsx").sheetnames
    feed = json.loads((folder / "results.json").read_text("utf-8"))
    assert feed["schema"] == "more-than-migrants/results/1"
    assert f"left out of social: {awarded['second'].reference} (no_social_consent)" in result.output


def test_an_export_before_any_winner_says_so_and_writes_nothing(app, scored, tmp_path):
    scored(3)
    result = run(app, "bundle", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "No winners are decided yet" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_bundle_is_one_zip(app, awarded, tmp_path):
    result = run(app, "bundle", "--out", str(tmp_path / "out"), "--language", "fr")
    assert result.exit_code == 0, result.output
    (archive,) = (tmp_path / "out").glob("*.zip")
    names = zipfile.ZipFile(archive).namelist()
    assert "publication/publication-fr.pdf" in names and "results/results.xlsx" in names
    left_out = zipfile.ZipFile(archive).read("left-out.csv").decode("utf-8-sig")
    assert left_out.startswith("Référence,Titre,Exclue de,Pourquoi")
    assert f"{awarded['second'].reference},{awarded['second'].title},Kit pour les réseaux sociaux," \
           f"\"Pas de consentement aux réseaux sociaux" in left_out
    assert [p.name for p in (tmp_path / "out").iterdir()] == [archive.name], "only the zip is left behind"


def test_an_unknown_kind_or_edition_is_refused(app, awarded, tmp_path):
    assert run(app, "everything", "--out", str(tmp_path)).exit_code == 2
    result = run(app, "results", "--out", str(tmp_path), "--edition", "999")
    assert result.exit_code == 1 and "No such edition." in result.output


def test_the_posting_week_starts_on_the_editions_results_day(app, awarded, edition, tmp_path):
    import csv
    from datetime import date

    from core.db import db

    edition.results_on = date(2027, 12, 6)
    db.session.commit()
    assert run(app, "social", "--out", str(tmp_path)).exit_code == 0
    with open(tmp_path / "social" / "schedule.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    assert rows and all(r[0].startswith("2027-12-") for r in rows), rows[:2]
