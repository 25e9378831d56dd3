"""Assignments (loaded from assignments/<slug>/) and their immutable content versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow


class Assignment(Model):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(30))
    runner: Mapped[str] = mapped_column(String(30))
    time_cap_minutes: Mapped[int]
    time_cap_reason: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "greenfield", "existing-codebase" or "bug-fix" (assignments/spec.py KINDS).
    kind: Mapped[str] = mapped_column(String(30), default="greenfield",
                                      server_default="greenfield")
    stack: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evaluation: Mapped[str] = mapped_column(Text, default="")
    results_visible_to_candidate: Mapped[bool] = mapped_column(default=True)
    # `[ai_policy]` (assignments/ai_policy.py): whether AI assistants may be used, and the
    # team's words on what is fine ("" shows the use's default text).
    ai_use: Mapped[str] = mapped_column(String(30), default="allowed-with-disclosure",
                                        server_default="allowed-with-disclosure")
    ai_policy_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_versions.id", use_alter=True)
    )
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_version: Mapped[AssignmentVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class AssignmentVersion(Model):
    """One content hash of an assignment folder, snapshotted under the data directory.

    An invitation keeps the version it was given, so grading uses exactly that version's hidden
    tests even after the assignment's folder changes.
    """

    __tablename__ = "assignment_versions"
    __table_args__ = (UniqueConstraint("assignment_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The latest valid `assignments validate --record` of this content: {"environment": the
    # image tag it was validated with (runner image for the defaults), "ids": the tests the
    # reference solution's run reported, "at": when}. A generic tool's reports are compared
    # with those ids; empty until validated.
    validation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict,
                                                       server_default=text("'{}'"))

    assignment: Mapped[Assignment] = relationship(foreign_keys=[assignment_id])
