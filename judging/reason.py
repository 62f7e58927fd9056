"""Machine-readable explanations returned by the judging algorithms.

The algorithms never build sentences: they return a stable ``code`` plus
plain parameters, and the web layer translates them (e.g. with
``_("reason." + code, **params)``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


def sort_key(value: Any) -> tuple[str, Any]:
    """Total order over ids of mixed types (ints before strs, etc.)."""
    return (type(value).__name__, value)
