"""One transaction per request: views never commit (core/transaction.py commits once, after the response is
known). Read from the source with ``ast``, so a commit hidden in a helper of a views module is found too."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "core", "competition", "campaign", "retention", "judging")



def view_modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*views.py"))


def commits_in(source: str) -> list[int]:
    """Lines that call ``something.commit(...)`` (``db.session.commit()``, ``session.commit()``...)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_the_check_finds_a_commit_however_it_is_written():
    source = "def view():\n    db.session.commit()\n\ndef helper(session):\n    x = 1\n    session.commit()\n"
    assert commits_in(source) == [2, 6]
    assert commits_in("def view():\n    db.session.flush()  # commit later\n") == []


def test_every_package_has_views_to_check():
    found = {path.relative_to(ROOT).parts[0] for path in view_modules()}
    assert found == set(PACKAGES)


def test_no_view_commits():
    committing = {}
    for path in view_modules():
        name = path.relative_to(ROOT).as_posix()
        lines = commits_in(path.read_text(encoding="utf-8"))
        if lines:
            committing[name] = lines
    assert committing == {}, f"views must not commit (core/transaction.py does, once per request): {committing}"
