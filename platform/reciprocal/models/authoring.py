"""Assignments authored as code: the hosted repository of each assignment, the validation of each
pushed commit, and each publication of a validated commit as the live version."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .assignment import AssignmentVersion
from .types import UTCDateTime, utcnow
from .user import User


class AssignmentRepository(Model):
    """A bare repository under the data directory whose `main` branch is the live version,
    moved only by publishing (or by `assignments sync` for a folder an operator manages)."""

    __tablename__ = "assignment_repositories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The assignment it was copied from ("Use as a starting point"), if any.
    copied_from: Mapped[str | None] = mapped_column(String(100))
    # "folder" while `assignments sync` of an operator's folder writes main; "git" once a
    # version was published from a push (sync then leaves it alone).
    managed_by: Mapped[str] = mapped_column(String(10), default="folder")

    created_by: Mapped[User | None] = relationship()


class ValidationStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the platform could not finish it (worker lost, engine down)

    @property
    def finished(self) -> bool:
        return self in (ValidationStatus.PASSED, ValidationStatus.FAILED, ValidationStatus.ERROR)


class AssignmentValidation(Model):
    """One validation job of one pushed commit: every check of `assignments validate`."""

    __tablename__ = "assignment_validations"

    id: Mapped[int] = mapped_column(primary_key=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("assignment_repositories.id"),
                                               index=True)
    commit_sha: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(255), default="")
    commit_message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=ValidationStatus.QUEUED)
    job_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the worker printed while it worked (environment build, each run), capped.
    log: Mapped[str] = mapped_column(Text, default="")
    # [{"name", "ok", "detail"}] as `assignments validate` prints them.
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The first failing check's name and what it said, for the page's headline.
    failing_step: Mapped[str] = mapped_column(String(200), default="")
    failing_output: Mapped[str] = mapped_column(Text, default="")
    environment: Mapped[str] = mapped_column(String(200), default="")
    ids: Mapped[list[str]] = mapped_column(JSON, default=list)

    repository: Mapped[AssignmentRepository] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def rq_job_id(self) -> str:
        """The job's id under the name the one reconciler reads (core/reconcile.py)."""
        return self.job_id


class AssignmentPublication(Model):
    """A validated commit made the live version: who, when, and which version it became."""

    __tablename__ = "assignment_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("assignment_repositories.id"),
                                               index=True)
    commit_sha: Mapped[str] = mapped_column(String(40))
    validation_id: Mapped[int | None] = mapped_column(ForeignKey("assignment_validations.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("assignment_versions.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "publish" (page, CLI or API) or "sync" (an operator's folder).
    via: Mapped[str] = mapped_column(String(10), default="publish")

    repository: Mapped[AssignmentRepository] = relationship()
    validation: Mapped[AssignmentValidation | None] = relationship()
    version: Mapped[AssignmentVersion] = relationship()
    published_by: Mapped[User | None] = relationship()
