"""Audit actions come from one enum (core.audit_actions.AuditAction).

The call sites still pass the codes as strings; this test reads every call of ``core.audit.record`` in the
code (by its syntax tree) and checks that the action each can pass is a member, so that a typo or a new
unlisted action fails here, not on a page. Converting the call sites to members can then be done by script.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.audit_actions import AuditAction

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "migrations"}

# Actions built at run time, by their source text, with every value they can take. A new one fails the test:
# pass AuditAction members instead.
DYNAMIC = {
    "'round_' + action": {"round_open", "round_close", "round_reopen"},
    "f'results.{action}ed'": {"results.published", "results.unpublished"},
}


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP.intersection(path.relative_to(ROOT).parts) and path != Path(__file__).resolve():
            yield path  # not this file: it passes an unknown action on purpose


def _module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text"."""
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def _imported_names(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """local name -> (module, name) for each ``from module import name [as local]``."""
    return {(alias.asname or alias.name): (node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 for alias in node.names}


def _record_callers(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names under which this module calls core.audit.record: plain names, and modules (``audit.record``)."""
    functions, modules = set(), set()
    for local, (module, name) in _imported_names(tree).items():
        if module == "core.audit" and name == "record":
            functions.add(local)
        if module == "core" and name == "audit":
            modules.add(local)
    return functions, modules


def _resolve(expr: ast.expr, tree: ast.Module) -> set[str] | None:
    """The action codes an expression can be; None when it is built at run time."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = _resolve(expr.body, tree), _resolve(expr.orelse, tree)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "AuditAction":
        return {AuditAction[expr.attr].value}
    if isinstance(expr, ast.Name):
        if expr.id in _constants(tree):
            return {_constants(tree)[expr.id]}
        imported = _imported_names(tree).get(expr.id)
        path = imported and _module_path(imported[0])
        if path:
            return _resolve(ast.Name(id=imported[1]), ast.parse(path.read_text(encoding="utf-8")))
    return None


def _actions_passed():
    """(where, source text, codes or None) for each call of core.audit.record."""
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions, modules = _record_callers(tree)
        if not functions and not modules:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if not ((isinstance(func, ast.Name) and func.id in functions) or (
                    isinstance(func, ast.Attribute) and func.attr == "record"
                    and isinstance(func.value, ast.Name) and func.value.id in modules)):
                continue
            action = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "action"), None)
            assert action is not None, f"{path}:{node.lineno}: audit.record without an action"
            yield f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(action), _resolve(action, tree)


def test_every_action_passed_to_record_is_an_audit_action():
    calls = list(_actions_passed())
    assert len(calls) > 60, "the finder lost the call sites"  # 75 today
    members = {action.value for action in AuditAction}
    unknown = [f"{where}: {code}" for where, _source, codes in calls if codes for code in codes - members]
    assert unknown == [], "not in AuditAction:\n" + "\n".join(unknown)
    dynamic = {source for _where, source, codes in calls if codes is None}
    assert dynamic <= set(DYNAMIC), f"actions built at run time: pass AuditAction members instead: {dynamic - set(DYNAMIC)}"
    assert set().union(*DYNAMIC.values()) <= members


def test_the_finder_resolves_what_the_code_writes():
    tree = ast.parse('PURGED = "edition.purged"\n')
    assert _resolve(ast.parse('"city.activated" if active else "city.deactivated"', mode="eval").body, tree) == {
        "city.activated", "city.deactivated"}
    assert _resolve(ast.Name(id="PURGED"), tree) == {"edition.purged"}
    assert _resolve(ast.parse("AuditAction.ROUND_CREATED", mode="eval").body, tree) == {"round.created"}
    assert _resolve(ast.parse("f'results.{action}ed'", mode="eval").body, tree) is None
    found = {where.split(":")[0] for where, _source, _codes in _actions_passed()}
    assert {"retention/purge.py", "retention/export.py", "campaign/operations.py", "judging/rounds/operations.py"} <= found


def test_every_action_has_words():
    from core.audit_wording import ACTIONS

    assert set(ACTIONS) == set(AuditAction)


def test_record_refuses_an_unknown_action(app):
    from core.audit import AuditEvent, record
    from core.db import db

    with pytest.raises(ValueError, match="unknown audit action 'round.created_twice'"):
        record("round.created_twice", object_type="rounds", object_id=1)
    assert record(AuditAction.ROUND_CREATED, object_type="rounds", object_id=1).action == "round.created"
    assert record("entry.created", object_type="entries", object_id=1).action == "entry.created"
    db.session.flush()
    assert sorted(db.session.scalars(db.select(AuditEvent.action))) == ["entry.created", "round.created"]
