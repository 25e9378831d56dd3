"""Trivial RQ job functions for worker tests (imported by the worker as tests.support.jobs)."""

from __future__ import annotations

import time
from pathlib import Path


def slow_job(marker_dir: str, seconds: float) -> str:
    """Write `started`, sleep, then write `finished`: shows whether a job ran to its end."""
    folder = Path(marker_dir)
    (folder / "started").write_text("started")
    time.sleep(seconds)
    (folder / "finished").write_text("finished")
    return "done"
