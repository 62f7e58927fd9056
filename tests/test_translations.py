"""The French catalogue is complete, current with the sources, and compiles."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
SOURCES = ["app.py", "accounts", "competition", "core", "judging", "templates"]


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="fr")


def test_every_french_entry_is_translated_and_not_fuzzy(catalogue):
    missing = [m.id for m in catalogue if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"{len(missing)} French entries are missing: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} French entries are fuzzy: {fuzzy[:10]}"


def test_french_placeholders_match_the_english(catalogue):
    for message in catalogue:
        if message.id and message.python_format:
            python_format(catalogue, message)  # raises TranslationError on a mismatch


def test_catalogue_compiles(catalogue, tmp_path):
    with (tmp_path / "messages.mo").open("wb") as fh:
        write_mo(fh, catalogue, use_fuzzy=False)
    assert (tmp_path / "messages.mo").stat().st_size > 1000


def test_catalogue_holds_every_string_in_the_sources(catalogue, tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
         "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "--no-location", "-o", str(pot), *SOURCES],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        template = read_po(fh)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    absent = sorted(wanted - have)
    assert not absent, f"run `make translations` and translate: {absent[:10]}"
