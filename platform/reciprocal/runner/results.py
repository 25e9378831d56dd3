"""What a test run produces: per-test outcomes and the run's verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

OUTCOMES = ("passed", "failed", "error", "skipped")
STATUSES = ("passed", "failed", "error", "timed_out")


@dataclass
class TestOutcome:
    """One test case from the JUnit report."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    classname: str
    outcome: str  # one of OUTCOMES
    duration: float
    message: str  # failure or error message, capped


@dataclass
class RunResult:
    """The verdict of one run.

    ``status`` is "passed", "failed" (the tests ran and some failed), "error" (no usable report:
    the submission did not build, ran out of memory, killed its runner...) or "timed_out".
    ``reason`` is a sentence for humans.
    """

    status: str
    reason: str
    tests: list[TestOutcome] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    output: str = ""
    output_truncated: bool = False
    image: str = ""
    image_digest: str = ""
    runtime: str = ""  # the OCI runtime the container ran under: runsc (gVisor) or runc
    limits: dict[str, Any] = field(default_factory=dict)
    exit_code: int | None = None
    duration_seconds: float = 0.0
    oom_killed: bool = False
    # clean, flagged (the guard or the scan saw something: warnings) or altered (the report
    # contradicts the sentinels or the collected ids: the status is then "error")
    integrity: str = "clean"
    integrity_evidence: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
