"""RQ job entry points: thin, they take ids and call services."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def grade(run_id: int, job_id: str) -> str:
    """Grade one run (queue `grading`). Needs no database: it talks to the platform over HTTP."""
    from .services import grading_worker

    return grading_worker.grade(run_id, job_id)


def grading_failed(job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: after the last retry, record the run as an infrastructure error."""
    from .services import grading_worker

    if job.retries_left:
        return
    run_id, job_id = job.args[0], job.args[1]
    try:
        grading_worker.report_failure(run_id, job_id, f"{exc_type.__name__}: {exc_value}")
    except grading_worker.PlatformUnavailable as exc:
        log.error("could not report the failure of run %s: %s", run_id, exc)


def reconcile_gradings() -> list[int]:
    """Re-enqueue lost gradings (queue `maintenance`); runs inside the platform's app context."""
    from . import create_app
    from .extensions import db
    from .services import grading

    app = create_app()
    with app.app_context():
        requeued = grading.reconcile()
        db.session.commit()
        return requeued
