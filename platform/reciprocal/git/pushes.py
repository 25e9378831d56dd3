"""The push log: when the server received each new head of a candidate's repository.

Commit dates are written by the candidate's own machine and can say anything; the time a commit
reached the server cannot be forged from outside. The post-receive hook (git/hooks.py) and the
upload path append one JSON line per updated branch to a file inside the bare repository, a
place no git client reads or writes (smart HTTP serves refs and objects only). History then
shows each commit's claimed time beside the server time of the push that brought it.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .command import clean_env

LOG_NAME = "reciprocal-pushes.jsonl"
ZERO = "0" * 40  # the old head of a branch that did not exist yet
MAX_RECORDS = 500  # history reads at most this many pushes (the newest ones)
GIT_TIMEOUT = 60


@dataclass(frozen=True)
class PushRecord:
    received_at: datetime
    ref: str
    old: str
    new: str
    via: str  # "push" or "upload"


def log_path(git_dir: Path) -> Path:
    return git_dir / LOG_NAME


def record(git_dir: Path, updates: Iterable[tuple[str, str, str]], *, via: str,
           now: datetime | None = None) -> None:
    """Append (old, new, ref) updates as received now. One write per call, opened O_APPEND, so
    concurrent writers never interleave inside a line."""
    when = (now or datetime.now(UTC)).isoformat()
    lines = "".join(
        json.dumps({"received_at": when, "ref": ref, "old": old, "new": new, "via": via}) + "\n"
        for old, new, ref in updates
    )
    if not lines:
        return
    fd = os.open(log_path(git_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, lines.encode())
    finally:
        os.close(fd)


def read(git_dir: Path) -> list[PushRecord]:
    """The recorded pushes, oldest first; lines that do not parse are skipped."""
    try:
        raw = log_path(git_dir).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    records = []
    for line in raw.splitlines()[-MAX_RECORDS:]:
        try:
            data = json.loads(line)
            records.append(PushRecord(
                received_at=datetime.fromisoformat(data["received_at"]),
                ref=str(data["ref"]), old=str(data["old"]), new=str(data["new"]),
                via=str(data.get("via", "push")),
            ))
        except (ValueError, KeyError, TypeError):
            continue
    return records


def arrivals(git_dir: Path, records: Sequence[PushRecord], base: str) -> dict[str, PushRecord]:
    """For each commit, the first recorded push that brought it: the commits reachable from that
    push's new head but from neither `base` (the starter) nor any earlier push's head."""
    seen: list[str] = [base]
    arrived: dict[str, PushRecord] = {}
    for push in records:
        out = subprocess.run(
            ["git", "--git-dir", str(git_dir), "rev-list", push.new, "--not", *seen],
            capture_output=True, text=True, timeout=GIT_TIMEOUT, env=clean_env(), check=False,
        )
        if out.returncode != 0:  # a head that is gone (never for main: deletes are refused)
            continue
        for sha in out.stdout.split():
            arrived.setdefault(sha, push)
        seen.append(push.new)
    return arrived
