"""The one reconciler: the database row is the source of truth, Redis only carries the job.

A domain says which of its rows wait on a job (a grading run queued or running, a message or a
webhook delivery queued) and how to enqueue one again; `requeue_lost` gives a fresh job to every
such row whose recorded job no live worker will run (Redis lost it, or its worker died).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Select

from ..extensions import db
from . import queues


class JobRow(Protocol):
    id: int
    rq_job_id: str | None


def requeue_lost(waiting: Select[Any], requeue: Callable[[Any], None]) -> list[int]:
    """Enqueue again every row of `waiting` whose job is not live; returns their ids."""
    live = queues.live_workers()
    requeued = []
    for row in db.session.scalars(waiting).all():
        if row.rq_job_id and queues.job_is_live(row.rq_job_id, live):
            continue
        requeue(row)
        requeued.append(row.id)
    return requeued
