"""RQ on Redis: named queues, and jobs enqueued only after the database commit that needs them.

A service that wants a job run calls `enqueue_after_commit`; the job is pushed to Redis when the
surrounding transaction commits (and dropped if it rolls back), so a worker never sees an id whose
row is not there yet. If Redis is down at that moment the row stays `queued` and the reconciler
enqueues it later: the database row is the source of truth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from .queue_names import GRADING as GRADING
from .queue_names import MAIL as MAIL
from .queue_names import MAINTENANCE as MAINTENANCE
from .queue_names import QUEUE_NAMES as QUEUE_NAMES
from .queue_names import WEBHOOKS as WEBHOOKS
from .workers import live_worker_names

log = logging.getLogger(__name__)


_PENDING_KEY = "reciprocal_pending_jobs"
SCHEDULED_GRACE = timedelta(seconds=15)


@dataclass
class PendingJob:
    queue: str
    func: str
    args: tuple[Any, ...]
    job_id: str
    timeout: int
    retry: Retry | None = None
    on_enqueued: Callable[[str], None] | None = field(default=None, repr=False)


def redis_connection() -> Redis:
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("RECIPROCAL_REDIS_URL is not set and no private Redis is running")
    conn = current_app.extensions.get("reciprocal_redis")
    if conn is None or current_app.extensions.get("reciprocal_redis_url") != url:
        conn = Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        current_app.extensions["reciprocal_redis"] = conn
        current_app.extensions["reciprocal_redis_url"] = url
    return conn


def queue(name: str, connection: Redis | None = None) -> Queue:
    if name not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or redis_connection())


def enqueue_after_commit(
    queue_name: str, func: str, *args: Any, job_id: str, timeout: int, retry: Retry | None = None
) -> None:
    pending = db.session.info.setdefault(_PENDING_KEY, [])
    pending.append(PendingJob(queue_name, func, args, job_id, timeout, retry))


def enqueue_now(job: PendingJob) -> bool:
    try:
        queue(job.queue).enqueue(
            job.func,
            *job.args,
            job_id=job.job_id,
            job_timeout=job.timeout,
            retry=job.retry,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            on_failure=_failure_callback(job),
        )
    except (RedisError, RuntimeError) as exc:
        log.warning("could not enqueue %s now (%s); the reconciler will retry", job.job_id, exc)
        return False
    return True


# What each kind of job reports when it failed for good (its retries used up).
FAILURE_CALLBACKS = {
    "reciprocal.grading.tasks.grade": "reciprocal.grading.tasks.grading_failed",
    "reciprocal.assignments.tasks.validate": "reciprocal.assignments.tasks.validation_failed",
}


def _failure_callback(job: PendingJob) -> Any:
    name = FAILURE_CALLBACKS.get(job.func)
    return Callback(name, timeout=60) if name else None


def install_session_hooks() -> None:
    """Enqueue a transaction's jobs when it commits, drop them when it rolls back. Called by
    create_app (idempotent); nothing is registered at import time."""
    for name, hook in (("after_commit", _flush_pending), ("after_rollback", _drop_pending)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def _flush_pending(session: Session) -> None:
    pending: list[PendingJob] = session.info.pop(_PENDING_KEY, [])
    for job in pending:
        enqueue_now(job)


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def job_is_live(job_id: str, live_workers: set[str]) -> bool:
    """Whether an RQ job will still run: waiting, scheduled for a retry, or started by a worker
    that is alive. The reconcilers re-enqueue rows whose job is not live."""
    try:
        job = Job.fetch(job_id, connection=redis_connection())
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=True)
    if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
        return True
    if status == JobStatus.SCHEDULED:
        # A retry waits for a scheduler; one that is overdue has no live scheduler to move it
        # (its lock outlives a killed worker for a minute), so the row gets a fresh job.
        registry = ScheduledJobRegistry(job.origin, connection=redis_connection())
        try:
            due = registry.get_scheduled_time(job)
        except NoSuchJobError:
            return False
        return due > datetime.now(UTC) - SCHEDULED_GRACE
    if status == JobStatus.STARTED:
        return bool(job.worker_name) and job.worker_name in live_workers
    return False


def live_workers() -> set[str]:
    return live_worker_names(redis_connection())
