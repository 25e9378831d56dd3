"""RQ entry points for assignment validations (queue `grading`: the workers with Docker)."""

from __future__ import annotations

import logging
from typing import Any

from ..grading.worker import PlatformUnavailable
from . import validation_worker

log = logging.getLogger(__name__)


def validate(validation_id: int, job_id: str) -> str:
    return validation_worker.validate(validation_id, job_id)


def validation_failed(job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: the validation could not be finished; the page says so."""
    validation_id, job_id = job.args[0], job.args[1]
    try:
        validation_worker.report_failure(validation_id, job_id,
                                         f"{exc_type.__name__}: {exc_value}"[:2000])
    except PlatformUnavailable as exc:
        log.error("could not report the failure of validation %s: %s", validation_id, exc)
