"""Grading runs and their per-test results. The row is the source of truth, not the RQ job."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the mapper resolves these names from its registry at run time
    from .assignment import AssignmentVersion
    from .submission import Submission


class GradingStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMED_OUT = "timed_out"

    @property
    def finished(self) -> bool:
        return self not in (GradingStatus.QUEUED, GradingStatus.RUNNING)


# What each check of a verdict means, for the people who read it (runner.integrity runs them).
CHECK_WORDS = {
    "boundary": "the hidden tests ran in a process of their own, apart from the submission's "
                "code, which they reached only through calls that return data",
    "sentinels": "tests with outcomes known in advance were added to the run and came out as "
                 "expected",
    "ids": "the tests reported are exactly those collected from the hidden tests",
    "scan": "the submission's code was read for ways of changing the report",
}


class GradingRun(Model):
    __tablename__ = "grading_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=GradingStatus.QUEUED.value)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    passed: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    output: Mapped[str] = mapped_column(Text, default="")
    output_truncated: Mapped[bool] = mapped_column(default=False)
    image: Mapped[str] = mapped_column(String(200), default="")
    image_digest: Mapped[str] = mapped_column(String(100), default="")
    # The OCI runtime the container ran under: "runsc" (gVisor, the default) or "runc".
    runtime: Mapped[str] = mapped_column(String(20), default="", server_default="")
    limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    tamper_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # clean | flagged (warnings with file and line) | altered (the report contradicts the
    # sentinels or the collected ids; the status is then error) | unchecked (graded before
    # the checks existed); the evidence says why, one item per finding
    integrity: Mapped[str] = mapped_column(String(20), default="clean", server_default="clean")
    integrity_evidence: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'"))
    # Which checks the verdict went through, "+"-joined (boundary, sentinels, ids, scan): a
    # reader never takes a weaker check for a stronger one. Empty for runs graded before.
    checks: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # The candidate's pages photographed by the run ({"name", "width"} each; the PNG files are
    # in the data directory, see grading/screenshots.py), in the order the run took them.
    screenshots: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'"))

    # grade | preview (a re-score's run on fixed hidden tests, not the current result until the
    # re-score is confirmed) | rescore (a confirmed preview); see grading/rescore.py
    purpose: Mapped[str] = mapped_column(String(20), default="grade", server_default="grade")
    # the version whose hidden tests ran; None: the invitation's own version
    assignment_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_versions.id"))
    rescore_id: Mapped[int | None] = mapped_column(ForeignKey("rescores.id"), index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("grading_runs.id"))

    submission: Mapped[Submission] = relationship(back_populates="grading_runs")
    assignment_version: Mapped[AssignmentVersion | None] = relationship()
    tests: Mapped[list[TestResult]] = relationship(
        back_populates="run", order_by="TestResult.id", cascade="all, delete-orphan"
    )

    @property
    def finished(self) -> bool:
        return GradingStatus(self.status).finished

    @property
    def altered(self) -> bool:
        return self.integrity == "altered"

    @property
    def scored(self) -> bool:
        """Its counts are a result: finished, and the report was not altered. An altered run's
        counts are what the candidate's code made the report say: never shown as a score."""
        return self.finished and not self.altered

    @property
    def integrity_warnings(self) -> list[dict[str, Any]]:
        """Evidence that did not alter the verdict: warnings for reviewers."""
        return [item for item in self.integrity_evidence or [] if not item.get("alters")]

    @property
    def checks_described(self) -> list[str]:
        """The checks this verdict went through, in words, strongest first."""
        names = [c for c in (self.checks or "").split("+") if c]
        return [CHECK_WORDS[c] for c in CHECK_WORDS if c in names]

    @property
    def preview(self) -> bool:
        return self.purpose == "preview"

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped

    @property
    def runtime_label(self) -> str:
        """The runtime for people: "gVisor (runsc)" or "runc"."""
        if self.runtime.startswith("runsc"):
            return f"gVisor ({self.runtime})"
        return self.runtime or "not recorded"


class TestResult(Model):
    __tablename__ = "test_results"
    __test__ = False  # not a pytest class

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("grading_runs.id"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    classname: Mapped[str] = mapped_column(String(500), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    duration: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    # What the candidate may see of this test: its top-level id, set only when that id is one
    # the hidden tests have (collected apart from the submission). Never the message.
    candidate_id: Mapped[str | None] = mapped_column(String(1000))

    run: Mapped[GradingRun] = relationship(back_populates="tests")
