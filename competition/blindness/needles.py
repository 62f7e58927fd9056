"""What the matcher looks for (a :class:`Needle`: a kind and a name) and what it finds (a :class:`Hit`)."""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS: tuple[str, ...] = ("pupil", "teacher", "school", "class", "city")
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
PERSON_KINDS = frozenset({"pupil", "teacher"})


@dataclass(frozen=True)
class Needle:
    """Something that identifies the makers: ``kind`` is one of :data:`KINDS`."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in KIND_ORDER:
            raise ValueError(f"unknown needle kind {self.kind!r}; expected one of {KINDS}")


@dataclass(frozen=True)
class Hit:
    """One place where a needle was found.

    ``value`` is the needle's value as given (e.g. "Amira K."), ``source`` the
    key of ``texts`` it was found in, ``line`` is 1-based, ``start``/``end``
    index the original text, ``context`` is about 30 characters either side,
    cut at word boundaries, whitespace collapsed, with "…" where cut.
    ``marked`` is the same excerpt in three parts (before, the matched words,
    after), so a page can highlight what matched.
    """

    kind: str
    value: str
    source: str
    line: int
    start: int
    end: int
    context: str
    marked: tuple[str, str, str] = field(default=("", "", ""), compare=False)
