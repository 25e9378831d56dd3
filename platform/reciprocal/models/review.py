"""Who reviews which submission."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow
from .user import User


class ReviewAssignment(Model):
    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class ReviewComment(Model):
    """An inline comment on lines of one file at the commit it was made on."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id"))
    commit_sha: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1000))
    line_start: Mapped[int]
    line_end: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # strength | concern | question
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # On a thread's first comment: the thread was resolved (and by whom); replies keep NULL.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Scorecard(Model):
    """One reviewer's independent scorecard; hidden from others until they submit their own."""

    __tablename__ = "scorecards"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recommendation: Mapped[str | None] = mapped_column(String(20))  # strong_yes|yes|no|strong_no
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    scores: Mapped[list[Score]] = relationship(
        back_populates="scorecard", cascade="all, delete-orphan", order_by="Score.id"
    )


class Score(Model):
    """A level for one rubric criterion, with the evidence for it."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("scorecard_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # great | good | mediocre
    evidence: Mapped[str] = mapped_column(Text, default="")
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id"))

    scorecard: Mapped[Scorecard] = relationship(back_populates="scores")


class InterviewNote(Model):
    """What one interviewer wrote in the follow-up interview kit, per question or section.

    Each author has their own note per section and edits only that one; another reviewer reads
    it only once their own scorecard is submitted (independent scoring, `review.queries`).
    """

    __tablename__ = "interview_notes"
    __table_args__ = (
        UniqueConstraint(
            "submission_id", "author_id", "section", name="uq_interview_notes_author_section"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    # "comment-<id>" for a follow-up question, or a closing section such as "fit" or "candidate".
    section: Mapped[str] = mapped_column(String(60))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
