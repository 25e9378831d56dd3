"""Which OCI runtime runs the runner containers: gVisor's ``runsc`` by default, ``runc`` on
request (RECIPROCAL_RUNNER_RUNTIME). A name ``runsc-<variant>`` is gVisor too, registered by the
operator with other flags (``runsc-kvm`` with ``--platform=kvm``, say).

gVisor puts a user-space kernel between the candidate's code and the host's: a kernel bug that
a container escape needs is one the candidate's code cannot reach. It costs about a second per
container start here, which the worker's pool of pre-started containers hides (runner.pool).
The engine must know the runtime (``/etc/docker/daemon.json``, set up by
scripts/ensure-docker.sh); a worker whose engine lacks it refuses to start.
"""

from __future__ import annotations

import docker
import requests
from docker.errors import DockerException

from reciprocal.config import setting
from reciprocal.runner.errors import RunnerUnavailable

RUNTIME_ENV = "RECIPROCAL_RUNNER_RUNTIME"


class RuntimeMissing(RunnerUnavailable):
    """The Docker engine does not offer the configured runtime."""


def configured_runtime() -> str:
    """RECIPROCAL_RUNNER_RUNTIME (runsc, runsc-<variant> or runc), default runsc; anything else
    is refused."""
    return str(setting(RUNTIME_ENV))


def is_gvisor(runtime: str) -> bool:
    return runtime == "runsc" or runtime.startswith("runsc-")


def engine_runtimes(client: docker.DockerClient) -> set[str]:
    """The runtimes the engine offers (``docker info``'s Runtimes)."""
    try:
        info = client.info()
    except (DockerException, requests.exceptions.RequestException) as exc:
        raise RunnerUnavailable(f"the Docker engine failed: {exc}") from exc
    return set((info.get("Runtimes") or {}).keys())


def require_runtime(client: docker.DockerClient, runtime: str | None = None) -> str:
    """Return the configured runtime, or raise RuntimeMissing with what to do about it."""
    runtime = runtime or configured_runtime()
    offered = engine_runtimes(client)
    if runtime not in offered:
        raise RuntimeMissing(
            f"the Docker engine has no {runtime!r} runtime (it offers: "
            f"{', '.join(sorted(offered)) or 'none'}). Grading runs under {runtime} "
            f"({RUNTIME_ENV}); run `bash scripts/ensure-docker.sh` to install gVisor and "
            f"register it in /etc/docker/daemon.json, or set {RUNTIME_ENV}=runc to grade "
            "without gVisor"
        )
    return runtime


# Under gVisor's ptrace platform the host sees the sandbox's own threads (about 40 when idle)
# plus about five host tasks per process inside (measured here: 38 idle, 561 with 100 sleeping
# children), so the host cgroup's cap is scaled: it still bounds what the container can take
# from the host, and a fork bomb that reaches it ends the sandbox (an error verdict) instead of
# failing a submission that starts a handful of processes.
RUNSC_PIDS_BASE = 64
RUNSC_PIDS_PER_PROCESS = 6


def host_pids_limit(pids: int, runtime: str) -> int:
    """The host cgroup's pids cap for a container allowed ``pids`` processes."""
    if is_gvisor(runtime):
        return RUNSC_PIDS_BASE + RUNSC_PIDS_PER_PROCESS * pids
    return pids
