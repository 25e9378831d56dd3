"""Every text file of one commit, read from the object database in one pass (for the
similarity index: tokenized only, never checked out, never run)."""

from __future__ import annotations

from pathlib import Path

import git

from .browse import BINARY_SNIFF, DEFAULT_MAX_FILES, MAX_LISTING_BYTES, open_repo, resolve_commit
from .command import read_git_records

REGULAR_MODES = ("100644", "100755")


def text_files(repo_path: Path, sha: str, *, max_bytes: int, max_files: int,
               max_entries: int = DEFAULT_MAX_FILES) -> list[tuple[str, str]]:
    """(path, text) of the commit's regular UTF-8 files up to max_bytes each, in path order;
    symlinks, submodules, binary and larger files are left out.

    Bounded whatever the tree: at most `max_entries` entries of its listing are looked at (a
    tree can name one folder many times over, git/trees.py), and at most max_files * max_bytes
    bytes of files are read, binary ones included."""
    with open_repo(repo_path) as repo:
        commit = resolve_commit(repo, sha)
        records, _complete = read_git_records(
            ["ls-tree", "-r", "-l", "-z", "--full-tree", commit.hexsha], git_dir=repo_path,
            separator=b"\0", max_records=max_entries, max_bytes=MAX_LISTING_BYTES)
        found: list[tuple[str, str]] = []
        budget = max_files * max_bytes
        for record in records:
            if len(found) >= max_files or budget <= 0:
                break
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, oid, size = meta.decode("ascii", "replace").split(None, 3)
            if kind != "blob" or mode not in REGULAR_MODES or not size.strip().isdigit():
                continue
            if int(size) > max_bytes:
                continue
            budget -= int(size)
            data = git.Blob(repo, bytes.fromhex(oid), int(mode, 8)).data_stream.read()
            if b"\0" in data[:BINARY_SNIFF]:
                continue
            try:
                found.append((raw_path.decode("utf-8"), data.decode("utf-8")))
            except UnicodeDecodeError:
                continue
    return sorted(found)
