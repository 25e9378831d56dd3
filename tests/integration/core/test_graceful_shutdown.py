"""`reciprocal worker` on SIGTERM: RQ's warm shutdown lets the running job finish, then exits.

This is what `docker stop` (and compose, and Kubernetes) send to a worker container.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from rq import Queue
from rq.job import JobStatus

from tests.support.paths import ROOT
from tests.support.processes import end_session
from tests.support.services import free_port

pytestmark = pytest.mark.slow


def _wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_sigterm_lets_the_running_job_finish(
    redis_conn: Any, redis_url: str, tmp_path: Path
) -> None:
    env = dict(os.environ)
    env.update(
        {
            "RECIPROCAL_REDIS_URL": redis_url,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
            # The start-up sweep of runner containers must not touch the shared Docker engine
            # (it would remove other workers' containers): this test needs no engine.
            "DOCKER_HOST": f"unix://{tmp_path / 'no-docker.sock'}",
        }
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "maintenance"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        job = Queue("maintenance", connection=redis_conn).enqueue(
            "tests.support.jobs.slow_job", str(tmp_path), 2.0, job_timeout=60
        )
        _wait_for(lambda: (tmp_path / "started").exists(), 30, "the job to start")
        assert not (tmp_path / "finished").exists()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        output = worker.stdout.read().decode(errors="replace") if worker.stdout else ""
    finally:
        end_session(worker)

    assert worker.returncode == 0, output
    assert (tmp_path / "finished").exists(), output
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == "done"
    assert "warm shut down" in output.lower(), output


def test_gunicorn_drains_in_flight_requests_on_sigterm(tmp_path: Path) -> None:
    """The image's gunicorn settings: SIGTERM stops accepting, in-flight requests complete."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "SLOW_WSGI_MARKER": str(tmp_path / "slow-request-arrived"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        }
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:reciprocal.gunicorn_conf",
            "tests.support.slow_wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    answers: list[Any] = []
    try:

        def up() -> bool:
            try:
                return requests.get(url + "/", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        _wait_for(up, 30, "gunicorn")
        slow = threading.Thread(
            target=lambda: answers.append(requests.get(url + "/slow", timeout=30))
        )
        slow.start()
        _wait_for((tmp_path / "slow-request-arrived").exists, 30, "the request in flight")
        server.send_signal(signal.SIGTERM)
        slow.join(30)
        server.wait(timeout=40)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    assert answers and answers[0].status_code == 200 and answers[0].text == "done"
    assert server.returncode == 0
    assert not up()
