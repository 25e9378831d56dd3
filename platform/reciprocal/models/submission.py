"""Submissions: the commit a candidate handed in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the mapper resolves these names from its registry at run time
    from .grading import GradingRun
    from .invitation import Invitation


class Submission(Model):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), unique=True)
    commit_sha: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    time_used_seconds: Mapped[int]
    late: Mapped[bool] = mapped_column(default=False)
    via: Mapped[str] = mapped_column(String(20), default="portal")

    invitation: Mapped[Invitation] = relationship(back_populates="submission")
    grading_runs: Mapped[list[GradingRun]] = relationship(
        back_populates="submission", order_by="GradingRun.id"
    )

    @property
    def latest_run(self) -> GradingRun | None:
        """The current result: a re-score's preview runs do not count until it is confirmed."""
        current = [run for run in self.grading_runs if run.purpose != "preview"]
        return current[-1] if current else None

    @property
    def superseded_runs(self) -> list[GradingRun]:
        return [run for run in self.grading_runs if run.superseded_at is not None]
