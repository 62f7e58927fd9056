"""The layering contracts (pyproject.toml [tool.importlinter], docs/architecture.md) hold, and they would catch
an import hidden inside a function, which is where every past break of the layers sat."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def run_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    if LINT is None:
        pytest.fail("lint-imports is missing: install the test extras (pip install -e '.[test]')")
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([LINT, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_project_keeps_its_layers():
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_contract_ignores_an_import():
    """The layers hold without exceptions: a lower package that needs a higher one gets it registered at init_app
    (docs/architecture.md, "How packages plug in"), never by an ``ignore_imports`` entry."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert contracts
    assert {c["name"]: c["ignore_imports"] for c in contracts if c.get("ignore_imports")} == {}


def test_a_contract_catches_an_import_inside_a_function(tmp_path):
    (tmp_path / "low").mkdir()
    (tmp_path / "high").mkdir()
    (tmp_path / "low" / "__init__.py").write_text("")
    (tmp_path / "high" / "__init__.py").write_text("VALUE = 1\n")
    (tmp_path / "low" / "helpers.py").write_text(textwrap.dedent("""
        def value():
            from high import VALUE  # hidden in a function, as core.files once hid competition.uploads
            return VALUE
    """))
    (tmp_path / "setup.cfg").write_text(textwrap.dedent("""
        [importlinter]
        root_packages =
            low
            high

        [importlinter:contract:layers]
        name = low never imports high
        type = forbidden
        source_modules = low
        forbidden_modules = high
    """))
    result = run_lint(tmp_path)
    assert result.returncode != 0
    assert "low.helpers -> high" in result.stdout
