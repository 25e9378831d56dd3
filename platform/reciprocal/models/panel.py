"""Review panels: which engineers review a role's submissions, who is away, and who handed a
submission back (so the panel does not offer it to them again)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow
from .user import User


class PanelMember(Model):
    """One reviewer on one role's panel."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("role_id", "reviewer_id", name="uq_panel_members_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class ReviewerAway(Model):
    """A reviewer marked away: automatic assignment skips them until the mark is removed."""

    __tablename__ = "reviewer_away"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")


class ReviewHandback(Model):
    """A reviewer gave a submission back to the panel."""

    __tablename__ = "review_handbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
