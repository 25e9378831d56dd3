"""A submission's changes against its starter, for the Changes page: bounded whatever the trees.

Both trees are counted first (git/trees.py) and nothing is diffed past the files limit; at most a
number of changed files are listed, and patches are loaded until a budget is spent in which
every file costs its size plus its patch's header. Data shapes are git/browse.py's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .browse import (
    DEFAULT_MAX_FILES,
    MAX_LISTING_BYTES,
    DiffLine,
    FileDiff,
    NotInRepository,
    open_repo,
    resolve_commit,
    starter_commit,
)
from .command import read_git_records, run_git
from .trees import TreeCounter, TreeError

DEFAULT_MAX_DIFF_LINES = 5000
DEFAULT_DIFF_BUDGET = 128 * 1024  # bytes of changed files whose patch one page loads
DIFF_FILE_COST = 256  # what each file adds to the budget beyond its size: its patch's header
DEFAULT_MAX_CHANGED_FILES = 2000  # changed files one Changes page lists


@dataclass
class ChangeSet:
    """The changed files of a submission; `notice` says when they are not all listed (or, for a
    tree past the files limit, not listed at all)."""

    files: list[FileDiff]
    notice: str = ""


def _parse_patch(text: str, max_lines: int) -> tuple[list[DiffLine], int, int, bool]:
    lines: list[DiffLine] = []
    added = removed = 0
    old = new = 0
    for raw in text.splitlines():
        if raw.startswith("@@"):
            match = re.match(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@", raw)
            if match:
                old, new = int(match.group(1)), int(match.group(2))
            lines.append(DiffLine("hunk", None, None, raw))
        elif raw.startswith("+"):
            added += 1
            lines.append(DiffLine("add", None, new, raw[1:]))
            new += 1
        elif raw.startswith("-"):
            removed += 1
            lines.append(DiffLine("del", old, None, raw[1:]))
            old += 1
        elif raw.startswith("\\"):
            continue
        else:
            lines.append(DiffLine("ctx", old, new, raw[1:]))
            old += 1
            new += 1
    too_large = len(lines) > max_lines
    return ([] if too_large else lines), added, removed, too_large


DIFF_OPTIONS = ("-M", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index")
CHANGE_LETTERS = {"A": "added", "D": "deleted", "R": "renamed"}


def _sizes(repo_path: Path, blobs: set[str]) -> dict[str, int]:
    """The sizes of the changed files' blobs, from one `cat-file --batch-check` (a submodule's
    commit is not in the repository: size 0)."""
    if not blobs:
        return {}
    out = run_git(["cat-file", "--batch-check"], git_dir=repo_path,
                  input="\n".join(sorted(blobs)).encode() + b"\n").stdout
    sizes = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def _summary(repo_path: Path, old: str, new: str, max_files: int, specs: list[str] | None = None
             ) -> tuple[list[tuple[FileDiff, list[str]]], bool]:
    """The changed files from one `git diff --raw -z` (no blob is read), at most `max_files`
    of them, each with its size and the pathspecs (old and new name) that select it again;
    and whether that is all of them."""
    args = ["diff", *DIFF_OPTIONS, "-z", "--raw", old, new]
    if specs is not None:
        args += ["--", *(":(literal)" + spec for spec in specs)]
    # A change is two or three NUL-separated tokens: 3 * (max_files + 1) hold one file more.
    tokens, complete = read_git_records(args, git_dir=repo_path, separator=b"\0",
                                        max_records=3 * (max_files + 1),
                                        max_bytes=MAX_LISTING_BYTES)
    items: list[tuple[FileDiff, list[str]]] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(b":"):
        meta = tokens[i].split()
        letter = meta[-1][:1].decode()
        width = 3 if letter in ("R", "C") else 2
        if i + width > len(tokens) or len(items) == max_files:
            complete = False
            break
        before, after = tokens[i + 1], tokens[i + width - 1]
        i += width
        item = FileDiff(
            CHANGE_LETTERS.get(letter, "modified"),
            after.decode("utf-8", "replace"),
            before.decode("utf-8", "replace") if letter == "R" else None,
        )
        if letter == "D":
            item.old_blob = meta[2].decode()
        else:
            item.blob = meta[3].decode()
        items.append((item, sorted({os.fsdecode(before), os.fsdecode(after)})))
    sizes = _sizes(repo_path, {str(item.blob or item.old_blob) for item, _specs in items})
    for item, _specs in items:
        item.size = sizes.get(str(item.blob or item.old_blob), 0)
    return items, complete


def _patches(repo_path: Path, old: str, new: str, specs: list[str] | None, max_bytes: int
             ) -> list[bytes] | None:
    """The patches of the chosen files, or None when they pass `max_bytes` together."""
    args = ["diff", *DIFF_OPTIONS, "-p", old, new]
    if specs is not None:
        args += ["--", *(":(literal)" + spec for spec in specs)]
    records, complete = read_git_records(args, git_dir=repo_path, separator=None,
                                         max_records=1, max_bytes=max_bytes)
    if not complete:
        return None
    chunks = re.split(rb"(?m)^diff --git ", b"".join(records))
    return chunks[1:]


def _cost(item: FileDiff, specs: list[str]) -> int:
    """What a file's patch costs a page: its size, and its header even when it is empty."""
    return item.size + DIFF_FILE_COST + sum(len(spec) for spec in specs)


def changes(repo_path: Path, sha: str, starter: str | None, only: str | None = None, *,
            max_lines: int = DEFAULT_MAX_DIFF_LINES,
            budget: int = DEFAULT_DIFF_BUDGET,
            max_files: int = DEFAULT_MAX_FILES,
            max_listed: int = DEFAULT_MAX_CHANGED_FILES) -> ChangeSet:
    """Commit `sha` against the recorded `starter`: added, deleted, modified and renamed files.

    Both trees are counted first (git/trees.py): past `max_files` files and folders nothing is
    diffed (git would hold every path of both trees to pair renames) and the change set says
    why. Otherwise at most `max_listed` changed files are listed; patches are loaded for files
    in path order until a budget of bytes is spent, each file costing its size plus its
    patch's header (so a crowd of empty files is not free); the rest are listed with their
    size and `collapsed`, to be opened one at a time (`only`), so that a huge submission costs
    no more than a page of diff.
    """
    with open_repo(repo_path) as repo:
        commit = resolve_commit(repo, sha)
        starter = starter_commit(repo, commit.hexsha, starter)
    try:
        with TreeCounter(repo_path, max_files) as counter:
            sizes = [counter.measure(commit.hexsha), counter.measure(starter)]
    except TreeError as exc:
        raise NotInRepository(f"the trees of this submission could not be read ({exc})") from None
    if any(not size.complete for size in sizes):
        return ChangeSet([], f"This submission has more than {max_files} files and folders "
                             "(counted through every folder), so its changes are not listed. "
                             f"Code lists its first {max_files} files.")
    items, complete = _summary(repo_path, starter, commit.hexsha, max_listed)
    notice = "" if complete else (f"This submission changes more than {max_listed} files; "
                                  f"showing the first {max_listed}.")
    listed = items
    if only is not None:
        items = [pair for pair in items if only in (pair[0].path, pair[0].old_path)]
        if not items and not complete:  # past the listed files: ask git for this one
            items, _all = _summary(repo_path, starter, commit.hexsha, 1, [only])
        if not items:
            raise NotInRepository(f"{only} did not change")
    load: list[tuple[FileDiff, list[str]]] = []
    spent = 0
    for item, specs in items:
        cost = _cost(item, specs)
        if only is not None or spent + cost <= budget:
            load.append((item, specs))
            spent += cost
        else:
            item.collapsed = True
    if load:
        everything = complete and len(load) == len(listed)
        specs = None if everything else [s for _item, spec in load for s in spec]
        # A patch is its files' lines with a character in front and some context: a few
        # times their bytes at most; past that the page says the diff is too large.
        chunks = _patches(repo_path, starter, commit.hexsha, specs, 4 * spent + 1024 * 1024)
        for (item, _spec), chunk in zip(load, chunks or [], strict=False):
            head, marker, body = chunk.partition(b"\n@@")
            if not marker:
                item.binary = b"\nBinary files " in head
                continue
            item.lines, item.added, item.removed, item.too_large = _parse_patch(
                ("@@" + body.decode("utf-8", "replace")), max_lines
            )
        if chunks is None:
            for item, _spec in load:
                item.too_large = True
    return ChangeSet([item for item, _specs in items], notice)
