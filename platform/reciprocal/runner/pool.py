"""A pool of pre-started, single-use runner containers, so a job never waits for a start.

gVisor costs about a second per container start here. The pool pays it ahead of time: it keeps
``size`` containers per runner image created from ``engine.container_options`` (so exactly the
lock-down a cold container gets), their stdin attached before start and the container started,
its harness blocked reading the header line. A job takes one, streams its tar into the attach
socket it is handed, and from then on the run is the same as a cold one: the job waits, reads
the document and removes the container. The pool never gets a container back.

Where it lives: RQ forks a work horse per job, and a thread in the forking worker could hold a
lock at the fork. So the pool runs in a process of its own (runner.pool_server), started by
``reciprocal worker`` after it registered, which never forks; the horse asks it over a Unix
socket and receives the container id plus the attach socket itself (SCM_RIGHTS), about a
millisecond. Without the pool (its socket unset or silent) a job starts a container cold.

Bounded life: a pooled container carries the pool's owner (the worker's name) and an expiry
time. The pool retires idle ones after RECIPROCAL_RUNNER_POOL_IDLE_SECONDS; the sweeper removes
those whose owner is no live worker, and any past its expiry (idle life + the run's own time
limit).
"""

from __future__ import annotations

import array
import json
import logging
import os
import re
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import docker
import requests
from docker.errors import DockerException, ImageNotFound
from docker.models.containers import Container

from reciprocal.config import setting
from reciprocal.runner.limits import Limits
from reciprocal.runner.runtime import configured_runtime

log = logging.getLogger(__name__)

POOL_LABEL = "reciprocal.pool"  # the worker whose pool made the container
EXPIRES_LABEL = "reciprocal.pool-expires"  # unix time after which the sweeper removes it
SOCKET_ENV = "RECIPROCAL_POOL_SOCKET"  # set by `reciprocal worker` for its work horses
MAX_KEYS = 8  # distinct (image, limits) pairs kept warm; the least recently asked goes first
ASK_TIMEOUT = 5.0
RETRY_SECONDS = 30.0  # after a key's container could not be started
STOP_JOIN_SECONDS = 60.0  # a start under way ends within the engine's own timeout
TAKEN_PREFIX = "reciprocal-job."
JOB_NAME_LABEL = "reciprocal.job"  # the job id a job passes to run_tests (grading.worker)
_NAME_SAFE = re.compile(r"[A-Za-z0-9_-]{1,100}")
EXPIRY_MARGIN = 120  # seconds past the run's own limit before the sweeper takes a taken one
# (language, image, limits, labels) -> keyword arguments of containers.create: the engine's
# container_options, handed in by the pool process so this module does not import the engine.
Options = Callable[[str, str, Limits, Mapping[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class PoolKey:
    """What makes two containers interchangeable: the same options come out of
    ``container_options`` for the same language, image, limits and runtime."""

    language: str
    image: str
    limits: Limits
    runtime: str

    def as_json(self) -> dict[str, Any]:
        return {"language": self.language, "image": self.image,
                "limits": self.limits.as_dict(), "runtime": self.runtime}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PoolKey:
        return cls(language=str(data["language"]), image=str(data["image"]),
                   limits=Limits.from_mapping(data["limits"]), runtime=str(data["runtime"]))


@dataclass
class Pooled:
    """A started container waiting on its stdin, and the attach socket that feeds it."""

    container_id: str
    sock: socket.socket
    born: float = field(default_factory=time.monotonic)


class ContainerPool:
    """The pool itself: lives in the pool process, refilled by one background thread."""

    def __init__(self, owner: str, options: Options, labels: Mapping[str, str], *,
                 size: int | None = None, idle: int | None = None,
                 client: docker.DockerClient | None = None) -> None:
        self.owner = owner
        self.options = options
        self.labels = dict(labels)
        self.size = setting("RECIPROCAL_RUNNER_POOL_SIZE") if size is None else size
        self.idle = setting("RECIPROCAL_RUNNER_POOL_IDLE_SECONDS") if idle is None else idle
        self._client = client or docker.from_env(timeout=120)
        self._idle: OrderedDict[PoolKey, deque[Pooled]] = OrderedDict()
        self._asked: dict[PoolKey, float] = {}
        self._retry_at: dict[PoolKey, float] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.created = 0
        self.handed_out = 0

    # ---------------------------------------------------------------- public

    def want(self, key: PoolKey) -> None:
        """Keep ``size`` containers of ``key`` ready (most recently wanted last)."""
        with self._lock:
            self._idle.setdefault(key, deque())
            self._idle.move_to_end(key)
            evicted = []
            while len(self._idle) > MAX_KEYS:
                gone, old = self._idle.popitem(last=False)
                self._asked.pop(gone, None)
                self._retry_at.pop(gone, None)
                evicted.extend(old)
        for pooled in evicted:
            self.discard(pooled)
        self._wake.set()

    def take(self, key: PoolKey) -> Pooled | None:
        """Hand out a ready container of ``key`` (it leaves the pool for good), or None."""
        self.want(key)
        with self._lock:
            self._asked[key] = time.monotonic()
            ready = self._idle.get(key)
            pooled = ready.popleft() if ready else None
            if pooled is not None:
                self.handed_out += 1
        self._wake.set()
        return pooled

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {key.image: len(ready) for key, ready in self._idle.items()}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._refill_loop, name="pool-refill", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop refilling and remove every idle container."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:  # a start under way is discarded by the thread itself
            self._thread.join(timeout=STOP_JOIN_SECONDS)
        with self._lock:
            leftovers = [p for ready in self._idle.values() for p in ready]
            self._idle.clear()
        if leftovers:  # removed side by side: each removal waits on the runtime's teardown
            with ThreadPoolExecutor(max_workers=min(8, len(leftovers))) as removing:
                list(removing.map(self.discard, leftovers))
        self._remove_untaken()

    def _remove_untaken(self) -> None:
        """Remove, by label, any container of this pool no job took: one whose start outlived
        the join above, or whose removal the engine refused while busy."""
        try:
            found = self._client.api.containers(
                all=True, filters={"label": [f"{POOL_LABEL}={self.owner}"]})
        except (DockerException, requests.exceptions.RequestException):
            return  # the sweeper removes them: they carry our owner and expiry labels
        for container in found:
            names = container.get("Names") or [""]
            if job_of_taken(names[0]) is None:
                _force_remove(self._client, container["Id"])

    # ---------------------------------------------------------------- refill

    def _refill_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = self._refill_once()
            except Exception as exc:  # noqa: BLE001 - the pool must outlive a failing engine
                log.warning("pool refill failed: %s", exc)
                busy = False
                self._stopping.wait(5)
            if not busy:
                self._wake.wait(timeout=5)
                self._wake.clear()

    def _refill_once(self) -> bool:
        """Retire stale containers, start one missing container. True when it did work."""
        self._retire_stale()
        now = time.monotonic()
        with self._lock:
            short = [key for key, ready in self._idle.items()
                     if len(ready) < self.size and self._retry_at.get(key, 0.0) <= now]
            if not short:
                return False
            # The emptiest first (one of each image before a second), then the key a job asked
            # for last, then the order they were wanted in.
            key = min(short, key=lambda k: (len(self._idle[k]), -self._asked.get(k, 0.0)))
        pooled = self._start(key)
        if pooled is None:  # image not built, engine failing: try the others, this one later
            self._retry_at[key] = time.monotonic() + RETRY_SECONDS
            return len(short) > 1
        with self._lock:
            ready = self._idle.get(key)
            if ready is not None and not self._stopping.is_set():
                ready.append(pooled)
                self.created += 1
                return True
        self.discard(pooled)
        return False

    def _retire_stale(self) -> None:
        cutoff = time.monotonic() - self.idle
        stale = []
        with self._lock:
            for ready in self._idle.values():
                while ready and ready[0].born < cutoff:
                    stale.append(ready.popleft())
        for pooled in stale:
            self.discard(pooled)

    def _start(self, key: PoolKey) -> Pooled | None:
        """Create, attach (before start: the harness must never see its stdin closed) and
        start one container with the lock-down of a cold one."""
        if key.runtime != configured_runtime():
            return None
        expires = int(time.time()) + self.idle + key.limits.timeout_seconds + EXPIRY_MARGIN
        labels = {**self.labels, POOL_LABEL: self.owner, EXPIRES_LABEL: str(expires)}
        container = None
        try:
            self._client.images.get(key.image)
            container = self._client.containers.create(
                **self.options(key.language, key.image, key.limits, labels))
            attached = self._client.api.attach_socket(
                container.id, params={"stdin": 1, "stream": 1})
            container.start()
        except ImageNotFound:
            return None
        except (DockerException, requests.exceptions.RequestException) as exc:
            log.warning("could not start a pooled %s container: %s", key.language, exc)
            if container is not None:
                _force_remove(self._client, str(container.id))
            return None
        raw = getattr(attached, "_sock", attached)
        sock = socket.socket(fileno=os.dup(raw.fileno()))
        raw.close()  # closes this descriptor only: the connection stays open through the dup
        attached.close()
        return Pooled(container_id=str(container.id), sock=sock)

    def discard(self, pooled: Pooled) -> None:
        pooled.sock.close()
        _force_remove(self._client, pooled.container_id)


def _force_remove(client: docker.DockerClient, container_id: str) -> None:
    try:
        client.api.remove_container(container_id, force=True)
    except (DockerException, requests.exceptions.RequestException):
        pass  # the sweeper removes it: it carries our owner and expiry labels


# ---------------------------------------------------------------- the horse's side


def ask(key: PoolKey, path: str | None = None, *, timeout: float = ASK_TIMEOUT,
        ) -> tuple[str, socket.socket] | None:
    """Ask the pool at ``path`` (default $RECIPROCAL_POOL_SOCKET) for a container of ``key``:
    (container id, attach socket), or None when there is no pool or none ready."""
    path = path or os.environ.get(SOCKET_ENV)
    if not path:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(path)
            conn.sendall(json.dumps(key.as_json()).encode() + b"\n")
            message, fds, _flags, _addr = socket.recv_fds(conn, 4096, 1)
    except (OSError, ValueError) as exc:
        log.warning("the container pool did not answer (%s); starting a container cold", exc)
        return None
    sockets = [socket.socket(fileno=fd) for fd in fds]
    try:
        answer = json.loads(message or b"{}")
    except ValueError:
        answer = {}
    container_id = answer.get("id") if isinstance(answer, dict) else None
    if not container_id or len(sockets) != 1:
        for sock in sockets:
            sock.close()
        return None
    return str(container_id), sockets[0]


def hand_over(conn: socket.socket, pooled: Pooled | None) -> None:
    """Send ``pooled`` (id and attach socket) down ``conn``, then drop the pool's copy."""
    if pooled is None:
        conn.sendall(b'{"id": null}')
        return
    try:
        conn.sendmsg([json.dumps({"id": pooled.container_id}).encode()],
                     [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                       array.array("i", [pooled.sock.fileno()]))])
    finally:
        pooled.sock.close()


def take_pooled(
    client: docker.DockerClient, key: PoolKey, labels: Mapping[str, str]
) -> tuple[Container, socket.socket] | None:
    """A running pooled container of ``key`` and its attach socket, or None (start one cold).

    Labels are fixed at creation, so the job's id goes into the container's name instead:
    ``docker ps`` shows which job it serves, and the sweeper whether that job still runs."""
    answer = ask(key)
    if answer is None:
        return None
    container_id, sock = answer
    try:
        container = client.containers.get(container_id)
        if container.status == "running":
            name = taken_name(labels, container_id)
            if name is not None:
                container.rename(name)
            return container, sock
        container.remove(force=True)
    except (DockerException, requests.exceptions.RequestException) as exc:
        log.warning("pooled container %s is unusable: %s", container_id[:12], exc)
        _force_remove(client, container_id)
    sock.close()
    return None


def taken_name(labels: Mapping[str, str], container_id: str) -> str | None:
    """``reciprocal-job.<job id>.<container id>``: the name of a pooled container taken by a
    job (None when the job id would not survive in a name unchanged)."""
    job = str(labels.get(JOB_NAME_LABEL, ""))
    if not _NAME_SAFE.fullmatch(job):
        return None
    return f"{TAKEN_PREFIX}{job}.{container_id[:12]}"


def job_of_taken(name: str) -> str | None:
    """The job id in a taken container's name (see taken_name), None for an idle one."""
    name = name.lstrip("/")
    if not name.startswith(TAKEN_PREFIX) or "." not in name[len(TAKEN_PREFIX):]:
        return None
    return name[len(TAKEN_PREFIX):].rsplit(".", 1)[0]
