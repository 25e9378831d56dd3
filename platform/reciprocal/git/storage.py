"""Where candidate repositories live, behind one small interface.

Callers ask the storage for a repository's path by invitation id; they never build paths
themselves, so a shared-storage backend can be added without touching them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

from flask import current_app

from .repos import ServerLimits


class RepoStorage(Protocol):
    def path_for(self, invitation_id: int) -> Path: ...

    def exists(self, invitation_id: int) -> bool: ...

    def delete(self, invitation_id: int) -> None: ...


class LocalRepoStorage:
    """Bare repositories in `<data dir>/repos/<id>.git` on a local (or mounted) filesystem."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, invitation_id: int) -> Path:
        if not isinstance(invitation_id, int) or invitation_id <= 0:
            raise ValueError("invitation id must be a positive integer")
        return self.root / f"{invitation_id:08d}.git"

    def exists(self, invitation_id: int) -> bool:
        return (self.path_for(invitation_id) / "HEAD").is_file()

    def delete(self, invitation_id: int) -> None:
        shutil.rmtree(self.path_for(invitation_id), ignore_errors=True)


def storage_for_app(app_config: dict) -> RepoStorage:
    return LocalRepoStorage(Path(app_config["DATA_DIR"]) / "repos")


def server_limits() -> ServerLimits:
    """The server-side settings of every repository the running app hosts."""
    cfg = current_app.config
    return ServerLimits(max_input_bytes=cfg["MAX_PUSH_BYTES"],
                        hooks_dir=Path(cfg["DATA_DIR"]) / "hooks")


def repositories() -> RepoStorage:
    """The running app's repository storage."""
    return storage_for_app(current_app.config)
