"""Validating a pushed assignment commit, worker side: like grading, it needs only the
platform's URL, the worker credential and Docker (never the database).

The job claims its validation, receives the commit's files, runs every check of `assignments
validate` on them (the environment's build, the reference solution, the starter, the wrong
solution, the visible tests, the rubric's tags), sends what it is doing as it goes, and posts the
checks. Everything the assignment's code runs, runs in the runner containers.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..core import archives
from ..grading.worker import PlatformUnavailable, WorkerSettings, installation_id, platform_api
from ..runner import run_tests
from ..runner.engine import INSTALLATION_LABEL
from .hosting import CONTENT_LIMITS
from .validation import validate_folder

log = logging.getLogger(__name__)
FLUSH_SECONDS = 3.0


class ProgressLog:
    """Lines for the validation's page, sent in batches (at most every few seconds)."""

    def __init__(self, settings: WorkerSettings, validation_id: int, job_id: str) -> None:
        self.settings, self.validation_id, self.job_id = settings, validation_id, job_id
        self.pending: list[str] = []
        self.sent_at = 0.0

    def line(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S", time.gmtime())
        self.pending.append(f"{stamp} {text.rstrip()}\n")
        if time.monotonic() - self.sent_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        text, self.pending = "".join(self.pending), []
        self.sent_at = time.monotonic()
        platform_api(self.settings, "POST",
             f"/api/v1/worker/assignment-validations/{self.validation_id}/log",
             job_id=self.job_id, json={"job_id": self.job_id, "text": text})


def validate(validation_id: int, job_id: str, settings: WorkerSettings | None = None) -> str:
    """Run one validation job end to end; returns "passed", "failed" or "skipped"."""
    settings = settings or WorkerSettings.from_env()
    base = f"/api/v1/worker/assignment-validations/{validation_id}"
    claim = platform_api(settings, "POST", f"{base}/claim", json={"job_id": job_id})
    if claim.status_code in (404, 409):
        log.info("validation %s is not ours (%s)", validation_id, claim.status_code)
        return "skipped"
    spec = claim.json()
    progress = ProgressLog(settings, validation_id, job_id)
    settings.scratch_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"validation-{validation_id}-",
                                    dir=settings.scratch_dir))
    try:
        content = platform_api(settings, "GET", f"{base}/content", job_id=job_id)
        if content.status_code != 200:
            raise PlatformUnavailable(f"the commit's files are unavailable "
                                      f"({content.status_code})")
        folder = scratch / str(spec["slug"])
        archives.extract_tar(io.BytesIO(content.content), folder, CONTENT_LIMITS,
                             allow_symlinks=False)
        progress.line(f"validating {spec['slug']} at {str(spec['commit'])[:12]}")
        labels = {"reciprocal.job": job_id, INSTALLATION_LABEL: installation_id()}

        def run(runner: str, tree: Path, hidden: Path, limits: Any, **options: Any) -> Any:
            what = tree.name if tree.parent == folder else "the visible tests"
            progress.line(f"running {what} ({runner} runner)")
            started = time.monotonic()
            options["labels"] = labels
            outcome = run_tests(runner, tree, hidden, limits, **options)
            progress.line(f"{what}: {outcome.status}, {outcome.passed} passed, "
                          f"{outcome.failed + outcome.errors} failed "
                          f"({time.monotonic() - started:.0f} s)")
            return outcome

        report = validate_folder(folder, run=run, progress=progress.line)
        progress.line("done: " + ("every check passed" if report.ok else
                                  f"{sum(not c.ok for c in report.checks)} check(s) failed"))
        progress.flush()
        response = platform_api(settings, "POST", f"{base}/result", job_id=job_id, json={
            "job_id": job_id,
            "result": {"checks": [asdict(c) for c in report.checks], "ids": report.ids,
                       "environment": report.environment},
        })
        if response.status_code != 200:
            raise PlatformUnavailable(f"result refused ({response.status_code}): "
                                      f"{response.text[:200]}")
        return "passed" if report.ok else "failed"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report_failure(validation_id: int, job_id: str, detail: str) -> None:
    settings = WorkerSettings.from_env()
    platform_api(settings, "POST", f"/api/v1/worker/assignment-validations/{validation_id}/failed",
         json={"job_id": job_id, "detail": detail})
