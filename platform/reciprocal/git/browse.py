"""Reading a repository straight from the git object database: tree, files, diff, history.

Nothing is ever checked out on the host: blobs are read through GitPython's object database, a
symlink is shown as its link text and never followed, and submodules are shown as the commit
they point at. Binary, huge and non-UTF-8 files become placeholders. What a path or commit is
(a submission's repository, its commit) is the caller's business: see review.code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git

from . import pushes

SHA_RE = re.compile(r"^[0-9a-f]{40,64}$")
DEFAULT_MAX_FILE_BYTES = 1024 * 1024
DEFAULT_MAX_DIFF_LINES = 5000
DEFAULT_DIFF_BUDGET = 128 * 1024  # bytes of changed files whose patch one page loads
BINARY_SNIFF = 8000
MODE_KIND = {"040000": "tree", "160000": "submodule", "120000": "symlink"}


class NotInRepository(LookupError):
    """No such commit, file or change in the repository."""


@dataclass(frozen=True)
class Entry:
    path: str
    name: str
    kind: str  # tree | file | symlink | submodule
    size: int | None
    depth: int


@dataclass
class FileView:
    path: str
    kind: str  # text | symlink | binary | too_large | non_utf8 | submodule
    size: int
    commit_sha: str
    text: str = ""
    target: str = ""
    blob_sha: str = ""

    @property
    def line_count(self) -> int:
        return len(self.text.splitlines())


@dataclass
class DiffLine:
    kind: str  # add | del | ctx | hunk
    old: int | None
    new: int | None
    text: str


@dataclass
class FileDiff:
    change: str  # added | deleted | modified | renamed
    path: str
    old_path: str | None
    binary: bool = False
    too_large: bool = False
    collapsed: bool = False
    size: int = 0
    added: int = 0
    removed: int = 0
    lines: list[DiffLine] = field(default_factory=list)
    blob: str | None = None  # the new side's blob id (None for a deleted file)
    old_blob: str | None = None  # the old side's (None for an added file)


@dataclass(frozen=True)
class CommitInfo:
    """One commit. `claimed_at` is the author date the candidate's machine wrote (it can say
    anything); `pushed_at` is when the server received the push that brought the commit (None
    for the starter, and for commits from before pushes were recorded). The time after start and
    the cap are judged on the server's time whenever it is known."""

    sha: str
    author: str
    claimed_at: datetime
    summary: str
    is_starter: bool
    after_start: timedelta | None
    within_cap: bool
    pushed_at: datetime | None = None
    pushed_via: str | None = None


@contextmanager
def open_repo(repo_path: Path) -> Iterator[git.Repo]:
    """The bare repository, closed (cat-file processes ended) after use."""
    repo = git.Repo(repo_path)
    try:
        yield repo
    finally:
        repo.close()


def _commit(repo: git.Repo, sha: str) -> git.Commit:
    if not SHA_RE.match(sha):
        raise NotInRepository("not a commit")
    try:
        return repo.commit(sha)
    except (ValueError, git.BadName) as exc:
        raise NotInRepository("that commit is not in the repository") from exc


def tree(repo_path: Path, sha: str) -> list[Entry]:
    """Every entry of commit `sha` in path order (folders before their contents)."""
    with open_repo(repo_path) as repo:
        commit = _commit(repo, sha)
        raw = repo.git.ls_tree("-r", "-t", "-l", "-z", "--full-tree", commit.hexsha)
    entries = []
    for record in raw.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, _type, _sha, size = meta.split(None, 3)
        kind = MODE_KIND.get(mode, "file")
        entries.append(
            Entry(
                path=path,
                name=path.rsplit("/", 1)[-1],
                kind=kind,
                size=int(size) if size.strip().isdigit() else None,
                depth=path.count("/"),
            )
        )
    return entries


def _lookup(commit: git.Commit, path: str) -> git.Blob | git.Tree | git.Submodule:
    clean = path.strip("/")
    if not clean or any(part in ("", ".", "..") for part in clean.split("/")):
        raise NotInRepository("no such file")
    try:
        return commit.tree.join(clean)
    except KeyError as exc:
        raise NotInRepository(f"no file {clean} in this commit") from exc


def read_file(repo_path: Path, path: str, sha: str,
              max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FileView:
    """One file of commit `sha` as text, or a placeholder saying what it is."""
    with open_repo(repo_path) as repo:
        commit = _commit(repo, sha)
        obj = _lookup(commit, path)
        if isinstance(obj, git.Submodule) or obj.type == "commit":
            return FileView(path, "submodule", 0, commit.hexsha, target=obj.hexsha)
        if obj.type != "blob":
            raise NotInRepository(f"{path} is a folder")
        blob = obj
        size = blob.size
        if blob.mode == 0o120000:
            target = blob.data_stream.read(4096).decode("utf-8", "replace")
            return FileView(path, "symlink", size, commit.hexsha, target=target)
        if size > max_bytes:
            return FileView(path, "too_large", size, commit.hexsha)
        data = blob.data_stream.read()
        blob_sha = blob.hexsha
    if b"\0" in data[:BINARY_SNIFF]:
        return FileView(path, "binary", size, commit.hexsha)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileView(path, "non_utf8", size, commit.hexsha)
    return FileView(path, "text", size, commit.hexsha, text=text, blob_sha=blob_sha)


def _starter(repo: git.Repo, sha: str, recorded: str | None) -> str:
    """The starter commit the platform recorded when it made the repository. Repositories made
    before it was recorded fall back to the last root git lists (nothing about a commit's author
    or message is trusted: a candidate can forge both)."""
    if recorded:
        return recorded
    return str(repo.git.rev_list("--max-parents=0", sha).split()[-1])


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


def _sizes(repo: git.Repo, sha: str) -> dict[bytes, int]:
    out = repo.git.ls_tree("-r", "-l", "-z", "--full-tree", sha, stdout_as_string=False)
    sizes = {}
    for record in out.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        size = meta.split()[-1] if meta else b"-"
        sizes[path] = int(size) if size.isdigit() else 0
    return sizes


def _summary(repo: git.Repo, old: str, new: str) -> list[tuple[FileDiff, list[str]]]:
    """Every changed file from one `git diff --raw -z` (no blob is read), with its size and the
    pathspecs (old and new name) that select it again."""
    out = repo.git.diff(*DIFF_OPTIONS, "-z", "--raw", old, new, stdout_as_string=False)
    tokens = out.split(b"\0")
    new_sizes = _sizes(repo, new)
    old_sizes: dict[bytes, int] | None = None
    items: list[tuple[FileDiff, list[str]]] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(b":"):
        meta = tokens[i].split()
        letter = meta[-1][:1].decode()
        if letter in ("R", "C"):
            before, after = tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            before = after = tokens[i + 1]
            i += 2
        item = FileDiff(
            CHANGE_LETTERS.get(letter, "modified"),
            after.decode("utf-8", "replace"),
            before.decode("utf-8", "replace") if letter == "R" else None,
        )
        if letter == "D":
            old_sizes = old_sizes if old_sizes is not None else _sizes(repo, old)
            item.size = old_sizes.get(before, 0)
            item.old_blob = meta[2].decode()
        else:
            item.size = new_sizes.get(after, 0)
            item.blob = meta[3].decode()
        items.append((item, sorted({os.fsdecode(before), os.fsdecode(after)})))
    return items


def _patches(repo: git.Repo, old: str, new: str, specs: list[str] | None) -> list[bytes]:
    args = [*DIFF_OPTIONS, "-p", old, new]
    if specs is not None:
        args += ["--", *(":(literal)" + spec for spec in specs)]
    out = repo.git.diff(*args, stdout_as_string=False)
    chunks = re.split(rb"(?m)^diff --git ", out)
    return chunks[1:]


def changes(repo_path: Path, sha: str, starter: str | None, only: str | None = None, *,
            max_lines: int = DEFAULT_MAX_DIFF_LINES,
            budget: int = DEFAULT_DIFF_BUDGET) -> list[FileDiff]:
    """Commit `sha` against the recorded `starter`: added, deleted, modified and renamed files.

    Patches are loaded for files in path order until a budget of bytes is spent; the rest are
    listed with their size and `collapsed`, to be opened one at a time (`only`), so that a huge
    submission costs no more than a page of diff.
    """
    with open_repo(repo_path) as repo:
        commit = _commit(repo, sha)
        starter = _starter(repo, commit.hexsha, starter)
        items = _summary(repo, starter, commit.hexsha)
        total = len(items)
        if only is not None:
            items = [pair for pair in items if only in (pair[0].path, pair[0].old_path)]
            if not items:
                raise NotInRepository(f"{only} did not change")
        load: list[tuple[FileDiff, list[str]]] = []
        spent = 0
        for item, specs in items:
            if only is not None or spent + item.size <= budget:
                load.append((item, specs))
                spent += item.size
            else:
                item.collapsed = True
        if load:
            everything = len(load) == total
            specs = None if everything else [s for _item, spec in load for s in spec]
            chunks = _patches(repo, starter, commit.hexsha, specs)
            for (item, _spec), chunk in zip(load, chunks, strict=False):
                head, marker, body = chunk.partition(b"\n@@")
                if not marker:
                    item.binary = b"\nBinary files " in head
                    continue
                item.lines, item.added, item.removed, item.too_large = _parse_patch(
                    ("@@" + body.decode("utf-8", "replace")), max_lines
                )
    return [item for item, _specs in items]


def history(repo_path: Path, sha: str, starter: str | None, started: datetime | None,
            cap: timedelta) -> list[CommitInfo]:
    """The commits (newest first), each with its claimed time, the server time of the push that
    brought it, its time after `started`, and whether that is within `cap`."""
    with open_repo(repo_path) as repo:
        commit = _commit(repo, sha)
        base = _starter(repo, commit.hexsha, starter)
        arrived = pushes.arrivals(repo_path, pushes.read(repo_path), base)
        out = []
        for c in repo.iter_commits(rev=commit.hexsha, max_count=500):
            claimed = datetime.fromtimestamp(c.authored_date, tz=UTC)
            push = arrived.get(c.hexsha)
            judged = push.received_at if push is not None else claimed
            offset = judged - started if started is not None else None
            out.append(
                CommitInfo(
                    sha=c.hexsha,
                    author=str(c.author.name or ""),
                    claimed_at=claimed,
                    summary=str(c.summary)[:300],
                    is_starter=c.hexsha == base,
                    after_start=offset,
                    within_cap=offset is None or offset <= cap,
                    pushed_at=push.received_at if push is not None else None,
                    pushed_via=push.via if push is not None else None,
                )
            )
    return out
