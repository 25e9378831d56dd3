"""Running a test command as an unprivileged uid: the privilege drop, the output cap, the
result channel, the deadline, and killing whatever the command left behind."""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .layout import JUDGE_UID, RUNNER_UID
from .protocol import clean

PR_SET_DUMPABLE = 4


@dataclass
class Capture:
    """Output of the child, capped at ``limit`` bytes with a visible marker when cut."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]

    @property
    def truncated(self) -> bool:
        return self.total > self.limit

    def text(self) -> str:
        text = clean(self.data.decode("utf-8", errors="replace"))
        if self.truncated:
            text += (
                f"\n[... output truncated by Reciprocal after {self.limit} bytes;"
                f" {self.total - self.limit} more bytes were discarded ...]\n"
            )
        return text


@dataclass
class ChildResult:
    exit_code: int | None
    timed_out: bool
    duration: float


class Channel:
    """A pipe for the test tool's results: the child writes JSON lines, the harness reads them
    with a byte cap. Not a file: nothing the candidate's uid can rewrite after the fact."""

    def __init__(self, limit: int) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.write_fd, True)
        self.limit = limit
        self.data = bytearray()
        self.overflow = False

    def close_writer(self) -> None:
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def pump(self) -> bool:
        """Read what is there; False at end of stream."""
        chunk = os.read(self.read_fd, 65536)
        if not chunk:
            return False
        room = self.limit - len(self.data)
        if len(chunk) > room:
            self.overflow = True
        self.data += chunk[: max(0, room)]
        return True

    def drain(self) -> None:
        os.set_blocking(self.read_fd, False)
        try:
            while self.pump():
                pass
        except BlockingIOError:
            pass
        finally:
            os.close(self.read_fd)

    def records(self) -> list[dict[str, object]]:
        records = []
        for line in bytes(self.data).decode("utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records


def make_undumpable() -> None:
    """Stop same-uid processes from reading our memory or file descriptors."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def is_root() -> bool:
    return os.geteuid() == 0


def become(uid: int) -> None:
    """In a child, before exec: become ``uid`` (its own group, no supplementary groups).
    setuid from root to another uid clears every capability; no-new-privileges keeps them
    cleared."""
    if is_root():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def hand_over(root: Path, uid: int = RUNNER_UID) -> None:
    """Give ``root`` and everything under it to ``uid`` (links themselves, not their
    targets). Needs CAP_CHOWN; without root (an old container configuration) it is a no-op."""
    if not is_root():
        return
    os.lchown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            os.lchown(os.path.join(dirpath, name), uid, uid)


def kill_processes_of(uid: int) -> None:
    """SIGKILL every process of ``uid``, also those that left the process group.

    The harness (root without CAP_KILL) may not signal them itself, so a forked helper becomes
    that uid and uses kill(-1), which reaches every process of its uid but itself."""
    if not is_root():
        return
    pid = os.fork()
    if pid == 0:
        try:
            become(uid)
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def run_child(
    cmd: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    capture: Capture,
    deadline: float,
    stdout_file: int | None = None,
    channel: Channel | None = None,
    uid: int = RUNNER_UID,
    extra_fds: Sequence[int] = (),
    kill_uids: Sequence[int] = (RUNNER_UID, JUDGE_UID),
) -> ChildResult:
    """Run ``cmd`` as ``uid`` in its own process group; stderr (and stdout unless redirected)
    go to ``capture``. ``channel`` is a pipe whose write end the child inherits and whose read
    end only the harness holds; ``extra_fds`` are inherited as they are. At ``deadline`` every
    process of ``kill_uids`` is killed, and leftovers are killed when the child exits."""
    started = time.monotonic()
    try:
        child = start_child(cmd, cwd=cwd, env=env, stdout_file=stdout_file, uid=uid,
                            pass_fds=tuple(extra_fds) + ((channel.write_fd,) if channel else ()))
    finally:
        if channel is not None:
            channel.close_writer()
    return watch_child(child, capture=capture, deadline=deadline, channel=channel,
                       started=started, kill_uids=kill_uids)


@dataclass
class Started:
    """A started child: its process and the read end of the pipe its output goes to."""

    proc: subprocess.Popen[bytes]
    output: int


def start_child(cmd: list[str], *, cwd: Path, env: dict[str, str], uid: int,
                pass_fds: tuple[int, ...] = (), stdout_file: int | None = None,
                stdin: int = subprocess.DEVNULL) -> Started:
    """Start ``cmd`` as ``uid`` in a new session, stderr (and stdout unless redirected) on a
    pipe the harness reads; stdin is /dev/null unless given."""
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=stdin,
            stdout=stdout_file if stdout_file is not None else write_fd,
            stderr=write_fd,
            close_fds=True,
            pass_fds=pass_fds,
            start_new_session=True,
            preexec_fn=lambda: become(uid),
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return Started(proc, read_fd)


def watch_child(child: Started, *, capture: Capture, deadline: float,
                channel: Channel | None = None, started: float | None = None,
                kill_uids: Sequence[int] = (RUNNER_UID, JUDGE_UID)) -> ChildResult:
    """Read the child's output (and the channel) until it ends or ``deadline``; then kill its
    group and every process of ``kill_uids``, and drain what is left."""
    started = time.monotonic() if started is None else started
    proc, read_fd = child.proc, child.output
    timed_out = False
    watched = [read_fd] + ([channel.read_fd] if channel is not None else [])
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(watched, [], [], min(remaining, 0.2))
            if channel is not None and channel.read_fd in ready and not channel.pump():
                watched.remove(channel.read_fd)
            if read_fd in ready:
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                capture.feed(chunk)
            elif not ready and proc.poll() is not None:
                # The child is gone but something it started still holds the pipe open.
                break
        _kill_group(proc.pid)
        for uid in kill_uids:
            kill_processes_of(uid)
        proc.wait()
        _drain(read_fd, capture)
        if channel is not None:
            channel.drain()
    finally:
        os.close(read_fd)
    return ChildResult(
        exit_code=proc.returncode, timed_out=timed_out, duration=time.monotonic() - started
    )


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _drain(fd: int, capture: Capture) -> None:
    os.set_blocking(fd, False)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return
        if not chunk:
            return
        capture.feed(chunk)
