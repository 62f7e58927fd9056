"""The frozen projections a juror's pages are drawn from (judging/scoring/boundary.py loads them by column).

Nothing here holds an identity: a code, a category, the work's text and cleaned files, the rubric, the
juror's own scores, the round as jurors see it, the list and its progress.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from judging.models import RoundStatus, ScoreStatus

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class WorkFile:
    id: int
    purpose: str
    kind: str
    width: int | None
    height: int | None
    page_count: int | None
    text: str


@dataclass(frozen=True)
class CriterionView:
    id: int
    key: str
    title: str
    description: str
    weight: Decimal
    scale_min: Decimal
    scale_max: Decimal
    step: Decimal
    required: bool
    descriptors: tuple


@dataclass(frozen=True)
class RubricView:
    id: int
    criteria: tuple[CriterionView, ...]


@dataclass(frozen=True)
class ScoreValueView:
    criterion_id: int
    value: Decimal | None
    comment: str


@dataclass(frozen=True)
class ScoreSetView:
    id: int
    status: str
    overall_comment: str
    total: Decimal | None
    values: tuple[ScoreValueView, ...]


@dataclass(frozen=True)
class RoundInfo:
    number: int
    name: str
    is_open: bool
    show_other_scores: bool


@dataclass(frozen=True)
class ListItem:
    code: str
    category_title: str
    status: str


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


@dataclass(frozen=True)
class JurorEntry:
    """One assignment as its juror sees it: a code, a category, the work, the rubric, their own scores."""

    assignment_id: int
    code: str
    category_title: str
    language: str
    text: str
    translation_text: str
    translation_language: str
    work_files: tuple[WorkFile, ...]
    translation_files: tuple[WorkFile, ...]
    rubric: RubricView | None
    score_set: ScoreSetView | None
    round: RoundInfo
    previous_code: str | None
    next_code: str | None
    progress: Progress

    @property
    def status(self) -> str:
        return self.score_set.status if self.score_set is not None else NOT_STARTED

    @property
    def submitted(self) -> bool:
        return self.status == ScoreStatus.SUBMITTED


@dataclass(frozen=True)
class RoundData:
    """What a juror page shows of a round, as stored: cached per process under the round's revision."""
    number: int
    name: str
    status: str
    closes_at: datetime | None
    show_other_scores: bool

    def info(self, now: datetime) -> RoundInfo:
        is_open = self.status == RoundStatus.OPEN and (self.closes_at is None or now < self.closes_at)
        return RoundInfo(self.number, self.name, is_open, self.show_other_scores)
