"""What hidden tests use to reach the submission across the process boundary.

The hidden tests run in the judge, a process that never imports or runs candidate code. They
reach the submission in three ways:

* import its modules as usual: ``from directory.parser import parse_csv`` gives a proxy of the
  module imported in the submission's own process (see ``proxies``); calls cross the boundary
  and their results come back as data;
* ``submission.run([...])`` runs one of its commands to the end (a command-line tool);
* ``submission.start([...])`` starts one in the background (a server), to be stopped;
* ``call_captured(main, argv)`` calls a function of its with stdout and stderr captured, as a
  command's main, without the start-up of a process.

Every process of the submission runs as the candidate's uid, which cannot read the hidden tests
or reach the judge. ``submission.exchange_dir()`` is a fresh folder the judge writes inputs to
and the submission can read.
"""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path
from typing import Any

from . import connection, spawn
from .connection import Captured, SubmissionCrashed, call_captured
from .spawn import Completed, Process, SpawnError

__all__ = ["Captured", "Completed", "Process", "SpawnError", "SubmissionCrashed",
           "call_captured", "free_port", "submission"]

_folders = itertools.count(1)


class Submission:
    """The candidate's submission, as the hidden tests reach it."""

    root = Path(os.environ.get("SUBMISSION_DIR", "/work/submission"))
    exchange = Path("/work/exchange")
    python = "python3"

    def run(self, args: list[str], **options: Any) -> Completed:
        """Run ``args`` in the submission's folder (or ``cwd=`` inside it) to its end: the
        exit status, stdout and stderr; ``input=``, ``timeout=``, ``env=``, ``text=``."""
        return spawn.run(args, **options)

    def start(self, args: list[str], **options: Any) -> Process:
        """Start ``args`` in the background; ``stop()`` it (a fixture's teardown, say)."""
        return spawn.start(args, **options)

    def module(self, name: str) -> Any:
        """The submission's module ``name`` (importing it is the same)."""
        return connection.module(name)

    def exchange_dir(self) -> Path:
        """A new folder the judge writes to and the submission may read (never write)."""
        folder = self.exchange / f"{os.getpid()}-{next(_folders)}"
        folder.mkdir(mode=0o755)
        return folder


submission = Submission()


def free_port() -> int:
    """A loopback port nobody listens on now, for a server of the submission's."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
