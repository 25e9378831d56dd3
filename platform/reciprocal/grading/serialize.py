"""The JSON shape of a grading run, for the API and the review pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row

from ..models import GradingRun, TestResult
from . import screenshots

COUNTS = ("passed", "failed", "errors", "skipped")


def counts(run: GradingRun | Row[Any], names: tuple[str, ...] = COUNTS) -> dict[str, int | None]:
    """A run's counts, or nulls when its report was altered: what the candidate's code made the
    report say is no score, for any consumer (the API, webhooks, exports)."""
    altered = run.integrity == "altered"
    return {name: None if altered else getattr(run, name) for name in names}


def serialise_run(
    run: GradingRun | Row[Any] | None,
    *,
    include_output: bool = True,
    tests: Iterable[TestResult | Row[Any]] | None = None,
) -> dict[str, Any] | None:
    """A run's JSON. `run` is a GradingRun, or a plain row with the same column names (the API's
    lean read), in which case its per-test results come as plain rows in `tests`. An altered
    run's counts are null; its `tests` are what the altered report claimed, kept as evidence
    beside `integrity` and `integrity_evidence`."""
    if run is None:
        return None
    if tests is None:
        tests = run.tests
    data: dict[str, Any] = {
        "id": run.id,
        "status": run.status,
        "reason": run.reason,
        **counts(run),
        "queued_at": run.queued_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "duration_seconds": run.duration_seconds,
        "attempts": run.attempts,
        "image": run.image,
        "image_digest": run.image_digest,
        "runtime": run.runtime,
        "limits": run.limits,
        "tamper_flags": run.tamper_flags,
        "integrity": run.integrity,
        "integrity_evidence": run.integrity_evidence,
        "checks": [c for c in (run.checks or "").split("+") if c],
        # The photographs of the candidate's pages; each is served to staff at
        # /submissions/<submission>/runs/<run>/screenshots/<name>.png.
        "screenshots": [{"name": shot["name"], "width": shot.get("width")}
                        for shot in screenshots.shown(run)],
        "tests": [
            {
                "name": t.name,
                "classname": t.classname,
                "outcome": t.outcome,
                "duration": t.duration,
                "message": t.message,
            }
            for t in tests
        ],
    }
    if include_output:
        data["output"] = run.output
        data["output_truncated"] = run.output_truncated
    return data
