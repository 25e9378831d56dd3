"""Re-score batches: an assignment's submissions on older versions re-run on fixed hidden tests."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the mapper resolves these names from its registry at run time
    from .assignment import Assignment, AssignmentVersion
    from .grading import GradingRun


class Rescore(Model):
    """previewing (preview runs queued or running) -> ready (all finished) -> confirmed, or
    discarded when a preview on newer tests replaces it before confirmation.

    The state column records "previewing", "confirmed" and "discarded"; "ready" is derived
    from the preview runs, so nothing has to notice the last one finishing."""

    __tablename__ = "rescores"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    to_version_id: Mapped[int] = mapped_column(ForeignKey("assignment_versions.id"))
    from_version_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="previewing")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship()
    to_version: Mapped[AssignmentVersion] = relationship()
    runs: Mapped[list[GradingRun]] = relationship(
        order_by="GradingRun.id", foreign_keys="GradingRun.rescore_id", viewonly=True)
