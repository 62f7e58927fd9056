"""Test modules import no helper across folders, and none from a conftest.

Fixtures shared by several folders live in one plugin, ``tests/fixtures.py``; plain helpers shared by several
folders live in small modules at the top of ``tests/`` named for what they hold (``tests/pages.py``,
``tests/upload_builders.py``, ...). A module under ``tests/`` may import from those, and from the modules of its
own folder; never from a conftest (fixtures reach a test by name, not by import) and never from a module of
another folder, nor from a test module at the top (``tests/test_mail.py``): a helper that two folders need
moves to the top. This test reads every module's imports (its syntax tree, imports inside functions too).
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _target(module: str) -> Path | None:
    """The file of a module under tests/ (a module, or a package's __init__.py); None if it is not ours."""
    if module != "tests" and not module.startswith("tests."):
        return None
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imported_files(path: Path) -> list[tuple[int, Path]]:
    """(line, file) for each module under tests/ that ``path`` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importing module's package
                package = path.relative_to(ROOT).parent.parts
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            # ``from tests.x import y`` imports the module tests/x/y.py when there is one, else names of tests/x
            modules = [f"{base}.{alias.name}" if _target(f"{base}.{alias.name}") else base for alias in node.names]
        else:
            continue
        for module in modules:
            if (target := _target(module)) is not None:
                found.append((node.lineno, target))
            elif module == "tests" or module.startswith("tests."):  # a helper that moved: say so here
                found.append((node.lineno, ROOT.joinpath(*module.split(".")).with_suffix(".py")))
    return found


def allowed(importer: Path, imported: Path) -> bool:
    if imported.name == "conftest.py" or not imported.exists():
        return False
    if imported.parent == importer.parent:
        return True
    return imported.parent == TESTS and not imported.name.startswith("test_")


def crossings(paths) -> list[str]:
    return list(dict.fromkeys(f"{path.relative_to(TESTS)}:{line}: {imported.relative_to(TESTS)}" for path in paths
                              for line, imported in _imported_files(path)
                              if imported != path and not allowed(path, imported)))


def test_no_test_module_imports_across_folders_or_from_a_conftest():
    paths = sorted(TESTS.rglob("*.py"))
    assert len(paths) > 150, "the finder lost the test modules"
    found = crossings(paths)
    assert found == [], ("move the helper to tests/fixtures.py (as a fixture) or to a module at the top of tests/:\n"
                         + "\n".join(found))


def test_the_finder_sees_each_kind_of_crossing(tmp_path):
    """The rule itself, on the real tree: what it lets through and what it refuses."""
    campaign = TESTS / "campaign" / "test_cards.py"
    assert allowed(campaign, TESTS / "fixtures.py")
    assert allowed(TESTS / "judging" / "rounds" / "test_round_views.py", TESTS / "judging" / "rounds" / "assignments.py")
    assert not allowed(campaign, TESTS / "campaign" / "conftest.py")
    assert not allowed(campaign, TESTS / "conftest.py")
    assert not allowed(campaign, TESTS / "judging" / "exports" / "test_scripts.py")
    assert not allowed(TESTS / "reliability" / "test_queue_worker.py", TESTS / "test_mail.py")
    assert _target("tests.judging.exports.test_scripts") == TESTS / "judging" / "exports" / "test_scripts.py"
    assert _target("tests.judging") == TESTS / "judging" / "__init__.py"
    assert _target("flask") is None
    moved = tmp_path / "test_moved.py"
    moved.write_text("from tests.uploads.builders import docx\n")
    assert [imported.name for _line, imported in _imported_files(moved)] == ["builders.py"]
    assert not allowed(moved, TESTS / "uploads" / "builders.py")
