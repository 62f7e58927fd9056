"""Judging tables: rubrics, jury, rounds, assignments, scores and awards."""
from judging.models.award import Award, AwardKind
from judging.models.export_job import ExportJob, ExportKind, JobStatus
from judging.models.jury import Conflict, ConflictKind, JurorProfile
from judging.models.ranking_snapshot import RankingInputsRevision, RankingSnapshot
from judging.models.round import Assignment, RemovedPair, Round, RoundStatus, ScoringMethod, ShortlistEntry, order_key
from judging.models.rubric import Criterion, Rubric
from judging.models.score import ScoreSet, ScoreStatus, ScoreValue
from judging.models.tie import TieOrder

__all__ = [
    "Assignment", "Award", "ExportJob", "ExportKind", "JobStatus", "RemovedPair", "AwardKind", "RankingInputsRevision", "RankingSnapshot", "Conflict", "ConflictKind", "Criterion", "JurorProfile", "Round",
    "RoundStatus", "Rubric", "ScoreSet", "ScoreStatus", "ScoreValue", "ScoringMethod", "ShortlistEntry", "TieOrder",
    "order_key",
]
