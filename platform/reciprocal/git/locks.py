"""A per-repository lock on the platform's side, so that two uploads never write one
repository's objects and refs at the same time."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


class RepositoryBusy(Exception):
    """Another writer holds the repository."""


@contextlib.contextmanager
def repository_lock(repo_path: Path) -> Iterator[None]:
    """Hold the repository's lock for the block; raise RepositoryBusy at once if it is held."""
    with (repo_path / "reciprocal.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RepositoryBusy(str(repo_path)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
