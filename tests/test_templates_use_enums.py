"""Templates compare statuses, kinds and purposes with enum members (``entry.status == EntryStatus.DRAFT``),
never with the strings they are stored as, so a renamed or removed value breaks loudly instead of silently
never matching."""
from __future__ import annotations

import enum
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# an enum-valued name (status, kind, purpose, ...), maybe through .value, compared with a quoted string
LITERAL_COMPARISON = re.compile(
    r"\b\w*(status|kind|purpose|method|role|age_group|discipline)(\.value)?\s*(==|!=|\bin\b|\bnot in\b)\s*\(?\s*['\"]")
# an enum member in a template: CampaignStatus.DRAFT
MEMBER = re.compile(r"\b([A-Z][a-z][A-Za-z]*)\.([A-Z][A-Z0-9_]*)\b")


def _templates():
    return sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))


def test_no_template_compares_an_enum_column_with_a_string():
    found = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
             for path in _templates()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LITERAL_COMPARISON.search(line)]
    assert found == [], "compare with the enum's members:\n" + "\n".join(found)


def test_the_guard_sees_a_literal_comparison():
    assert LITERAL_COMPARISON.search("{% if entry.status == 'draft' %}")
    assert LITERAL_COMPARISON.search("{% if kind.value != \"quote\" %}")
    assert LITERAL_COMPARISON.search("{% if sub.status in ('draft', 'returned') %}")
    assert not LITERAL_COMPARISON.search("{% if entry.status == EntryStatus.DRAFT %}")


def test_every_enum_member_a_template_names_exists(app):
    """Each enum a template uses is a global of the app (registered by its package at init_app), and each
    member it names is one of that enum's."""
    globals_ = app.jinja_env.globals
    missing = []
    for path in _templates():
        for name, member in set(MEMBER.findall(path.read_text(encoding="utf-8"))):
            if name == "Role" or name in globals_:
                value = globals_.get(name)
                if isinstance(value, type) and issubclass(value, enum.Enum) and member not in value.__members__:
                    missing.append(f"{path.relative_to(TEMPLATES)}: {name}.{member}")
            else:
                missing.append(f"{path.relative_to(TEMPLATES)}: {name} is not a template global")
    assert missing == []
