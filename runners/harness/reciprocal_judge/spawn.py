"""The judge's side of the spawner: run the submission's commands as the candidate's uid.

The spawner (reciprocal_harness.spawner, root) starts each process and hands back its pipes;
nothing here runs candidate code in the judge's own process.
"""

from __future__ import annotations

import json
import os
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

OUTPUT_CAP = 16 << 20
ECHO_TAIL = 64 << 10
_lock = threading.Lock()
_socket: socket.socket | None = None
# Where the output of an echoed process goes (the judge's own stderr as it was before pytest
# captured it: the harness's capture of the run's output), set by the judge's boot.
echo_fd: int | None = None


class SpawnError(RuntimeError):
    """The spawner refused or could not start a process."""


def connect(fd: int) -> None:
    """Called once by the judge's boot with the inherited end of the spawner's socket pair."""
    global _socket
    _socket = socket.socket(fileno=fd)


def request(message: dict[str, object], fds_expected: int = 0) -> tuple[dict[str, object],
                                                                      list[int]]:
    if _socket is None:
        raise SpawnError("the submission can only be run inside a Reciprocal runner")
    with _lock:
        _socket.send(json.dumps(message).encode())
        data, fds, _flags, _addr = socket.recv_fds(_socket, 1 << 20, max(fds_expected, 1))
    answer = json.loads(data)
    if not answer.get("ok"):
        for fd in fds:
            os.close(fd)
        raise SpawnError(str(answer.get("error") or "the spawner refused"))
    return answer, list(fds)


@dataclass
class Completed:
    """What ``submission.run`` returns, like subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str | bytes
    stderr: str | bytes
    timed_out: bool = False


class Process:
    """A running process of the submission (for a server, say). Its stdout and stderr are read
    in the background, capped; ``stop`` kills its whole process group."""

    def __init__(self, args: list[str], pid: int, fds: list[int], *, echo: bool = False) -> None:
        self.args = args
        # An echoed process's output goes on to the run's output and only its tail is kept.
        self.echo = echo and echo_fd is not None
        self.pid = pid
        self.stdin = os.fdopen(fds[0], "wb", buffering=0)
        self._out, self._err, self._status = fds[1], fds[2], fds[3]
        self.channel: socket.socket | None = socket.socket(fileno=fds[4]) if len(fds) > 4 \
            else None
        self._buffers = {self._out: bytearray(), self._err: bytearray()}
        self._cond = threading.Condition()
        self.returncode: int | None = None
        self._closed = False
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        streams = [self._out, self._err]
        watched = [*streams, self._status]
        while watched:
            ready, _, _ = select.select(watched, [], [])
            for fd in ready:
                chunk = os.read(fd, 65536 if fd != self._status else 4)
                with self._cond:
                    if fd == self._status:
                        self.returncode = struct.unpack("!i", chunk)[0] if len(chunk) == 4 \
                            else -9
                        watched.remove(fd)
                        os.close(fd)
                    elif not chunk:
                        watched.remove(fd)
                        streams.remove(fd)
                        os.close(fd)
                        self._closed = not streams
                    elif self.echo:
                        _write_all(echo_fd, chunk)
                        self._buffers[fd] = (self._buffers[fd] + chunk)[-ECHO_TAIL:]
                    elif len(self._buffers[fd]) < OUTPUT_CAP:
                        self._buffers[fd] += chunk[: OUTPUT_CAP - len(self._buffers[fd])]
                    self._cond.notify_all()

    def wait_output_closed(self, timeout: float) -> None:
        """After the exit: its output, unless something it started still holds the pipes."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._closed and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())

    @property
    def stdout(self) -> bytes:
        with self._cond:
            return bytes(self._buffers[self._out])

    @property
    def stderr(self) -> bytes:
        with self._cond:
            return bytes(self._buffers[self._err])

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit status (negative: the signal), or None if still running at ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self.returncode is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(left)
            return self.returncode

    def wait_for_output(self, text: str, timeout: float = 30.0, *, stream: str = "stdout") -> str:
        """Wait until ``text`` appears in the process's output; returns the output so far."""
        fd = self._out if stream == "stdout" else self._err
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                seen = self._buffers[fd].decode("utf-8", "replace")
                if text in seen:
                    return seen
                left = deadline - time.monotonic()
                if left <= 0 or self.returncode is not None:
                    raise TimeoutError(f"{' '.join(self.args)!r} did not print {text!r} "
                                       f"(exit status {self.returncode}):\n{seen[-2000:]}")
                self._cond.wait(min(left, 0.5))

    def wait_for_port(self, port: int, timeout: float = 30.0) -> None:
        """Wait until something listens on 127.0.0.1:``port`` (or the process ends)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if self.returncode is not None or time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{' '.join(self.args)!r} is not listening on port {port} (exit status "
                        f"{self.returncode}): {self.stderr.decode('utf-8', 'replace')[-2000:]}"
                    ) from None
                time.sleep(0.05)

    def stop(self) -> int | None:
        """Kill the process and everything it started in its group."""
        if self.returncode is None:
            request({"op": "kill", "pid": self.pid})
        try:
            self.stdin.close()
        except OSError:
            pass
        if self.channel is not None:
            self.channel.close()
        return self.wait(30)


def _write_all(fd: int | None, data: bytes) -> None:
    try:
        while data and fd is not None:
            data = data[os.write(fd, data):]
    except OSError:
        pass


def start(args: list[str], *, env: dict[str, str] | None = None, cwd: str | Path | None = None,
          channel: bool = False, echo: bool = False) -> Process:
    answer, fds = request({"op": "spawn", "argv": [str(a) for a in args], "env": env or {},
                           "cwd": str(cwd) if cwd is not None else None, "fd3": channel},
                          5 if channel else 4)
    return Process([str(a) for a in args], int(answer["pid"]), fds,  # type: ignore[arg-type]
                   echo=echo)


def run(args: list[str], *, input: str | bytes | None = None, timeout: float = 60.0,
        env: dict[str, str] | None = None, cwd: str | Path | None = None,
        text: bool = True) -> Completed:
    """Run a command of the submission to its end; like subprocess.run with capture_output."""
    process = start(args, env=env, cwd=cwd)
    data = input.encode() if isinstance(input, str) else input
    try:
        if data:
            process.stdin.write(data)
    except BrokenPipeError:
        pass
    finally:
        process.stdin.close()
    code = process.wait(timeout)
    timed_out = code is None
    if timed_out:
        code = process.stop()
    process.wait_output_closed(2.0)
    out, err = process.stdout, process.stderr
    return Completed(
        args=process.args,
        returncode=code if code is not None else -9,
        stdout=out.decode("utf-8", "replace") if text else out,
        stderr=err.decode("utf-8", "replace") if text else err,
        timed_out=timed_out,
    )
