"""Process trees that tests start: each in a session of its own, ended as a whole.

An RQ worker forks its scheduler; SIGKILL of the worker alone leaves the scheduler running
(its parent gone), still holding the test Redis. Starting each tree in its own session and
killing the session at the end leaves nothing behind for the tests that follow."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def end_session(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGKILL every process of `proc`'s session (started with start_new_session=True)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout)
