"""Warm test processes: the tests' interpreter started, and its test tool imported, before the
job arrives. Python's is the judge (below); Node's is the runner, WarmRunner.

A pooled container waits for its job with the harness blocked on the header line, and nothing
a run does until the files are in depends on the candidate's code. Starting Python and
importing pytest is about half of a small Python run under gVisor; the warm judge pays it
while the container waits, with what the image names in ``RECIPROCAL_JUDGE_WARM``: modules the
hidden tests import (httpx, psycopg), and ``chromium``, which starts Playwright and Debian's
Chromium and leaves the browser idle for the tests' first ``browser.chromium()``. It starts as
``JUDGE_UID`` with no secret and no file of the job: it holds one end of a control socket and
learns the run (its pytest arguments, environment, folder, the result channel and the spawner)
only when the harness sends them there, after the submission and the hidden tests are in place.
Its output pipe is the one a cold judge would have, and the harness watches it the same way:
deadline, process group, leftovers. One container, one job: a warm judge that is not used ends
with its container.

Node's hidden tests share the candidate's process (they are checked, not judged), so its warm
process runs as the candidate's uid: node-warm.mjs, with node:test, the reporters and the
image's warmable modules loaded. It learns the job (environment, folder, test files, the
sentinels' names) on a pipe, once the files are in place; the channel its reporter writes to is
opened when it starts, and the harness reads it as it would a cold run's. The static scan
(node-scan.cjs, acorn loaded) waits the same way, for the folders it reads.

The command runner's test tool shares its process with the candidate's code as well, so an
image's warm tool (``RECIPROCAL_WARM_COMMAND``: the program of ``[tests] command`` it stands in
for, and the command that starts it) runs as the candidate's uid too, in the submission's folder
before anything is in it: maven-warm builds a throwaway project a few times in one JVM, then
runs the job's Maven command, which it reads on its stdin, as ``mvn`` would.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from .child import Channel, Started, kill_processes_of, start_child
from .layout import JUDGE_UID, RUNNER_UID

ROOT = Path("/")


@dataclass
class WarmJudge:
    child: Started
    control: socket.socket

    def run(self, args: list[str], env: dict[str, str], cwd: Path, fds: list[int]) -> bool:
        """Hand the judge its run; False when it is gone (it failed to warm up), and then the
        caller starts a cold one. The judge receives ``fds`` in this order."""
        message = json.dumps({"args": args, "env": env, "cwd": str(cwd)}).encode()
        try:
            socket.send_fds(self.control, [message], fds)
        except OSError:
            self.discard()
            return False
        finally:
            self.control.close()
        return True

    def discard(self) -> None:
        """End an unused warm judge and close what the harness holds of it."""
        self.control.close()
        _end(self.child, JUDGE_UID)


@dataclass
class WarmRunner:
    """A warm Node process (the tests' runner, or the static scan): its process, the write end
    of its control pipe, and the channel it was given when it started."""

    child: Started
    control: int
    channel: Channel

    def run(self, job: dict[str, object], report_bytes: int) -> bool:
        """Hand the runner its job, and read at most ``report_bytes`` of its channel; False
        when it is gone, and then the caller runs cold."""
        try:
            _write_all(self.control, json.dumps(job).encode())
        except OSError:
            os.close(self.control)
            self.channel.close_writer()
            os.close(self.channel.read_fd)
            _end(self.child, RUNNER_UID)
            return False
        os.close(self.control)  # the end of the message: the runner reads to here
        self.channel.limit = report_bytes
        self.channel.close_writer()
        return True


@dataclass
class WarmCommand:
    """A warm test tool of the command runner: its process, the program it stands in for, and
    the write end of its control pipe."""

    child: Started
    program: str
    control: int

    def run(self, command: list[str]) -> bool:
        """Hand the tool the command, its program first (each word ended by a NUL byte, so a
        job is never empty); False when it is gone, and then the caller runs it cold."""
        try:
            _write_all(self.control, b"".join(word.encode() + b"\0" for word in command))
        except OSError:
            self.discard()
            return False
        os.close(self.control)  # the end of the message
        return True

    def discard(self) -> None:
        """End an unused warm tool (no process of the candidate's runs yet)."""
        os.close(self.control)
        _end(self.child, RUNNER_UID)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _end(child: Started, uid: int) -> None:
    kill_processes_of(uid)  # the harness may not signal another uid itself
    child.proc.wait()
    os.close(child.output)


def start(cmd: list[str], warmable: list[str], env: dict[str, str]) -> WarmJudge | None:
    """Start ``cmd`` (the judge's boot in warm mode) as the judge's uid with its control
    socket's fd and ``warmable`` (what to import or start early) appended; None when it cannot
    start, and the run goes cold."""
    control, judge_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        child = start_child([*cmd, str(judge_end.fileno()), *warmable], cwd=ROOT, env=env,
                            uid=JUDGE_UID, pass_fds=(judge_end.fileno(),))
    except OSError:
        control.close()
        return None
    finally:
        judge_end.close()
    return WarmJudge(child, control)


def start_runner(cmd: list[str], modules: list[str], env: dict[str, str]) -> WarmRunner | None:
    """Start ``cmd`` (node with its reporters and node-warm.mjs, or node-scan.cjs --warm) as
    the candidate's uid with its control pipe's fd and ``modules`` to load appended; None when
    it cannot start."""
    channel = Channel(0)  # its limit comes with the job
    job_end, control = os.pipe()
    try:
        child = start_child([*cmd, str(job_end), *modules], cwd=ROOT,
                            env=dict(env, RECIPROCAL_CHANNEL_FD=str(channel.write_fd)),
                            uid=RUNNER_UID, pass_fds=(job_end, channel.write_fd))
    except OSError:
        os.close(control)
        channel.close_writer()
        os.close(channel.read_fd)
        return None
    finally:
        os.close(job_end)
    return WarmRunner(child, control, channel)


def start_command(declared: list[str], env: dict[str, str], cwd: Path) -> WarmCommand | None:
    """Start an image's warm test tool: ``declared`` is the program it stands in for, then its
    command. It runs as the candidate's uid in ``cwd``, with its control pipe as stdin (a pipe
    the harness made is root's, so the tool could not open it again by its /proc path); None
    when it cannot start, and the run goes cold."""
    program, *cmd = declared
    job_end, control = os.pipe()
    try:
        child = start_child(cmd, cwd=cwd, env=env, uid=RUNNER_UID, stdin=job_end)
    except OSError:
        os.close(control)
        return None
    finally:
        os.close(job_end)
    return WarmCommand(child, program, control)
