"""`reciprocal worker`: an RQ worker on named queues, with container sweeping.

At start-up, and every 20 s while it runs, the worker removes runner containers whose job is
not running anywhere (left by a worker that was killed). SIGTERM is RQ's warm shutdown: the
current job finishes, then the worker exits.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq import Queue, Worker
from rq.registry import StartedJobRegistry

from .services.queues import QUEUE_NAMES

log = logging.getLogger(__name__)
SWEEP_SECONDS = 20
# How often a busy worker heartbeats; a worker silent for 4 intervals is taken as dead.
MONITORING_SECONDS = 5
# Grading containers carry the run id (see services.grading_worker); only those are swept.
RUN_LABEL = "reciprocal.run"


def live_worker_names(connection: Redis) -> set[str]:
    """Workers that are registered and heartbeated recently (a SIGKILLed one stays registered
    until its key expires, so registration alone does not mean alive)."""
    cutoff = datetime.now(UTC) - timedelta(seconds=4 * MONITORING_SECONDS + 5)
    names = set()
    for worker in Worker.all(connection=connection):
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


def sweep(connection: Redis) -> int:
    from .runner import sweep_orphans

    try:
        removed = sweep_orphans(live_job_ids(connection), required_label=RUN_LABEL)
    except Exception as exc:  # noqa: BLE001 - sweeping must never stop the worker
        log.warning("container sweep failed: %s", exc)
        return 0
    if removed:
        log.warning("removed %d orphaned runner containers", removed)
    return removed


def run_worker(queue_names: list[str], *, name: str | None = None, burst: bool = False) -> None:
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
    from .services import grading_worker  # noqa: F401
    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    queues = [Queue(q, connection=connection) for q in queue_names]
    worker = Worker(queues, connection=connection, name=worker_name,
                    job_monitoring_interval=MONITORING_SECONDS)
    stop = threading.Event()

    def sweeper() -> None:
        while not stop.wait(SWEEP_SECONDS):
            sweep(connection)

    sweep(connection)
    threading.Thread(target=sweeper, daemon=True).start()
    try:
        worker.work(burst=burst, with_scheduler=True)
    finally:
        stop.set()
