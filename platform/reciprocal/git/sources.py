"""Every text file of one commit, read from the object database in one pass (for the
similarity index: tokenized only, never checked out, never run)."""

from __future__ import annotations

from pathlib import Path

import git

from .browse import BINARY_SNIFF, NotInRepository, open_repo

REGULAR_MODES = (0o100644, 0o100755)


def text_files(repo_path: Path, sha: str, *, max_bytes: int, max_files: int
               ) -> list[tuple[str, str]]:
    """(path, text) of the commit's regular UTF-8 files up to max_bytes each, in path order;
    symlinks, submodules, binary and larger files are left out."""
    found: list[tuple[str, str]] = []
    with open_repo(repo_path) as repo:
        try:
            commit = repo.commit(sha)
        except (ValueError, git.BadName) as exc:
            raise NotInRepository("that commit is not in the repository") from exc
        for blob in commit.tree.traverse():
            if len(found) >= max_files:
                break
            if not isinstance(blob, git.Blob) or blob.mode not in REGULAR_MODES:
                continue
            if blob.size > max_bytes:
                continue
            data = blob.data_stream.read()
            if b"\0" in data[:BINARY_SNIFF]:
                continue
            try:
                found.append((blob.path, data.decode("utf-8")))
            except UnicodeDecodeError:
                continue
    return sorted(found)
