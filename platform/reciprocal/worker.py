"""`reciprocal worker`: an RQ worker on named queues, with container sweeping.

RQ forks a work horse per job, so the worker starts no thread of its own: sweeping runs in RQ's
own maintenance step of the main loop (at start-up and every SWEEP_SECONDS while idle), where it
removes this installation's grading containers whose job no live worker is running (left by a
worker that was killed), and records whether the Docker engine answers, which `/readyz` of the
web process reads from Redis (the web process needs no Docker access). SIGTERM is RQ's warm
shutdown: the current job finishes, then the worker exits.

A grading worker checks at start that its engine offers the configured runtime (gVisor's runsc
by default) and refuses to start otherwise. Once registered it starts its pool process
(runner.pool_server: pre-started containers handed to the horses over a Unix socket; a process
of its own because this one forks) and stops it at its death; the sweep also removes pooled
containers of workers that are gone.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker

from .config import setting
from .core.queue_names import QUEUE_NAMES
from .core.workers import ENGINE_KEY, MONITORING_SECONDS, live_job_ids, live_worker_names
from .grading import tasks as grading_tasks
from .grading.worker import installation_id
from .observability import install_token_redaction
from .runner import RunnerUnavailable, docker_client, engine_ping, sweep_orphans
from .runner.engine import INSTALLATION_LABEL
from .runner.pool import SOCKET_ENV
from .runner.pool_server import start_pool_process
from .runner.runtime import RuntimeMissing, configured_runtime, require_runtime
from .runner.sweeper import sweep_pools
from .supervisor import die_with_parent

log = logging.getLogger(__name__)
SWEEP_SECONDS = 20
# Grading containers carry the run id (see grading.worker); only those are swept.
RUN_LABEL = "reciprocal.run"
# The job code is imported here, at the top: RQ forks a work horse per job, and a horse that
# inherits the modules starts its job without paying for the imports again.
GRADING_TASKS = grading_tasks


def sweep(connection: Redis, installation_id: str) -> int:
    mine = [RUN_LABEL, f"{INSTALLATION_LABEL}={installation_id}"]
    try:
        jobs = live_job_ids(connection)
        removed = sweep_orphans(jobs, required_labels=mine)
        removed += sweep_pools(live_worker_names(connection), jobs,
                               required_labels=[f"{INSTALLATION_LABEL}={installation_id}"])
    except Exception as exc:  # noqa: BLE001 - sweeping must never stop the worker
        log.warning("container sweep failed: %s", exc)
        return 0
    if removed:
        log.warning("removed %d orphaned runner containers", removed)
    return removed


def engine_status() -> dict[str, Any]:
    try:
        engine_ping()
    except RunnerUnavailable as exc:
        return {"ok": False, "error": str(exc)[:200], "runtime": configured_runtime()}
    return {"ok": True, "runtime": configured_runtime()}


def check_runtime(queue_names: list[str]) -> None:
    """Refuse to start a grading worker whose engine lacks the configured runtime. An engine
    that does not answer yet is no reason to refuse: grading waits for it, as before."""
    if "grading" not in queue_names:
        return
    try:
        runtime = configured_runtime()
        require_runtime(docker_client(), runtime)
    except ValueError as exc:
        raise SystemExit(f"reciprocal worker: {exc}") from exc
    except RuntimeMissing as exc:
        raise SystemExit(f"reciprocal worker refuses to start: {exc}") from exc
    except RunnerUnavailable as exc:
        log.warning("the Docker engine does not answer yet (%s); the runtime is checked by "
                    "every run", exc)


class ReciprocalWorker(Worker):
    """RQ's worker plus the sweep and the engine report in its maintenance step, and work
    horses that die with their worker: RQ puts each horse in a process group of its own, so a
    killed worker would leave its horse grading on while the reconciler hands the same run to
    another job (and a sweep removes the horse's container under it)."""

    installation_id = ""
    pooled = False
    _pool: subprocess.Popen[bytes] | None = None
    _pool_dir: Path | None = None

    def register_birth(self) -> None:
        super().register_birth()
        if self.pooled:  # after the birth: a sweep never takes the new pool for a dead one's
            self._start_pool()

    def register_death(self) -> None:
        self._stop_pool()
        super().register_death()

    def _start_pool(self) -> None:
        self._pool_dir = Path(tempfile.mkdtemp(prefix="reciprocal-pool-"))
        path = self._pool_dir / "pool.sock"
        self._pool = start_pool_process(self.name, self.installation_id, path)
        os.environ[SOCKET_ENV] = str(path)  # the horses, forked from here, ask it

    def _stop_pool(self) -> None:
        if self._pool is not None and self._pool.poll() is None:
            self._pool.terminate()  # it removes its idle containers
            try:
                self._pool.wait(timeout=120)  # what it leaves, the sweep removes
            except subprocess.TimeoutExpired:
                self._pool.kill()
        self._pool = None
        if self._pool_dir is not None:
            shutil.rmtree(self._pool_dir, ignore_errors=True)

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
        if self._pool is not None and self._pool.poll() is not None:
            log.warning("the container pool exited (%s); starting it again", self._pool.returncode)
            self._stop_pool()
            self._start_pool()


def run_worker(queue_names: list[str], *, name: str | None = None, burst: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_token_redaction()  # RQ logs each failed job's traceback: no credential in it
    unknown = set(queue_names) - set(QUEUE_NAMES)
    if unknown:
        raise SystemExit(f"unknown queues: {', '.join(sorted(unknown))}")
    url = setting("RECIPROCAL_REDIS_URL")
    if not url:
        raise SystemExit("RECIPROCAL_REDIS_URL must point at the platform's Redis")
    check_runtime(queue_names)
    connection = Redis.from_url(url)
    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    queues = [Queue(q, connection=connection) for q in queue_names]
    worker = ReciprocalWorker(queues, connection=connection, name=worker_name,
                              job_monitoring_interval=MONITORING_SECONDS,
                              maintenance_interval=SWEEP_SECONDS)
    worker.installation_id = installation_id()
    worker.pooled = "grading" in queue_names and setting("RECIPROCAL_RUNNER_POOL_SIZE") > 0
    worker.work(burst=burst, with_scheduler=True)
