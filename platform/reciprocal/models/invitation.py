"""Invitations: one candidate, one assignment version, one role, one private token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .assignment import Assignment, AssignmentVersion
from .role import Role
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the mapper resolves these names from its registry at run time
    from .submission import Submission


class Invitation(Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    assignment_version_id: Mapped[int] = mapped_column(ForeignKey("assignment_versions.id"))
    candidate_name: Mapped[str] = mapped_column(String(200))
    candidate_email: Mapped[str] = mapped_column(String(254))
    # Shown to reviewers instead of the name while review is blind.
    candidate_code: Mapped[str] = mapped_column(String(20), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    time_cap_minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    start_by: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terms_version: Mapped[str | None] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The AI policy the candidate read when they accepted the terms, frozen then: a policy
    # changed later never makes their disclosure a conflict. None before acceptance.
    ai_use: Mapped[str | None] = mapped_column(String(30))
    ai_policy_text: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The commit the platform made from the starter: the base of Changes and History. Recorded
    # at start, never inferred from the repository (a candidate can forge authors and roots).
    starter_sha: Mapped[str | None] = mapped_column(String(40))
    # Set when the retention period ended the candidate's link: it then opens nothing.
    access_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keep_on_file: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    role: Mapped[Role] = relationship()
    assignment: Mapped[Assignment] = relationship()
    assignment_version: Mapped[AssignmentVersion] = relationship()
    submission: Mapped[Submission | None] = relationship(back_populates="invitation", uselist=False)

    @property
    def status(self) -> str:
        """Where the candidate is: invited, started, submitted, expired, revoked or deleted."""
        if self.code_deleted_at is not None:
            return "deleted"
        if self.revoked_at is not None:
            return "revoked"
        if self.submission is not None:
            return "submitted"
        if self.started_at is not None:
            return "started"
        if utcnow() > self.start_by:
            return "expired"
        return "invited"

    @property
    def time_cap(self) -> timedelta:
        return timedelta(minutes=self.time_cap_minutes)
