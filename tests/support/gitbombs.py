"""Git trees that are tiny as objects and enormous when expanded, made with git's plumbing (so
making them takes milliseconds): what the platform once accepted and then expanded.

- `recursive_bomb`: one blob and ten trees, each naming the one below it ten times: 12 objects
  with the commit, a pack of under a kilobyte, 10^10 files (and 1,111,111,110 folders).
- `flat_tree`: one tree naming the empty blob 500,000 times: 3 objects, 500,000 files.

Both work on a bare repository or a clone's `.git`, and return the new commit's id.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

EMPTY_BLOB_CONTENT = b""
BOMB_LEVELS = 10
BOMB_FANOUT = 10
BOMB_FILES = BOMB_FANOUT**BOMB_LEVELS  # 10^10
BOMB_FOLDERS = sum(BOMB_FANOUT**k for k in range(1, BOMB_LEVELS))  # 1,111,111,110
FLAT_FILES = 500_000
ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Sam Candidate",
    "GIT_AUTHOR_EMAIL": "sam@example.com",
    "GIT_COMMITTER_NAME": "Sam Candidate",
    "GIT_COMMITTER_EMAIL": "sam@example.com",
}


def _git(git_dir: Path, *args: str, input: bytes | None = None) -> str:
    done = subprocess.run(["git", "--git-dir", str(git_dir), *args], input=input,
                          capture_output=True, env=ENV, timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode().strip()


def _tree(git_dir: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree object from (mode, name, object id) entries already in git's order."""
    body = b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(oid)
                    for mode, name, oid in entries)
    return _git(git_dir, "hash-object", "-t", "tree", "-w", "--stdin", input=body)


def _commit(git_dir: Path, tree: str, message: str, parent: str | None) -> str:
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    return _git(git_dir, *args)


def recursive_bomb(git_dir: Path, parent: str | None = None, *,
                   levels: int = BOMB_LEVELS, fanout: int = BOMB_FANOUT) -> str:
    """A commit whose tree holds fanout**levels files in 1 blob and `levels` trees."""
    blob = _git(git_dir, "hash-object", "-w", "--stdin", input=b"boom\n")
    tree = _tree(git_dir, [("100644", f"f{i}", blob) for i in range(fanout)])
    for _level in range(levels - 1):
        tree = _tree(git_dir, [("40000", f"d{i}", tree) for i in range(fanout)])
    return _commit(git_dir, tree, "Not much to see here", parent)


def flat_tree(git_dir: Path, parent: str | None = None, *, files: int = FLAT_FILES) -> str:
    """A commit whose one tree names the empty blob `files` times."""
    blob = _git(git_dir, "hash-object", "-w", "--stdin", input=EMPTY_BLOB_CONTENT)
    width = len(str(files))
    tree = _tree(git_dir, [("100644", f"e{i:0{width}d}", blob) for i in range(files)])
    return _commit(git_dir, tree, "Many empty files", parent)


def object_count(git_dir: Path, commit: str) -> int:
    """How many distinct objects the commit reaches (what an object count sees)."""
    return len(_git(git_dir, "rev-list", "--objects", commit).splitlines())
