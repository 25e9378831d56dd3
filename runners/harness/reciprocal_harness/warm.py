"""A warm judge: the hidden tests' interpreter started, and its test tool imported, before the
job arrives.

A pooled container waits for its job with the harness blocked on the header line, and nothing
a run does until the files are in depends on the candidate's code. Starting Python and
importing pytest is about half of a small Python run under gVisor; the warm judge pays it
while the container waits. It starts as ``JUDGE_UID`` with no secret and no file of the job:
it holds one end of a control socket and learns the run (its pytest arguments, environment,
folder, the result channel and the spawner) only when the harness sends them there, after the
submission and the hidden tests are in place. Its output pipe is the one a cold judge would
have, and the harness watches it the same way: deadline, process group, leftovers. One
container, one job: a warm judge that is not used ends with its container.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from .child import Started, kill_processes_of, start_child
from .layout import JUDGE_UID

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
        kill_processes_of(JUDGE_UID)  # the harness may not signal another uid itself
        self.child.proc.wait()
        os.close(self.child.output)


def start(cmd: list[str], env: dict[str, str]) -> WarmJudge | None:
    """Start ``cmd`` (the judge's boot in warm mode; the control socket's fd is appended) as
    the judge's uid; None when it cannot start, and the run goes cold."""
    control, judge_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        child = start_child([*cmd, str(judge_end.fileno())], cwd=ROOT, env=env, uid=JUDGE_UID,
                            pass_fds=(judge_end.fileno(),))
    except OSError:
        control.close()
        return None
    finally:
        judge_end.close()
    return WarmJudge(child, control)
