"""Fairness to each candidate: private accommodations, extension requests, notes on results."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the mapper resolves these names from its registry at run time
    from .invitation import Invitation


class Accommodation(Model):
    """Asked for by the candidate before starting; applies at once. Reviewers never see it; a
    recruiter sees that one applies, and the note only if the candidate shared it with them."""

    __tablename__ = "accommodations"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), unique=True)
    extra_time_percent: Mapped[int] = mapped_column(default=0)  # 0, 25, 50 or 100
    note: Mapped[str] = mapped_column(Text, default="")
    note_for_recruiter: Mapped[bool] = mapped_column(default=False)
    base_cap_minutes: Mapped[int]  # the cap before the extra time
    # How often the candidate set it (capped: candidates/time_adjustments.py).
    changes: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExtensionRequest(Model):
    """More time: asked by the candidate (pending until a recruiter decides) or granted by a
    recruiter directly (requested_by_id set)."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    minutes: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|approved|declined
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()


class ResultNote(Model):
    """The candidate's note on a failing test or a rubric criterion, after grading and before
    the decision: shown to reviewers beside the result and in the interview kit."""

    __tablename__ = "result_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))  # test | criterion
    target: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
