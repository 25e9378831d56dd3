"""The spawner: starts the submission's processes for the judge, as the candidate's uid.

The judge (the hidden tests, uid ``JUDGE_UID``) never runs candidate code itself and holds no
capability, so it asks the spawner, a small root process forked by the harness before the judge
starts, over a socket pair of which the judge holds one end. For each request the spawner
forks a reaper (root) that forks the process as ``RUNNER_UID`` in /work/submission, and hands
the judge the process's stdin, stdout and stderr pipes, a pipe on which the reaper writes the
exit status, and optionally one end of a socket pair the process gets as fd 3. The judge can
ask for a process group to be killed. Requests are JSON; the judge is trusted, its requests are
still checked so that a mistake in a hidden test cannot run anything as root.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
from pathlib import Path

from .child import become
from .layout import BASE_ENV, RUNNER_UID, SUBMISSION, inside

MAX_REQUEST = 1 << 20
MAX_ARGS = 1000


def start_spawner(base_env: dict[str, str] | None = None) -> tuple[socket.socket, int]:
    """Fork the spawner; returns the judge's end of the socket pair and the spawner's pid.
    ``base_env`` (the services' connection settings) is in every process it starts."""
    judge_end, spawner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        judge_end.close()
        try:
            serve(spawner_end, dict(BASE_ENV, **(base_env or {})))
        finally:
            os._exit(0)
    spawner_end.close()
    return judge_end, pid


def serve(sock: socket.socket, base_env: dict[str, str]) -> None:
    """Answer requests until the judge closes its end."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while True:
        _reap()
        try:
            data = sock.recv(MAX_REQUEST)
        except InterruptedError:
            continue
        if not data:
            return
        try:
            request = json.loads(data)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
            op = request.get("op")
            if op == "spawn":
                answer, fds = _spawn(request, base_env)
            elif op == "kill":
                answer, fds = _kill(request), []
            else:
                raise ValueError(f"unknown request {op!r}")
        except (ValueError, OSError) as exc:
            answer, fds = {"ok": False, "error": str(exc)[:1000]}, []
        try:
            socket.send_fds(sock, [json.dumps(answer).encode()], fds)
        finally:
            for fd in fds:
                os.close(fd)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _checked(request: dict[str, object], base_env: dict[str, str] | None = None
             ) -> tuple[list[str], Path, dict[str, str]]:
    argv = request.get("argv")
    if (not isinstance(argv, list) or not argv or len(argv) > MAX_ARGS
            or not all(isinstance(a, str) and "\0" not in a for a in argv)):
        raise ValueError("argv must be a non-empty list of strings")
    env = dict(base_env or BASE_ENV)
    extra = request.get("env") or {}
    if not isinstance(extra, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and "\0" not in k + v and "=" not in k
            for k, v in extra.items()):
        raise ValueError("env must map names to strings")
    env.update(extra)
    cwd = SUBMISSION / str(request.get("cwd") or ".")
    if not inside(SUBMISSION.resolve(), cwd.resolve()) or not cwd.is_dir():
        raise ValueError(f"cwd {request.get('cwd')!r} is not a folder of the submission")
    return [str(a) for a in argv], cwd, env


def _spawn(request: dict[str, object], base_env: dict[str, str]
           ) -> tuple[dict[str, object], list[int]]:
    argv, cwd, env = _checked(request, base_env)
    pipes = {name: os.pipe() for name in ("stdin", "stdout", "stderr", "status", "pid")}
    peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) if request.get("fd3") else None
    reaper = os.fork()
    if reaper == 0:
        _reaper(argv, cwd, env, pipes, peer)
    ours = [pipes["stdin"][1], pipes["stdout"][0], pipes["stderr"][0], pipes["status"][0]]
    for name, (read_end, write_end) in pipes.items():
        for fd in (read_end, write_end):
            if fd not in ours and not (name == "pid" and fd == read_end):
                os.close(fd)
    with os.fdopen(pipes["pid"][0], "rb") as handle:
        raw = handle.read(4)
    if len(raw) != 4:
        for fd in ours:
            os.close(fd)
        raise OSError("the process could not be started")
    fds = ours
    if peer is not None:
        fds = [*ours, os.dup(peer[0].fileno())]
        peer[0].close()
        peer[1].close()
    return {"ok": True, "pid": struct.unpack("!i", raw)[0]}, fds


def _reaper(argv: list[str], cwd: Path, env: dict[str, str],
            pipes: dict[str, tuple[int, int]],
            peer: tuple[socket.socket, socket.socket] | None) -> None:
    """Runs in the forked reaper: start the process as the candidate's uid, wait for it, and
    write its exit status (the negated signal number when a signal ended it)."""
    try:
        child = os.fork()
        if child == 0:
            _exec(argv, cwd, env, pipes, peer[1].fileno() if peer else None)
        os.write(pipes["pid"][1], struct.pack("!i", child))
        if peer is not None:
            peer[0].close()
            peer[1].close()
        for name, (read_end, write_end) in pipes.items():
            if name != "status":
                os.close(read_end)
                os.close(write_end)
        os.close(pipes["status"][0])
        _, status = os.waitpid(child, 0)
        os.write(pipes["status"][1], struct.pack("!i", os.waitstatus_to_exitcode(status)))
    finally:
        os._exit(0)


def _exec(argv: list[str], cwd: Path, env: dict[str, str],
          pipes: dict[str, tuple[int, int]], fd3: int | None) -> None:
    try:
        os.setsid()
        os.dup2(pipes["stdin"][0], 0)
        os.dup2(pipes["stdout"][1], 1)
        os.dup2(pipes["stderr"][1], 2)
        if fd3 is not None:
            os.dup2(fd3, 3)
        os.closerange(4 if fd3 is not None else 3, 65536)
        become(RUNNER_UID)
        os.chdir(cwd)
        os.execvpe(argv[0], argv, env)  # noqa: S606 - the judge's argv, never a shell
    except OSError as exc:
        os.write(2, f"reciprocal: could not start {argv[0]}: {exc.strerror}\n".encode())
    finally:
        os._exit(127)


def _kill(request: dict[str, object]) -> dict[str, object]:
    """SIGKILL a process group of the candidate's uid; root without CAP_KILL cannot, so a
    forked helper becomes that uid first."""
    pid = request.get("pid")
    if not isinstance(pid, int) or pid <= 1:
        raise ValueError("pid must be a process id")
    helper = os.fork()
    if helper == 0:
        try:
            become(RUNNER_UID)
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        finally:
            os._exit(0)
    os.waitpid(helper, 0)
    return {"ok": True}
