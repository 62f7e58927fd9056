"""Audit actions come from one enum (core.audit_actions.AuditAction), and every call site names its member.

This test reads every call of ``core.audit.record`` in the code (by its syntax tree) and checks that the action
is written as a member (``AuditAction.ROUND_CREATED``, a conditional between members, or a module-level dict of
members looked up by key), and that the member exists. A string ("round.created"), a constant holding one, or
a code built at run time fails here, even when the code is a known one: the enum is where a reader (and a
rename) finds every place an action is recorded.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.audit_actions import AuditAction

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "migrations"}


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP.intersection(path.relative_to(ROOT).parts) and path != Path(__file__).resolve():
            yield path  # not this file: it passes an unknown action on purpose


def _member_dicts(tree: ast.Module) -> dict[str, ast.Dict]:
    """Module-level NAME = {...} (dicts an action may be looked up in)."""
    return {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name) and isinstance(node.value, ast.Dict)}


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


class NotAMember(Exception):
    """The action is not written as an AuditAction member (a string, a constant, a code built at run time)."""


def _members(expr: ast.expr, tree: ast.Module) -> set[str]:
    """The names of the AuditAction members an action expression can be; NotAMember when it is not written with
    members. An unknown member's name is returned as is (the caller checks it against the enum)."""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "AuditAction":
        return {expr.attr}
    if isinstance(expr, ast.IfExp):
        return _members(expr.body, tree) | _members(expr.orelse, tree)
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
        table = _member_dicts(tree).get(expr.value.id)
        if table is not None and table.values:
            return set().union(*(_members(value, tree) for value in table.values))
    raise NotAMember(ast.unparse(expr))


def _actions_passed():
    """(where, source text, member names or None) for each call of core.audit.record."""
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
            try:
                members = _members(action, tree)
            except NotAMember:
                members = None
            yield f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(action), members


def test_every_call_site_names_an_audit_action_member():
    calls = list(_actions_passed())
    assert len(calls) > 70, "the finder lost the call sites"  # 77 today
    not_members = [f"{where}: {source}" for where, source, members in calls if members is None]
    assert not_members == [], "pass an AuditAction member, not a string:\n" + "\n".join(not_members)
    unknown = [f"{where}: AuditAction.{name}" for where, _source, members in calls if members
               for name in sorted(members - set(AuditAction.__members__))]
    assert unknown == [], "not in AuditAction:\n" + "\n".join(unknown)


def test_the_finder_reads_what_the_code_writes():
    tree = ast.parse('AUDITED = {"open": AuditAction.ROUND_OPENED, "close": AuditAction.ROUND_CLOSED}\n'
                     'PURGED = "edition.purged"\nCODES = {"open": "round_open"}\n')

    def members(source):
        return _members(ast.parse(source, mode="eval").body, tree)

    assert members("AuditAction.ROUND_CREATED") == {"ROUND_CREATED"}
    assert members("AuditAction.CITY_ACTIVATED if active else AuditAction.CITY_DEACTIVATED") == {
        "CITY_ACTIVATED", "CITY_DEACTIVATED"}
    assert members("AUDITED[action]") == {"ROUND_OPENED", "ROUND_CLOSED"}
    for written in ('"round.created"', "PURGED", "CODES[action]", "'round_' + action", "f'results.{action}ed'",
                    '"city.activated" if active else AuditAction.CITY_DEACTIVATED', "action"):
        with pytest.raises(NotAMember):
            members(written)
    found = {where.split(":")[0] for where, _source, _members in _actions_passed()}
    assert {"retention/purge.py", "retention/export.py", "campaign/operations.py", "judging/rounds/operations.py",
            "competition/cli.py", "judging/exports/views.py"} <= found


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
