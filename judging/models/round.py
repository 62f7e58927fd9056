"""Rounds of judging, the entries shortlisted into a round, and who scores what (assignments)."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role
from core.db import UTCDateTime, db, str_enum, utcnow
from judging.models.revision import new_revision

if TYPE_CHECKING:
    from accounts.models import User
    from competition.models import Edition, Entry
    from judging.models.score import ScoreSet


class RoundStatus(enum.StrEnum):
    SETUP = "setup"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def title(self) -> str:
        return str({RoundStatus.SETUP: _l("Being prepared"), RoundStatus.OPEN: _l("Scoring open"),
                    RoundStatus.CLOSED: _l("Closed")}[self])


class ScoringMethod(enum.StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    ZSCORE = "zscore"
    BIAS_ADJUSTED = "bias_adjusted"

    @property
    def title(self) -> str:
        return str({
            ScoringMethod.MEAN: _l("Mean of the jurors' totals"),
            ScoringMethod.MEDIAN: _l("Median of the jurors' totals"),
            ScoringMethod.ZSCORE: _l("Normalised for juror severity (z-scores)"),
            ScoringMethod.BIAS_ADJUSTED: _l("Adjusted for each juror's bias (regularised least squares)"),
        }[self])


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(120))
    jurors_per_entry: Mapped[int] = mapped_column(default=3)
    status: Mapped[RoundStatus] = mapped_column(str_enum(RoundStatus, name="status", length=10),
                                                default=RoundStatus.SETUP)
    method: Mapped[ScoringMethod] = mapped_column(str_enum(ScoringMethod, name="method", length=20),
                                                  default=ScoringMethod.BIAS_ADJUSTED)
    seed: Mapped[int] = mapped_column(default=2026)
    # Secret, random per round, never shown or asked in a form: orders each juror's list (order_key).
    order_secret: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(32))
    show_other_scores: Mapped[bool] = mapped_column(default=False)
    tie_criterion_key: Mapped[str] = mapped_column(String(40), default="relevance")
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A new random token at every change of the row (insert, ORM flush or Core update): the key under which
    # each process caches what a juror's page shows of the round (judging/scoring/cache.py).
    revision: Mapped[str] = mapped_column(String(16), default=new_revision, onupdate=new_revision)

    edition: Mapped[Edition] = relationship("Edition")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="round", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("edition_id", "number"),
        CheckConstraint("jurors_per_entry between 1 and 20", name="k"),
    )

    @property
    def title(self) -> str:
        """The name shown: a default name ("Round 2", "Tour 2", given in its creator's language) in the
        reader's language; a name the secretariat chose, as written."""
        from flask_babel import gettext

        if self.name in (f"Round {self.number}", f"Tour {self.number}"):
            return gettext("Round %(n)d", n=self.number)
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN and (self.closes_at is None or utcnow() < self.closes_at)


class ShortlistEntry(db.Model):
    """An entry taken into a later round (the final): the top N of its category, or above a threshold."""

    __tablename__ = "shortlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # From a final-round proposal (judging/aggregation/final_round.py): how many more jurors this entry gets, each one who has
    # not scored it yet; None: the round's jurors_per_entry, as for a plain shortlist.
    extra_jurors: Mapped[int | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("round_id", "entry_id"),
                      CheckConstraint("extra_jurors is null or extra_jurors between 1 and 20", name="extra_jurors"))


class FinalRoundWorkload(db.Model):
    """The workload the secretariat set for one category of the final round (``final_round.create``, the first
    wave), and the extra score sets proposed and given so far (the first wave's, then each second wave's):
    what ``second_wave.budget`` reads. One row per category; a first wave made again replaces it."""

    __tablename__ = "final_round_workloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    workload: Mapped[int]
    spent: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("round_id", "category_id"),
                      CheckConstraint("workload >= 1", name="workload"), CheckConstraint("spent >= 0", name="spent"))


def order_key(secret: str, assignment_id: int) -> int:
    """Where an assignment sits in its juror's list: a keyed hash of its id, 31 bits (fits every INTEGER).

    Without the round's secret the order cannot be predicted, and it carries nothing of ids or creation order."""
    digest = hashlib.blake2b(str(assignment_id).encode(), key=secret.encode()[:64], digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1


_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A random code for one juror's view of one entry: not an id, not sequential."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


class Assignment(db.Model):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16), unique=True, default=new_code)
    # Place in the juror's list: order_key(round.order_secret, id), so neither ids nor creation order show through.
    # Computed at assignment time (judging/assignment/service.place); the index below finds an entry's neighbours.
    position: Mapped[int] = mapped_column(default=0)
    manual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[Round] = relationship(back_populates="assignments")
    entry: Mapped[Entry] = relationship("Entry")
    juror: Mapped[User] = relationship("User")
    score_set: Mapped[ScoreSet | None] = relationship("ScoreSet", back_populates="assignment", uselist=False,
                                                      cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("round_id", "entry_id", "juror_id"),
        # A juror's list in order, round by round: the previous and next entry are one step along it
        # (judging/scoring/boundary._step); also every lookup by juror.
        Index("ix_assignments_juror_list", "juror_id", "round_id", "position", "code"),
    )

    def can_score(self, user) -> bool:
        return user.is_authenticated and user.id == self.juror_id and user.has_role(Role.JUROR)


class RemovedPair(db.Model):
    """A juror the secretariat took off an entry by hand: later runs of the assignment never put them back."""

    __tablename__ = "removed_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("round_id", "entry_id", "juror_id"),)
