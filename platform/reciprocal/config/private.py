"""Secrets the platform makes for itself and keeps in the data directory."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path


def private_file(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`, made by `make()` the first time.

    It is written whole into a temporary file that is private from its creation (mkstemp:
    0600, whatever the umask), then given its name by a hard link, which fails when the name
    exists: the first process to link wins, and every process (the losers included) reads the
    winner's value. Nobody can open the name before it is private and complete."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()


def generated_secret_key(data_dir: Path) -> str:
    """The key signing sessions when RECIPROCAL_SECRET_KEY is unset: made once per data
    directory."""
    return private_file(Path(data_dir) / "secret_key", lambda: secrets.token_hex(32))
