"""Which RQ workers are alive, read from Redis: for the reconcilers (is a job's worker still
there?), the sweeper (which jobs still run?) and `/readyz` (what each worker found of its Docker
engine). Nothing here imports the ORM: the worker process uses it too."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from rq import Queue, Worker
from rq.registry import StartedJobRegistry

from .queue_names import QUEUE_NAMES

# How often a busy worker heartbeats; a worker silent for 4 intervals is taken as dead.
MONITORING_SECONDS = 5
ENGINE_KEY = "reciprocal:worker-engine:{name}"
# The header a grading job names itself with when it asks the platform for a run's hidden tests
# or its submission: only the job that holds a running run is served.
JOB_HEADER = "X-Reciprocal-Job"


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def live_worker_names(connection: Redis) -> set[str]:
    """Workers that are registered and heartbeated recently (a SIGKILLed one stays registered
    until its key expires, so registration alone does not mean alive). A worker on this host
    whose process is gone is dead at once: under `serve` the maintenance process shares the
    host with the workers, so a killed worker's job is re-enqueued without waiting for its
    heartbeat to go stale."""
    cutoff = datetime.now(UTC) - timedelta(seconds=4 * MONITORING_SECONDS + 5)
    here = socket.gethostname()
    names = set()
    for worker in Worker.all(connection=connection):
        if worker.hostname == here and worker.pid and _pid_gone(int(worker.pid)):
            continue
        beat = worker.last_heartbeat
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=UTC)
        if beat is None or beat >= cutoff:
            names.add(worker.name)
    return names


def live_job_ids(connection: Redis) -> set[str]:
    """Ids of jobs that a live worker is running now, on every queue."""
    live_workers = live_worker_names(connection)
    ids: set[str] = set()
    for name in QUEUE_NAMES:
        registry = StartedJobRegistry(name, connection=connection)
        for job_id in registry.get_job_ids():
            job = Queue(name, connection=connection).fetch_job(job_id)
            if job is not None and job.worker_name in live_workers:
                ids.add(job_id)
    return ids


def engine_reports(connection: Redis, names: set[str]) -> dict[str, dict[str, Any]]:
    """What each live worker last found of its Docker engine (for `/readyz`)."""
    reports = {}
    for name in sorted(names):
        raw = connection.get(ENGINE_KEY.format(name=name))
        reports[name] = json.loads(raw) if raw else {"ok": False, "error": "not reported yet"}
    return reports


