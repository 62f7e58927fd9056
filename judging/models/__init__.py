"""Judging tables: rubrics, jury, rounds, assignments, scores and awards."""
# Relationships below name competition's classes ("Entry"): importing judging's models alone (a test module, a
# worker) must register those too, before SQLAlchemy configures any mapper.
import competition.models  # noqa: F401, I001
from judging.models.award import Award, AwardKind
from judging.models.export_job import ExportJob, ExportKind, JobStatus
from judging.models.jury import Conflict, ConflictKind, JurorProfile
from judging.models.ranking_snapshot import RankingSnapshot
from judging.models.round import (
    Assignment,
    FinalRoundWorkload,
    RemovedPair,
    Round,
    RoundStatus,
    ScoringMethod,
    ShortlistEntry,
    order_key,
)
from judging.models.rubric import Criterion, Rubric
from judging.models.score import ScoreSet, ScoreStatus, ScoreValue
from judging.models.tie import TieOrder

__all__ = [
    "Assignment", "Award", "ExportJob", "ExportKind", "FinalRoundWorkload", "JobStatus", "RemovedPair", "AwardKind", "RankingSnapshot", "Conflict", "ConflictKind", "Criterion", "JurorProfile", "Round",
    "RoundStatus", "Rubric", "ScoreSet", "ScoreStatus", "ScoreValue", "ScoringMethod", "ShortlistEntry", "TieOrder",
    "order_key",
]
