"""`reciprocal worker`: an RQ worker on named queues, with container sweeping.

RQ forks a work horse per job, so the worker starts no thread of its own: sweeping runs in RQ's
own maintenance step of the main loop (at start-up and every SWEEP_SECONDS while idle), where it
removes this installation's grading containers whose job no live worker is running (left by a
worker that was killed), and records whether the Docker engine answers, which `/readyz` of the
web process reads from Redis (the web process needs no Docker access). SIGTERM is RQ's warm
shutdown: the current job finishes, then the worker exits.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.registry import StartedJobRegistry

from .services.queues import QUEUE_NAMES
from .supervisor import die_with_parent

log = logging.getLogger(__name__)
SWEEP_SECONDS = 20
# How often a busy worker heartbeats; a worker silent for 4 intervals is taken as dead.
MONITORING_SECONDS = 5
# Grading containers carry the run id (see services.grading_worker); only those are swept.
RUN_LABEL = "reciprocal.run"
ENGINE_KEY = "reciprocal:worker-engine:{name}"


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


def sweep(connection: Redis, installation_id: str) -> int:
    from .runner import sweep_orphans
    from .runner.engine import INSTALLATION_LABEL

    mine = [RUN_LABEL, f"{INSTALLATION_LABEL}={installation_id}"]
    try:
        removed = sweep_orphans(live_job_ids(connection), required_labels=mine)
    except Exception as exc:  # noqa: BLE001 - sweeping must never stop the worker
        log.warning("container sweep failed: %s", exc)
        return 0
    if removed:
        log.warning("removed %d orphaned runner containers", removed)
    return removed


def engine_status() -> dict[str, Any]:
    from .runner import RunnerUnavailable, engine_ping

    try:
        engine_ping()
    except RunnerUnavailable as exc:
        return {"ok": False, "error": str(exc)[:200]}
    return {"ok": True}


def engine_reports(connection: Redis, names: set[str]) -> dict[str, dict[str, Any]]:
    """What each live worker last found of its Docker engine (for `/readyz`)."""
    reports = {}
    for name in sorted(names):
        raw = connection.get(ENGINE_KEY.format(name=name))
        reports[name] = json.loads(raw) if raw else {"ok": False, "error": "not reported yet"}
    return reports


class ReciprocalWorker(Worker):
    """RQ's worker plus the sweep and the engine report in its maintenance step, and work
    horses that die with their worker: RQ puts each horse in a process group of its own, so a
    killed worker would leave its horse grading on while the reconciler hands the same run to
    another job (and a sweep removes the horse's container under it)."""

    installation_id = ""

    def main_work_horse(self, job: Any, queue: Queue) -> None:
        parent = os.getppid()
        die_with_parent(signal.SIGKILL)
        if os.getppid() != parent:  # the worker died before the request took effect
            os._exit(1)
        super().main_work_horse(job, queue)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        status = engine_status()
        try:
            self.connection.set(ENGINE_KEY.format(name=self.name), json.dumps(status),
                                ex=3 * SWEEP_SECONDS)
        except RedisError as exc:
            log.warning("could not report the engine's state: %s", exc)
        if status["ok"]:
            sweep(self.connection, self.installation_id)


def run_worker(queue_names: list[str], *, name: str | None = None, burst: bool = False) -> None:
    from .services.grading_worker import installation_id

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    unknown = set(queue_names) - set(QUEUE_NAMES)
    if unknown:
        raise SystemExit(f"unknown queues: {', '.join(sorted(unknown))}")
    url = os.environ.get("RECIPROCAL_REDIS_URL")
    if not url:
        raise SystemExit("RECIPROCAL_REDIS_URL must point at the platform's Redis")
    connection = Redis.from_url(url)
    # Import the job code once here: RQ forks a work horse per job, and a horse that inherits
    # these modules starts its job without paying for the imports again.
    from . import jobs  # noqa: F401
    from .runner import engine  # noqa: F401

    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    queues = [Queue(q, connection=connection) for q in queue_names]
    worker = ReciprocalWorker(queues, connection=connection, name=worker_name,
                              job_monitoring_interval=MONITORING_SECONDS,
                              maintenance_interval=SWEEP_SECONDS)
    worker.installation_id = installation_id()
    worker.work(burst=burst, with_scheduler=True)
