"""Running hidden tests against a submission inside a locked-down runner container.

The worker side of the harness protocol (see runners/harness/reciprocal_harness):

1. pack ``submission/`` and ``hidden/`` into a tar (never following host symlinks), prefixed
   with a header line carrying a fresh nonce and the caps;
2. create the container locked down (``container_options``: no network, capabilities dropped,
   read-only root, memory, CPU and pids limits), attach to its stdin only, start it and stream
   the payload in (no writable host path, no put_archive);
3. keep the wall clock, kill on overrun, read the OOM flag from the container state;
4. read stdout from the container's log with a byte cap, keep the last JSON document that
   carries our nonce, and parse its JUnit with defusedxml;
5. always remove the container.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
import uuid
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import docker
import requests
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.models.containers import Container
from docker.types import LogConfig, Ulimit

from reciprocal.runner.errors import RunnerUnavailable
from reciprocal.runner.images import docker_client, image_for
from reciprocal.runner.languages import language_spec
from reciprocal.runner.limits import Limits
from reciprocal.runner.payload import REPORT_BYTES, SubmissionTooLarge, build_payload
from reciprocal.runner.pool import PoolKey, take_pooled
from reciprocal.runner.results import RunResult
from reciprocal.runner.runtime import configured_runtime, host_pids_limit
from reciprocal.runner.verdict import Outcome as _Outcome
from reciprocal.runner.verdict import interpret

APP_LABEL = "app"
APP_VALUE = "reciprocal"
JOB_LABEL = "reciprocal.job"
# Which installation started a grading container: two installations may share one engine.
INSTALLATION_LABEL = "reciprocal.installation"
LANGUAGE_LABEL = "reciprocal.runner"
RUNNER_UID = "10001:10001"  # the candidate's test process; the harness drops to it
HARNESS_USER = "0:0"
HARNESS_CAPS = ("CHOWN", "SETUID", "SETGID")
GRACE_SECONDS = 15
# Room in the document for the candidate's pages photographed (the harness caps them at 12 MB,
# base64 adds a third).
SCREENSHOT_BYTES = 17 * 1024 * 1024


def run_tests(
    language: str,
    submission_dir: Path,
    hidden_tests_dir: Path,
    limits: Limits,
    *,
    labels: Mapping[str, str] | None = None,
    client: docker.DockerClient | None = None,
    image: str | None = None,
    tests: Mapping[str, Any] | None = None,
    expected_ids: list[str] | None = None,
) -> RunResult:
    """Run the hidden tests of ``language`` against ``submission_dir`` in a runner container.

    ``image`` is an assignment's environment (built FROM the language's runner image), the
    runner image itself when None; ``tests`` the assignment's test configuration for the harness
    (command, JUnit reports, services, build, screenshots); ``expected_ids`` the test ids the
    reference solution's validated run reported, the only ids a generic tool's report is
    compared with (the `command` runner collects none of its own). Raises RunnerUnavailable for
    infrastructure failures (daemon down, image missing) so the caller can retry; everything the
    candidate's code causes comes back as a RunResult.
    """
    language_spec(language)
    client = docker_client(client)
    image = image or image_for(language)
    try:
        digest = str(client.images.get(image).id)
    except ImageNotFound as exc:
        raise RunnerUnavailable(
            f"runner image {image} is not built; run `reciprocal runners build`"
        ) from exc
    except (APIError, requests.exceptions.RequestException) as exc:
        raise RunnerUnavailable(f"the Docker engine failed: {exc}") from exc
    base = RunResult(
        status="error", reason="", image=image, image_digest=digest, limits=limits.as_dict(),
        runtime=configured_runtime(),
    )
    nonce = secrets.token_hex(16)
    try:
        payload = build_payload(Path(submission_dir), Path(hidden_tests_dir), limits, nonce,
                                tests=tests)
    except SubmissionTooLarge as exc:
        base.reason = str(exc)
        return base
    with payload:
        outcome = _run_container(client, language, image, limits, labels or {}, payload, nonce)
    evidence = (outcome.document or {}).get("integrity")
    if language == "command" and isinstance(evidence, dict) and expected_ids is not None:
        evidence["collected"] = list(expected_ids)  # the platform's, never the container's
    return interpret(outcome, limits=limits, base=base, nonce=nonce, language=language)


# ---------------------------------------------------------------- payload


# ---------------------------------------------------------------- the container


def container_options(
    language: str, image: str, limits: Limits, labels: Mapping[str, str]
) -> dict[str, Any]:
    """Keyword arguments for ``containers.create``: the lock-down of candidate code, in one place.

    Nothing here comes from the candidate; ``labels`` come from the platform.

    Users and capabilities: the container starts as root (``HARNESS_USER``) holding only
    ``HARNESS_CAPS`` (CAP_SETUID, CAP_SETGID, CAP_CHOWN; everything else dropped, and
    no-new-privileges). The harness needs them to extract /work/hidden root-owned and read-only,
    hand /work/submission to uid 10001 and run the candidate's test process as uid 10001 with no
    capabilities at all, so that the candidate's code never shares the harness's uid. Anything
    that creates runner containers (the pool too) must use these options unchanged.
    """
    job = str(labels.get(JOB_LABEL) or uuid.uuid4().hex)
    runtime = configured_runtime()
    memory = f"{limits.memory_mb}m"
    log_bytes = 4 * (limits.output_bytes + REPORT_BYTES) + 2 * SCREENSHOT_BYTES
    return {
        "image": image,
        "runtime": runtime,  # gVisor (runsc) unless RECIPROCAL_RUNNER_RUNTIME says otherwise
        "detach": True,
        "stdin_open": True,  # docker-py also sets AttachStdin and StdinOnce
        "network_mode": "none",
        "cap_drop": ["ALL"],
        "cap_add": list(HARNESS_CAPS),
        "security_opt": ["no-new-privileges"],
        "privileged": False,
        "user": HARNESS_USER,
        "read_only": True,
        "tmpfs": {
            "/work": f"size={limits.tmpfs_mb}m,mode=1777,exec",
            "/tmp": "size=64m,mode=1777",  # noqa: S108 - a tmpfs inside the container
        },
        "working_dir": "/work",
        "mem_limit": memory,
        "memswap_limit": memory,
        "nano_cpus": int(limits.cpus * 1e9),
        "pids_limit": host_pids_limit(limits.pids, runtime),
        "init": True,
        "ulimits": [
            Ulimit(name="nofile", soft=1024, hard=1024),
            Ulimit(
                name="fsize",
                soft=(limits.tmpfs_mb + 64) * 2**20,
                hard=(limits.tmpfs_mb + 64) * 2**20,
            ),
            Ulimit(name="core", soft=0, hard=0),
        ],
        "log_config": LogConfig(
            type=LogConfig.types.JSON, config={"max-size": str(log_bytes), "max-file": "1"}
        ),
        "labels": {
            **{str(k): str(v) for k, v in labels.items()},
            APP_LABEL: APP_VALUE,
            JOB_LABEL: job,
            LANGUAGE_LABEL: language,
        },
        "environment": {},
        "hostname": "runner",
    }


def _run_container(
    client: docker.DockerClient,
    language: str,
    image: str,
    limits: Limits,
    labels: Mapping[str, str],
    payload: IO[bytes],
    nonce: str,
) -> _Outcome:
    container: Container | None = None
    started = time.monotonic()
    try:
        taken = take_pooled(client, PoolKey(language, image, limits, configured_runtime()), labels)
        if taken is not None:  # pre-started, blocked on its stdin (runner.pool)
            container, sock = taken
        else:
            container = client.containers.create(**container_options(language, image, limits,
                                                                     labels))
            sock = client.api.attach_socket(container.id, params={"stdin": 1, "stream": 1})
            container.start()
        started = time.monotonic()
        _send(sock, payload, timeout=limits.timeout_seconds + GRACE_SECONDS)
        hard_timeout = _wait(container, started + limits.timeout_seconds + GRACE_SECONDS)
        duration = time.monotonic() - started
        container.reload()
        state = container.attrs.get("State", {})
        document = None
        if not hard_timeout:
            document = _read_document(container, _log_cap(limits), nonce)
        return _Outcome(
            document=document,
            exit_code=state.get("ExitCode"),
            oom_killed=bool(state.get("OOMKilled")),
            hard_timeout=hard_timeout,
            duration=duration,
        )
    except (DockerException, requests.exceptions.RequestException) as exc:
        raise RunnerUnavailable(f"the Docker engine failed during the run: {exc}") from exc
    finally:
        if container is not None:
            _remove(container)


def _raw_socket(sock: Any) -> socket.socket:
    return getattr(sock, "_sock", sock)


def _send(sock: Any, payload: IO[bytes], *, timeout: float) -> None:
    """Stream the payload into the container's stdin, then half-close so the harness sees EOF.

    A harness that stops reading (a refused tar) makes the daemon drop the connection; that is
    the candidate's failure, reported from the harness's document, so it is not raised here.
    """
    raw = _raw_socket(sock)
    raw.settimeout(timeout)
    try:
        while chunk := payload.read(256 * 1024):
            raw.sendall(chunk)
        raw.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        sock.close()


def _wait(container: Container, deadline: float) -> bool:
    """Wait for the container to exit; kill it at ``deadline``. True when it had to be killed."""
    try:
        container.wait(timeout=max(1.0, deadline - time.monotonic()))
        return False
    except requests.exceptions.ConnectionError:
        pass  # docker-py reports a read timeout on wait as a ConnectionError
    except requests.exceptions.Timeout:
        pass
    try:
        container.kill()
    except APIError:
        pass  # exited between the timeout and the kill
    container.wait(timeout=30)
    return True


def _log_cap(limits: Limits) -> int:
    return 2 * (limits.output_bytes + REPORT_BYTES) + SCREENSHOT_BYTES


def _read_document(container: Container, cap: int, nonce: str) -> dict[str, Any] | None:
    """Read the container's stdout (never stderr) keeping only the last ``cap`` bytes."""
    window: deque[bytes] = deque()
    size = 0
    stream = container.logs(stdout=True, stderr=False, stream=True, follow=False)
    try:
        for chunk in stream:
            window.append(chunk)
            size += len(chunk)
            while size - len(window[0]) >= cap:
                size -= len(window.popleft())
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return last_document(b"".join(window)[-cap:], nonce)


def last_document(data: bytes, nonce: str) -> dict[str, Any] | None:
    """The last complete harness document in ``data`` that carries ``nonce``.

    Documents without the nonce were forged by the candidate (e.g. written to /proc/1/fd/1).
    """
    for line in reversed(data.split(b"\n")):
        line = line.strip()
        if not line.startswith(b'{"reciprocal"'):
            continue
        try:
            document = json.loads(line)
        except ValueError:
            continue
        if isinstance(document, dict) and secrets.compare_digest(
            str(document.get("nonce", "")), nonce
        ):
            return document
    return None


def _remove(container: Container) -> None:
    try:
        container.remove(force=True)
    except NotFound:
        pass
    except (APIError, requests.exceptions.RequestException):
        pass  # the sweeper removes what is left behind (it carries our labels)
