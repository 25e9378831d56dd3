"""RQ entry points of queue `grading`: thin, they take ids and call the worker side, which
needs no database (it talks to the platform over HTTP)."""

from __future__ import annotations

import logging
from typing import Any

from rq import get_current_job

from ..core import builds
from . import worker

log = logging.getLogger(__name__)


def grade(run_id: int, job_id: str) -> str:
    """Grade one run; an environment it builds is noted in the job's Redis (core.builds)."""
    job = get_current_job()

    def notify(tag: str, **fields: Any) -> None:
        if job is not None:
            builds.record(job.connection, tag, worker=job.worker_name or "", **fields)

    return worker.grade(run_id, job_id, notify=notify)


def grading_failed(job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: after the last retry, record the run as an infrastructure error. The
    platform is told what failed in one word; the exception's text only goes to its log."""
    if job.retries_left:
        return
    run_id, job_id = job.args[0], job.args[1]
    try:
        worker.report_failure(run_id, job_id, worker.failure_kind(exc_value),
                              f"{exc_type.__name__}: {exc_value}")
    except worker.PlatformUnavailable as exc:
        log.error("could not report the failure of run %s: %s", run_id, exc)
