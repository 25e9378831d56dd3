"""The per-repository lock: one flock on `<repo>/reciprocal.lock` that uploads, submit and the
receive hook share, so that nothing moves a repository's refs while another writer decides.

How a push holds it across git's own ref update (the pre-receive hook exits *before*
receive-pack updates the refs, so a lock the hook opens itself would end too early):

1. The web process opens the lock file (`open_lock_file`) without locking it, hands the open
   descriptor to `git http-backend` (`pass_fds`) and closes its own copy at once; http-backend
   passes it on to `git receive-pack` and that to the hook; `LOCK_FD_ENV` names its number.
2. The pre-receive hook takes the flock on that inherited descriptor (`lock_inherited`, a
   blocking wait with a timeout) and only then checks whether the repository was submitted.
3. A flock belongs to the open file description, not to the process: when the hook exits, the
   lock stays held because receive-pack (and http-backend) still have that description open.
   receive-pack updates the refs and exits, and only then is the lock released. A git that
   dies or is killed releases it too: the kernel closes its descriptors.

So from the hook's check until the refs are written, nobody else holds the lock; submit
(`repository_lock` with a timeout) reads main and pins it under the same lock. Either the pin
comes first and the hook sees it and refuses, or the push's ref update comes first and submit
reads the new main. Uploads take the lock too (without waiting: 409 when it is held).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = "reciprocal.lock"
LOCK_FD_ENV = "RECIPROCAL_LOCK_FD"
POLL_SECONDS = 0.02


class RepositoryBusy(Exception):
    """Another writer holds the repository."""


def _flock(fd: int, timeout: float, what: str) -> None:
    """Take the exclusive flock on `fd`, waiting up to `timeout` seconds (0: do not wait)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RepositoryBusy(what) from None
            time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def repository_lock(repo_path: Path, timeout: float = 0) -> Iterator[None]:
    """Hold the repository's lock for the block. RepositoryBusy if it is still held after
    `timeout` seconds (at once by default)."""
    with (repo_path / LOCK_NAME).open("a") as handle:
        _flock(handle.fileno(), timeout, str(repo_path))
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_lock_file(repo_path: Path) -> int:
    """An inheritable descriptor on the lock file, not locked, for a git child to lock (step 1
    above). The caller closes its own copy as soon as the child is started."""
    fd = os.open(repo_path / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.set_inheritable(fd, True)
    return fd


def lock_inherited(fd: int, timeout: float) -> None:
    """In the hook: lock the descriptor the web process passed down (step 2 above). The lock is
    never released here on purpose; it ends when the last process holding the description
    (receive-pack, once the refs are written) exits."""
    _flock(fd, timeout, f"descriptor {fd}")
