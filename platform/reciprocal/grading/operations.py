"""Grading runs, platform side: request, claim by a worker, record results, reconcile.

A run's row is the source of truth. Workers hold only ids: they claim a run with the RQ job id it
was enqueued under (so a stale duplicate job cannot run it twice), fetch the code over git and the
hidden tests over HTTP, and post the result back. The reconciler re-enqueues runs that the
database says are queued or running but that no live job holds.
"""

from __future__ import annotations

import io
import logging
import tarfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from rq import Retry
from sqlalchemy import select, update

from ..assignments import operations as assignments
from ..assignments.grading_plan import plan_of
from ..assignments.spec import IGNORED_NAMES
from ..core import audit, queues, signals
from ..core.errors import Conflict, NotFound
from ..core.reconcile import requeue_lost
from ..core.redaction import redact_credentials
from ..extensions import db
from ..models import (
    AssignmentVersion,
    GradingRun,
    GradingStatus,
    Submission,
    TestResult,
    User,
    utcnow,
)
from ..runner import Limits
from . import screenshots, serialize
from .integrity import ALTERED_REASON, recorded_integrity, unchanged_from_starter

log = logging.getLogger(__name__)

CONTAINER_GRACE_SECONDS = 30
# A worker whose engine lacks an assignment's environment builds it inside the job first.
ENVIRONMENT_BUILD_SECONDS = 1800
RECONCILE_AFTER = timedelta(seconds=30)


def job_timeout(limits: dict[str, Any], *, environment: bool = False) -> int:
    """RQ's timeout: longer than the container's wall clock plus clone and upload time, and
    the environment's build when the assignment has one."""
    build = ENVIRONMENT_BUILD_SECONDS if environment else 0
    return int(limits.get("timeout_seconds", 120)) + CONTAINER_GRACE_SECONDS + 120 + build


def effective_limits(submission: Submission) -> dict[str, Any]:
    return Limits.from_mapping(submission.invitation.assignment.limits).as_dict()


def request_run(submission: Submission, *, requested_by: User | None) -> GradingRun:
    if submission.invitation.code_deleted_at is not None:
        raise Conflict("the candidate deleted this submission; there is nothing to grade")
    pending = [run for run in submission.grading_runs if not run.finished and not run.preview]
    if pending:
        return pending[-1]
    limits = effective_limits(submission)
    run = GradingRun(
        submission=submission,
        limits=limits,
        requested_by_id=requested_by.id if requested_by else None,
    )
    db.session.add(run)
    db.session.flush()
    _schedule(run)
    if requested_by is not None:
        audit.record(
            "grading.regrade_requested",
            actor=requested_by,
            subject=run,
            submission_id=submission.id,
        )
    return run


def on_submission_received(submission: Submission, **_: object) -> None:
    """Every submission is graded: its first run is queued with the submission's commit."""
    request_run(submission, requested_by=None)


def schedule(run: GradingRun) -> None:
    """Enqueue a flushed run after the commit (re-scores build their own preview runs)."""
    _schedule(run)


def _schedule(run: GradingRun) -> None:
    job_id = f"grading-{run.id}-{utcnow().strftime('%Y%m%d%H%M%S%f')}"
    run.rq_job_id = job_id
    queues.enqueue_after_commit(
        queues.GRADING,
        "reciprocal.grading.tasks.grade",
        run.id,
        job_id,
        job_id=job_id,
        timeout=job_timeout(run.limits, environment=_has_environment(run)),
        retry=_retry(),
    )


def _has_environment(run: GradingRun) -> bool:
    try:
        return plan_of(assignments.version_dir(version_of(run)),
                       run.submission.invitation.assignment.runner).environment
    except (OSError, ValueError, NotFound):
        return False  # the claim reports what is wrong with the version


def _retry() -> Retry | None:
    """Infrastructure failures (daemon down, image missing, platform unreachable) are retried
    with backoff; after the last one the run is recorded as an error a reviewer can re-run."""
    intervals = list(current_app.config["GRADING_RETRY_SECONDS"])
    return Retry(max=len(intervals), interval=intervals) if intervals else None


def get_run(run_id: int) -> GradingRun:
    run = db.session.get(GradingRun, run_id)
    if run is None:
        raise NotFound(f"no grading run {run_id}")
    return run


def claim(run_id: int, job_id: str) -> dict[str, Any] | None:
    """Mark a run running for this job; None when another job owns it or it already finished."""
    claimed = db.session.execute(
        update(GradingRun)
        .where(
            GradingRun.id == run_id,
            GradingRun.rq_job_id == job_id,
            GradingRun.status.in_([GradingStatus.QUEUED.value, GradingStatus.RUNNING.value]),
        )
        .values(
            status=GradingStatus.RUNNING.value,
            started_at=utcnow(),
            attempts=GradingRun.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return None
    run = get_run(run_id)
    db.session.refresh(run)
    sub = run.submission
    if sub.invitation.code_deleted_at is not None:
        run.status = GradingStatus.ERROR.value
        run.reason = "The candidate deleted this submission."
        run.finished_at = utcnow()
        return None
    return {
        "run_id": run.id,
        "submission_id": sub.id,
        "commit_sha": sub.commit_sha,
        "language": sub.invitation.assignment.runner,
        "limits": run.limits,
        "git_url": f"{current_app.config['BASE_URL']}/git/worker/{sub.id}.git",
        "hidden_tests_url": (
            f"{current_app.config['BASE_URL']}/api/v1/worker/runs/{run.id}/hidden-tests"
        ),
        **grading_plan_for(run),
    }


def version_of(run: GradingRun) -> AssignmentVersion:
    """The assignment version whose tests the run runs (a re-score's names its own)."""
    return run.assignment_version or run.submission.invitation.assignment_version


def grading_plan_for(run: GradingRun) -> dict[str, Any]:
    """What the worker needs beyond the defaults: the harness's test configuration, the
    environment to build or use, and the ids a generic tool's report is compared with."""
    version = version_of(run)
    runner = run.submission.invitation.assignment.runner
    plan = plan_of(assignments.version_dir(version), runner)
    found: dict[str, Any] = {"tests": plan.harness_config()}
    if plan.environment:
        found["environment"] = {
            "slug": version.assignment.slug,
            "context_url": (f"{current_app.config['BASE_URL']}/api/v1/worker/runs/{run.id}"
                            "/environment"),
        }
    if runner == "command":
        ids = (version.validation or {}).get("ids")
        found["expected_ids"] = list(ids) if isinstance(ids, list) and ids else None
    return found


def held_by(run_id: int, job_id: str) -> GradingRun:
    """The run, when `job_id` is the job that claimed it and it is running; Conflict otherwise.
    What a worker may read (hidden tests, the submission) is served only to that job."""
    run = get_run(run_id)
    if not job_id or run.rq_job_id != job_id or run.status != GradingStatus.RUNNING.value:
        raise Conflict("this run is not running under this job")
    return run


def running_for_submission(submission_id: int, job_id: str) -> GradingRun:
    """The running run of this submission that `job_id` holds; NotFound otherwise (the worker
    git endpoint answers as for a missing repository)."""
    run = db.session.scalar(select(GradingRun).where(
        GradingRun.submission_id == submission_id,
        GradingRun.rq_job_id == job_id,
        GradingRun.status == GradingStatus.RUNNING.value,
    )) if job_id else None
    if run is None:
        raise NotFound("no such repository")
    return run


def hidden_tests_tar(run_id: int, job_id: str) -> bytes:
    """The hidden tests of exactly the assignment version the candidate was given (a re-score's
    run names the fixed version it runs on), for the job that holds the running run."""
    run = held_by(run_id, job_id)
    return _folder_tar(assignments.version_dir(version_of(run)) / "tests")


def environment_tar(run_id: int, job_id: str) -> bytes:
    """The build context of the run's environment (the version's environment/ folder), for a
    worker whose Docker engine lacks its image: it builds it there, no registry needed."""
    run = held_by(run_id, job_id)
    folder = assignments.version_dir(version_of(run)) / "environment"
    if not folder.is_dir():
        raise NotFound("this run's assignment has no environment")
    return _folder_tar(folder)


def _folder_tar(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(folder, arcname=".", recursive=True, filter=_no_caches)
    return buffer.getvalue()


def _no_caches(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    name = Path(info.name).name
    if name in IGNORED_NAMES or name.endswith(".pyc"):
        return None
    if info.issym() or info.islnk():
        return None
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def record_result(run_id: int, job_id: str, result: dict[str, Any]) -> GradingRun:
    """Store a worker's result for the run it claimed. Idempotent for the same job."""
    run = get_run(run_id)
    if run.rq_job_id != job_id:
        raise Conflict("this result belongs to a job that no longer owns the run")
    if run.finished:
        return run
    status = str(result.get("status", "error"))
    if status not in {s.value for s in GradingStatus} or status in ("queued", "running"):
        status = GradingStatus.ERROR.value
    run.status = status
    run.reason = str(result.get("reason", ""))[:2000]
    for field_name in ("passed", "failed", "errors", "skipped"):
        setattr(run, field_name, max(0, int(result.get(field_name, 0) or 0)))
    run.output = str(result.get("output", ""))[: 2 * 1024 * 1024]
    run.output_truncated = bool(result.get("output_truncated", False))
    run.image = str(result.get("image", ""))[:200]
    run.image_digest = str(result.get("image_digest", ""))[:100]
    run.runtime = str(result.get("runtime", ""))[:20]
    if isinstance(result.get("limits"), dict):
        run.limits = result["limits"]
    run.duration_seconds = float(result.get("duration_seconds") or 0.0)
    run.tamper_flags = _new_tamper_flags(
        run.submission, [str(flag)[:300] for flag in result.get("tamper_flags", [])][:50]
    )
    run.integrity, run.integrity_evidence = recorded_integrity(run.submission, result)
    run.checks = str(result.get("checks") or "")[:60]
    screenshots.store(run, [] if run.altered else result.get("screenshots"))
    if run.altered and run.status != GradingStatus.ERROR.value:
        run.status, run.reason = GradingStatus.ERROR.value, ALTERED_REASON
    run.finished_at = utcnow()
    run.tests.clear()
    for test in list(result.get("tests", []))[:5000]:
        run.tests.append(
            TestResult(
                name=str(test.get("name", ""))[:500],
                classname=str(test.get("classname", ""))[:500],
                outcome=str(test.get("outcome", "error"))[:20],
                duration=float(test.get("duration", 0.0) or 0.0),
                message=str(test.get("message", ""))[:10000],
                candidate_id=None if run.altered else _candidate_id(test.get("candidate_id")),
            )
        )
    audit.record(
        "grading.completed",
        actor_kind="system",
        subject=run,
        status=run.status,
        **serialize.counts(run, ("passed", "failed")),
        integrity=run.integrity,
    )
    db.session.flush()
    if not run.preview:  # a preview is not a result yet: nobody hears of it until confirmed
        signals.grading_completed.send(run)
    return run


def _candidate_id(value: object) -> str | None:
    return str(value)[:1000] if isinstance(value, str) and value else None


def _new_tamper_flags(submission: Submission, flags: list[str]) -> list[str]:
    """Drop flags for files the starter itself ships unchanged (a starter's pyproject.toml is not
    the candidate's doing); reviewers see only what the candidate added or changed."""
    return [flag for flag in flags
            if not unchanged_from_starter(submission, flag.split(":", 1)[0])]


# What failed, as the worker names it (grading.worker.failure_kind), in words for the people who
# read the run: never the exception's own text, which is for operators' logs.
FAILURE_REASONS = {
    "fetch": "the submission could not be fetched from the platform",
    "platform": "the grading worker could not reach the platform",
    "runner": "the test runner was unavailable",
    "environment": "the assignment's environment did not build (Admin → Assignments shows why)",
    "other": "the grading job failed",
}


def mark_infrastructure_failure(run_id: int, job_id: str | None, kind: str,
                                detail: str = "") -> None:
    """The worker used up its retries: the run becomes an error a reviewer can re-run, with a
    generic reason; the worker's detail, masked, goes to the log only."""
    run = db.session.get(GradingRun, run_id)
    if run is None or run.finished or (job_id is not None and run.rq_job_id != job_id):
        return
    log.warning("grading run %s failed on the infrastructure (%s): %s", run_id, kind,
                redact_credentials(detail[:500], current_app.config.get("WORKER_TOKEN") or ""))
    run.status = GradingStatus.ERROR.value
    run.reason = (
        "The grading infrastructure failed and retries were used up: "
        f"{FAILURE_REASONS.get(kind, FAILURE_REASONS['other'])}. A reviewer can re-run it."
    )
    run.finished_at = utcnow()
    audit.record("grading.infrastructure_failed", actor_kind="system", subject=run)


def reconcile(older_than: timedelta = RECONCILE_AFTER) -> list[int]:
    """Re-enqueue runs the database says are queued or running that no live job holds."""
    waiting = select(GradingRun).where(
        GradingRun.status.in_([GradingStatus.QUEUED.value, GradingStatus.RUNNING.value]),
        GradingRun.queued_at < utcnow() - older_than,
    )
    return requeue_lost(waiting, _requeue)


def _requeue(run: GradingRun) -> None:
    run.status = GradingStatus.QUEUED.value
    _schedule(run)
    audit.record("grading.requeued", actor_kind="system", subject=run)


