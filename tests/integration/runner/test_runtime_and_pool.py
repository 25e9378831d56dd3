"""The grading runtime (gVisor's runsc unless RECIPROCAL_RUNNER_RUNTIME=runc) and the pool of
pre-started containers, against the real Docker engine and real worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from docker.errors import NotFound
from reciprocal.runner import Limits, image_for, run_tests
from reciprocal.runner.engine import INSTALLATION_LABEL, container_options
from reciprocal.runner.pool import (
    EXPIRES_LABEL,
    POOL_LABEL,
    SOCKET_ENV,
    ContainerPool,
    PoolKey,
    job_of_taken,
    taken_name,
)
from reciprocal.runner.pool_server import serve
from reciprocal.runner.runtime import (
    RuntimeMissing,
    configured_runtime,
    host_pids_limit,
    require_runtime,
)
from reciprocal.runner.sweeper import sweep_pools
from reciprocal.worker import sweep

from tests.support.paths import ROOT
from tests.support.processes import end_session

pytestmark = pytest.mark.docker
WriteTree = Callable[[str, dict[str, str]], Path]
PASSING = {"test_ok.py": "from solution import VALUE\n\ndef test_ok():\n    assert VALUE == 1\n"}


def _wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _pooled(client: docker.DockerClient, owner: str) -> list[str]:
    """Ids of the pooled containers of ``owner`` (low-level: no inspect that could race)."""
    return [c["Id"] for c in
            client.api.containers(all=True, filters={"label": f"{POOL_LABEL}={owner}"})]


def test_lock_down_names_the_runtime(
    runner_images: dict[str, str], docker_client: docker.DockerClient
) -> None:
    """`docker inspect` of a grading container: the configured runtime and the lock-down."""
    limits = Limits()
    options = container_options("python", runner_images["python"], limits,
                                {"reciprocal.job": f"inspect-{uuid.uuid4().hex[:8]}"})
    container = docker_client.containers.create(**options)
    try:
        host = docker_client.api.inspect_container(container.id)["HostConfig"]
    finally:
        container.remove(force=True)
    runtime = configured_runtime()
    assert host["Runtime"] == runtime
    if os.environ.get("CI") and not os.environ.get("RECIPROCAL_RUNNER_RUNTIME"):
        assert runtime == "runsc"  # the default, under which CI runs the hostile suite
    assert host["NetworkMode"] == "none"
    assert host["CapDrop"] == ["ALL"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["ReadonlyRootfs"] is True and host["Privileged"] is False
    assert host["Init"] is True
    assert host["Memory"] == host["MemorySwap"] == limits.memory_mb * 2**20
    assert host["PidsLimit"] == host_pids_limit(limits.pids, runtime)


def test_a_run_records_its_runtime(runner_images: dict[str, str], tree: WriteTree) -> None:
    result = run_tests("python", tree("sub", {"solution.py": "VALUE = 1\n"}),
                       tree("hidden", PASSING), Limits(timeout_seconds=60))
    assert result.status == "passed", (result.reason, result.output)
    assert result.runtime == configured_runtime()


def test_an_engine_without_the_runtime_is_refused(docker_client: docker.DockerClient) -> None:
    assert require_runtime(docker_client) == configured_runtime()
    with pytest.raises(RuntimeMissing, match="no 'runsc-absent' runtime"):
        require_runtime(docker_client, "runsc-absent")


def test_the_runtime_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECIPROCAL_RUNNER_RUNTIME", "kata")
    with pytest.raises(ValueError, match="runsc, runsc-<variant> or runc"):
        configured_runtime()
    monkeypatch.setenv("RECIPROCAL_RUNNER_RUNTIME", "runc")
    assert configured_runtime() == "runc"


@pytest.fixture
def pool(
    runner_images: dict[str, str], docker_client: docker.DockerClient, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[ContainerPool]:
    """A pool of one python container per key, served on a socket that run_tests asks."""
    owner = f"test-pool-{uuid.uuid4().hex[:10]}"
    made = ContainerPool(owner, container_options, {INSTALLATION_LABEL: owner}, size=1,
                         idle=600, client=docker_client)
    path = tmp_path / "pool.sock"
    stop = threading.Event()
    server = threading.Thread(target=serve, args=(made, path, stop), daemon=True)
    server.start()
    made.start()
    _wait_for(path.exists, 30, "the pool's socket")
    monkeypatch.setenv(SOCKET_ENV, str(path))
    try:
        yield made
    finally:
        stop.set()
        server.join(timeout=30)
        made.stop()
        left = _pooled(docker_client, owner)
        for container_id in left:
            docker_client.api.remove_container(container_id, force=True)
        assert not left, "the pool left containers behind when stopped"


def test_a_job_takes_a_pre_started_container_and_each_runs_once(
    pool: ContainerPool, docker_client: docker.DockerClient, tree: WriteTree
) -> None:
    key = PoolKey("python", image_for("python"), Limits(), configured_runtime())
    pool.want(key)
    sub, hidden = tree("sub", {"solution.py": "VALUE = 1\n"}), tree("hidden", PASSING)
    taken: list[str] = []
    for _ in range(3):
        ready = _wait_for(lambda: [c for c in _pooled(docker_client, pool.owner)
                                   if c not in taken], 120, "a pre-started container")
        assert len(ready) == 1  # one per key: the pool never hands a container back in
        container = ready[0]
        state = docker_client.api.inspect_container(container)
        assert state["State"]["Running"] is True  # started before the job asked
        assert state["HostConfig"]["Runtime"] == configured_runtime()
        assert state["Config"]["OpenStdin"] is True
        before = pool.handed_out
        result = run_tests("python", sub, hidden, Limits())
        assert result.status == "passed", (result.reason, result.output)
        assert pool.handed_out == before + 1
        with pytest.raises(NotFound):  # it ran this one job and is gone
            docker_client.containers.get(container)
        taken.append(container)
    assert len(set(taken)) == 3


def test_a_container_that_waited_past_the_time_limit_runs_its_job_warm(
    pool: ContainerPool, docker_client: docker.DockerClient, tree: WriteTree
) -> None:
    """The run's time counts from its job, not from the container's start; and the judge
    that runs it was started before the job arrived."""
    limits = Limits(timeout_seconds=10)
    key = PoolKey("python", image_for("python"), limits, configured_runtime())
    pool.want(key)
    _wait_for(lambda: _pooled(docker_client, pool.owner), 120, "a pre-started container")
    time.sleep(limits.timeout_seconds + 2)  # the wait under test: longer than the run's limit
    sub, hidden = tree("sub", {"solution.py": "VALUE = 1\n"}), tree("hidden", PASSING)
    result = run_tests("python", sub, hidden, limits)
    assert pool.handed_out == 1
    assert result.status == "passed", (result.reason, result.output)
    assert result.judge == "warm" and result.integrity == "clean"


def test_other_limits_start_cold_and_are_learned(
    pool: ContainerPool, docker_client: docker.DockerClient, tree: WriteTree
) -> None:
    limits = Limits(memory_mb=256)
    key = PoolKey("python", image_for("python"), limits, configured_runtime())
    sub, hidden = tree("sub", {"solution.py": "VALUE = 1\n"}), tree("hidden", PASSING)
    result = run_tests("python", sub, hidden, limits)  # nothing ready for these limits yet
    assert result.status == "passed", (result.reason, result.output)
    assert pool.handed_out == 0
    ready = _wait_for(lambda: pool.counts().get(key.image), 120, "the learned key's container")
    assert ready == 1
    pooled = _pooled(docker_client, pool.owner)[0]
    host = docker_client.api.inspect_container(pooled)["HostConfig"]
    assert host["Memory"] == 256 * 2**20


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def _worker_env(redis_url: str, installation: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPROCAL_")}
    env.update({
        "RECIPROCAL_REDIS_URL": redis_url,
        "RECIPROCAL_WORKER_TOKEN": "pool-test-token",
        "RECIPROCAL_INSTALLATION_ID": installation,
        "RECIPROCAL_RUNNER_POOL_SIZE": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        **extra,
    })
    return env


@pytest.mark.slow
def test_a_killed_workers_pool_is_swept(
    runner_images: dict[str, str], docker_client: docker.DockerClient, redis_url: str,
    redis_conn: Any, tmp_path: Path,
) -> None:
    """SIGKILL the worker and its pool process (no clean-up runs): a sweep by any worker of the
    installation removes every pooled container the dead worker left."""
    installation = f"pool-kill-{uuid.uuid4().hex[:8]}"
    name = f"pool-kill-worker-{uuid.uuid4().hex[:6]}"
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "grading", "--name", name],
        cwd=ROOT, env=_worker_env(redis_url, installation), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        pooled = _wait_for(lambda: len(_pooled(docker_client, name)) >= 2, 180,
                           "the worker's pool to start containers")
        assert pooled
        pool_pids = [pid for pid in _children(worker.pid)
                     if b"pool_server" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(pool_pids) == 1
        os.kill(pool_pids[0], signal.SIGKILL)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert _pooled(docker_client, name), "a SIGKILLed pool cannot clean up after itself"
        assert sweep(redis_conn, installation) >= 1
        assert _pooled(docker_client, name) == []
    finally:
        end_session(worker)  # the killed worker's scheduler too
        log.close()
        sweep_pools(set(), client=docker_client,
                    required_labels=[f"{INSTALLATION_LABEL}={installation}"])


@pytest.mark.slow
def test_a_worker_stopped_cleanly_removes_its_pool(
    runner_images: dict[str, str], docker_client: docker.DockerClient, redis_url: str,
    tmp_path: Path,
) -> None:
    installation = f"pool-stop-{uuid.uuid4().hex[:8]}"
    name = f"pool-stop-worker-{uuid.uuid4().hex[:6]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "grading", "--name", name],
        cwd=ROOT, env=_worker_env(redis_url, installation),
        stdout=(tmp_path / "worker.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # One per image: the worker is well past its start-up (RQ loses a SIGTERM that arrives
        # while it starts its scheduler: the worker then never exits).
        _wait_for(lambda: len(_pooled(docker_client, name)) >= 3, 180, "the pooled containers")
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=90)
        except subprocess.TimeoutExpired:
            raise AssertionError((tmp_path / "worker.log").read_text()[-3000:]) from None
        _wait_for(lambda: not _pooled(docker_client, name), 60, "the pool to be removed")
    finally:
        end_session(worker)
        sweep_pools(set(), client=docker_client,
                    required_labels=[f"{INSTALLATION_LABEL}={installation}"])


def test_a_worker_refuses_to_start_without_its_runtime(
    docker_client: docker.DockerClient, redis_url: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "grading", "--burst"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=_worker_env(redis_url, "refuse", RECIPROCAL_RUNNER_RUNTIME="runsc-absent"),
    )
    assert done.returncode != 0
    message = done.stderr + done.stdout
    assert "refuses to start" in message and "no 'runsc-absent' runtime" in message, message
    assert "scripts/ensure-docker.sh" in message


def test_the_sweeper_knows_pooled_containers(
    runner_images: dict[str, str], docker_client: docker.DockerClient
) -> None:
    """Idle ones of a live worker stay; a dead worker's, an expired one and one taken by a job
    that no longer runs go."""
    installation = f"pool-sweep-{uuid.uuid4().hex[:8]}"
    mine = [f"{INSTALLATION_LABEL}={installation}"]
    now = time.time()

    def pooled(owner: str, expires: float, job: str | None = None) -> str:
        labels = {INSTALLATION_LABEL: installation, POOL_LABEL: owner,
                  EXPIRES_LABEL: str(int(expires))}
        container = docker_client.containers.create(
            **container_options("python", runner_images["python"], Limits(), labels))
        if job is not None:
            container.rename(taken_name({"reciprocal.job": job}, str(container.id)) or "")
        return str(container.id)

    idle = pooled("live-worker", now + 600)
    running = pooled("live-worker", now + 600, job="grading-7-20261202")
    orphans = [pooled("dead-worker", now + 600), pooled("live-worker", now - 1),
               pooled("live-worker", now + 600, job="grading-8-20261202")]
    try:
        removed = sweep_pools({"live-worker"}, {"grading-7-20261202"}, client=docker_client,
                              required_labels=mine)
        assert removed == 3
        left = {c["Id"] for c in docker_client.api.containers(
            all=True, filters={"label": mine})}
        assert left == {idle, running}
        assert job_of_taken(docker_client.api.inspect_container(running)["Name"]) == \
            "grading-7-20261202"
    finally:
        sweep_pools(set(), client=docker_client, required_labels=mine)
    assert not docker_client.api.containers(all=True, filters={"label": mine})
    assert not set(orphans) & left
