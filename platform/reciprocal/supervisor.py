"""`reciprocal serve`: the embedded platform as one supervised process tree.

The supervisor starts every part as a child process (fork and exec, never a bare fork): a private
redis-server when RECIPROCAL_REDIS_URL is unset, gunicorn (whose master builds no app: each web
worker creates its own after the fork), the RQ grading workers and one maintenance process. It
starts no thread, opens no database or Redis connection and imports no model, so nothing
half-initialised can leak into a child.

When a child dies the supervisor logs it, kills what the child left in its process group (an RQ
work horse), and starts it again after a short backoff that grows while the child keeps dying
young. After Redis or a worker comes back it wakes the maintenance process (SIGUSR1), whose
reconciler re-enqueues every grading, message and delivery that no live job holds. Each child's
state is written to a JSON file that `/readyz` reports.

SIGTERM or SIGINT stops the tree in order: web first (gunicorn drains in-flight requests), then
maintenance and the workers together, Redis last.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("reciprocal.serve")

POLL_SECONDS = 0.25
# A child that ran this long before dying is restarted at once; one that keeps dying young waits
# longer each time (0.5 s, 1 s, 2 s ... at most MAX_BACKOFF).
HEALTHY_AFTER = 30.0
MAX_BACKOFF = 30.0
STATE_ENV = "RECIPROCAL_SUPERVISOR_STATE"
_PR_SET_PDEATHSIG = 1


@dataclass
class ChildSpec:
    """How to run one child. `ready` is polled after a start before later children start."""

    name: str
    argv: list[str]
    env: dict[str, str]
    stop_timeout: float = 30.0
    ready: Callable[[], bool] | None = None
    ready_timeout: float = 20.0
    wakes_maintenance: bool = False  # its restart may have lost jobs: reconcile at once


@dataclass
class Child:
    spec: ChildSpec
    proc: subprocess.Popen[bytes] | None = None
    state: str = "stopped"
    restarts: int = 0
    young_deaths: int = 0
    started_at: float | None = None
    next_start: float = 0.0
    last_exit: str | None = None
    history: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def describe(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "pid": self.pid,
            "restarts": self.restarts,
            "since": _iso(self.started_at),
            "last_exit": self.last_exit,
        }


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds") if stamp else None


def die_with_parent(sig: signal.Signals) -> None:
    """Ask Linux to send `sig` to this process when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig))


def _child_setup() -> None:
    """Run in the child before exec: a process group of its own (killed as a whole when the
    child dies), and SIGTERM if the supervisor itself is killed."""
    os.setsid()
    die_with_parent(signal.SIGTERM)


def exit_text(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


class Supervisor:
    def __init__(self, specs: list[ChildSpec], state_file: Path) -> None:
        self.children = [Child(spec) for spec in specs]
        self.state_file = state_file
        self.stopping = False
        self.started_at = time.time()

    # signals ------------------------------------------------------------------------------

    def _request_stop(self, signum: int, _frame: Any) -> None:
        if not self.stopping:
            log.info("received %s: stopping every child", signal.Signals(signum).name)
        self.stopping = True

    # children -----------------------------------------------------------------------------

    def _start(self, child: Child) -> None:
        child.proc = subprocess.Popen(
            child.spec.argv, env=child.spec.env, preexec_fn=_child_setup
        )
        child.started_at = time.time()
        child.state = "running"
        log.info("started %s (pid %d)", child.spec.name, child.proc.pid)

    def _wait_ready(self, child: Child) -> bool:
        ready = child.spec.ready
        if ready is None:
            return True
        deadline = time.monotonic() + child.spec.ready_timeout
        while time.monotonic() < deadline and not self.stopping:
            if child.proc is not None and child.proc.poll() is not None:
                return False
            if ready():
                return True
            time.sleep(0.05)
        return False

    def _kill_group(self, child: Child) -> None:
        """Kill what a dead child left in its process group (an RQ work horse, a git process)."""
        if child.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)

    def _on_exit(self, child: Child, code: int) -> None:
        self._kill_group(child)
        ran = time.time() - (child.started_at or time.time())
        child.young_deaths = child.young_deaths + 1 if ran < HEALTHY_AFTER else 0
        deaths = child.young_deaths
        delay = 0.0 if deaths <= 1 else min(MAX_BACKOFF, 0.5 * 2 ** (deaths - 2))
        child.last_exit = f"{exit_text(code)} at {_iso(time.time())}"
        child.state = "restarting"
        child.next_start = time.monotonic() + delay
        log.warning("%s (pid %s) %s after %.0f s; restarting in %.1f s (restart #%d)",
                    child.spec.name, child.pid, exit_text(code), ran, delay, child.restarts + 1)

    def _restart(self, child: Child) -> None:
        child.restarts += 1
        self._start(child)
        if not self._wait_ready(child):
            log.error("%s did not become ready after its restart", child.spec.name)
        log.warning("restarted %s (pid %d, restart #%d)", child.spec.name, child.pid,
                    child.restarts)
        if child.spec.wakes_maintenance:
            self._wake_maintenance()

    def _wake_maintenance(self) -> None:
        for child in self.children:
            if child.spec.name == "maintenance" and child.state == "running" and child.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGUSR1)

    def _write_state(self) -> None:
        state = {
            "pid": os.getpid(),
            "since": _iso(self.started_at),
            "stopping": self.stopping,
            "children": {c.spec.name: c.describe() for c in self.children},
        }
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(self.state_file)

    # the loop -----------------------------------------------------------------------------

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            for child in self.children:
                if self.stopping:
                    break
                self._start(child)
                if not self._wait_ready(child):
                    log.error("%s did not become ready within %.0f s", child.spec.name,
                              child.spec.ready_timeout)
                    self.stopping = True
                    return 1
            self._write_state()
            while not self.stopping:
                self._tick()
                time.sleep(POLL_SECONDS)
            return 0
        finally:
            self._stop_all()

    def _tick(self) -> None:
        changed = False
        for child in self.children:
            if child.state == "running" and child.proc is not None:
                code = child.proc.poll()
                if code is not None:
                    self._on_exit(child, code)
                    changed = True
            if child.state == "restarting" and time.monotonic() >= child.next_start:
                self._restart(child)
                changed = True
        if changed:
            self._write_state()

    def _stop_all(self) -> None:
        self.stopping = True
        # Web first (it drains its requests), then the workers and maintenance together (each
        # finishes its job), Redis last (the workers need it to finish their jobs).
        web = [c for c in self.children if c.spec.name == "web"]
        redis = [c for c in self.children if c.spec.name == "redis"]
        rest = [c for c in self.children if c not in web and c not in redis]
        for group in (web, rest, redis):
            self._stop(group)
        with contextlib.suppress(OSError):
            self._write_state()

    def _stop(self, group: list[Child]) -> None:
        """SIGTERM every running child of the group at once, then wait for each within its
        own stop timeout (killed after it)."""
        running = [c for c in group if c.proc is not None and c.proc.poll() is None]
        for child in group:
            if child not in running:
                child.state = "stopped"
        for child in running:
            assert child.proc is not None
            log.info("stopping %s (pid %d)", child.spec.name, child.proc.pid)
            child.proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        for child in running:
            proc = child.proc
            assert proc is not None
            try:
                proc.wait(timeout=max(0.0, child.spec.stop_timeout - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0f s; killing it", child.spec.name,
                            child.spec.stop_timeout)
                proc.kill()
                proc.wait()
            self._kill_group(child)
            child.state = "stopped"


def redis_answers(unix_socket: Path) -> Callable[[], bool]:
    """A readiness probe that speaks RESP over a short-lived socket (no client library, no pool
    left open in the supervisor)."""

    def probe() -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1)
                sock.connect(str(unix_socket))
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    return probe


def read_state(path: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    """The supervisor's last written state, or None when not under a live supervisor."""
    if not path:
        return None
    try:
        state = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    try:
        os.kill(int(state["pid"]), 0)
    except (ProcessLookupError, KeyError, ValueError, TypeError):
        return None
    except PermissionError:
        pass
    return state if isinstance(state, dict) else None
