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
    # The top-level test this case belongs to, as the harness named it (file::test).
    top: str = ""
    # What a candidate may be shown of this test: its top-level id, only when that id is one of
    # the ids collected from the hidden tests apart from the submission (so text the
    # submission's code produced never becomes a name on the candidate's page); else None.
    candidate_id: str | None = None


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
    # clean, flagged (the scan saw something: warnings) or altered (the report contradicts
    # the sentinels or the collected ids, or the scan found what only serves to forge it: the
    # status is then "error")
    integrity: str = "clean"
    integrity_evidence: list[dict[str, Any]] = field(default_factory=list)
    # Which checks ran, "+"-joined: boundary (the hidden tests never shared a process with the
    # candidate's code), sentinels, ids, scan
    checks: str = ""
    # "warm" when the tests' process was started before the job arrived (Python: the judge's
    # interpreter with pytest; Node: the runner with node:test; a command runner's image: its
    # warm test tool, such as Maven; reciprocal_harness.warm), "cold" when it was started for it
    judge: str = ""
    # Seconds the harness spent per step inside the container, from the job's arrival:
    # receive (the files streamed in and extracted), prepare, run (services, build, tests)
    steps: dict[str, float] = field(default_factory=dict)
    # The candidate's pages photographed by the run: {"name", "width", "png"} (base64 PNG)
    screenshots: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
