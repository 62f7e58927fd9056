"""Judging tables: rubrics, jury, rounds, assignments, scores and awards."""
from .award import Award, AwardKind
from .export_job import ExportJob, ExportKind, JobStatus
from .ranking_snapshot import RankingSnapshot
from .jury import Conflict, ConflictKind, JurorProfile
from .round import Assignment, RemovedPair, Round, RoundStatus, ScoringMethod, ShortlistEntry, order_key
from .rubric import Criterion, Rubric
from .score import ScoreSet, ScoreStatus, ScoreValue
from .tie import TieOrder

__all__ = [
    "Assignment", "Award", "ExportJob", "ExportKind", "JobStatus", "RemovedPair", "AwardKind", "RankingSnapshot", "Conflict", "ConflictKind", "Criterion", "JurorProfile", "Round",
    "RoundStatus", "Rubric", "ScoreSet", "ScoreStatus", "ScoreValue", "ScoringMethod", "ShortlistEntry", "TieOrder",
    "order_key",
]
