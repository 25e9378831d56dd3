"""Reading a repository straight from the git object database: tree, files, diff, history.

Nothing is ever checked out on the host: blobs are read through GitPython's object database, a
symlink is shown as its link text and never followed, and submodules are shown as the commit
they point at. Binary, huge and non-UTF-8 files become placeholders. What a path or commit is
(a submission's repository, its commit) is the caller's business: see review.code.

Every read is bounded, whatever the tree: a tree can name one folder many times over, so that a
few objects expand to billions of paths (git/trees.py). The listing stops after a number of
entries and bytes and says so; one file is found by git walking only the folders on its path.
Changes against the starter are git/diffs.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git

from . import pushes
from .command import read_git_records

SHA_RE = re.compile(r"^[0-9a-f]{40,64}$")
DEFAULT_MAX_FILE_BYTES = 1024 * 1024
DEFAULT_MAX_FILES = 20000  # entries a listing shows (the platform passes RECIPROCAL_MAX_FILES)
MAX_LISTING_BYTES = 16 * 1024 * 1024  # of git's output for one listing, whatever the paths
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
class TreeListing:
    """A commit's entries in path order; `complete` is False when the listing stopped at its
    cap, and `notice` then says so for the page."""

    entries: list[Entry]
    complete: bool

    @property
    def notice(self) -> str:
        if self.complete:
            return ""
        shown = len(self.entries)
        return (f"This submission has more than {shown} files and folders; showing the "
                f"first {shown}.")


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


def resolve_commit(repo: git.Repo, sha: str) -> git.Commit:
    if not SHA_RE.match(sha):
        raise NotInRepository("not a commit")
    try:
        return repo.commit(sha)
    except (ValueError, git.BadName) as exc:
        raise NotInRepository("that commit is not in the repository") from exc


def tree(repo_path: Path, sha: str, *, max_entries: int = DEFAULT_MAX_FILES,
         max_bytes: int = MAX_LISTING_BYTES) -> TreeListing:
    """The entries of commit `sha` in path order (folders before their contents): at most
    `max_entries` of them and `max_bytes` of git's listing, read as git writes it."""
    with open_repo(repo_path) as repo:
        commit = resolve_commit(repo, sha)
    records, complete = read_git_records(
        ["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", commit.hexsha], git_dir=repo_path,
        separator=b"\0", max_records=max_entries, max_bytes=max_bytes)
    entries = []
    for record in records:
        meta, _, raw_path = record.partition(b"\t")
        mode, _type, _sha, size = meta.decode("ascii", "replace").split(None, 3)
        path = raw_path.decode("utf-8", "replace")
        entries.append(
            Entry(
                path=path,
                name=path.rsplit("/", 1)[-1],
                kind=MODE_KIND.get(mode, "file"),
                size=int(size) if size.strip().isdigit() else None,
                depth=path.count("/"),
            )
        )
    return TreeListing(entries, complete)


@dataclass(frozen=True)
class _Item:
    mode: str
    kind: str  # blob | tree | commit
    oid: str


def _lookup(repo_path: Path, commit: str, path: str) -> _Item:
    """The entry at `path` in `commit`, found by git walking only the folders on the path
    (each folder read by git itself, however many entries it has; never a recursive read).
    The path is a literal pathspec after `--`: never an option, never a pattern."""
    clean = path.strip("/")
    if not clean or "\0" in clean or any(part in ("", ".", "..") for part in clean.split("/")):
        raise NotInRepository("no such file")
    records, _complete = read_git_records(
        ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", clean],
        git_dir=repo_path, separator=b"\0", max_records=2, max_bytes=64 * 1024)
    for record in records:
        meta, _, found = record.partition(b"\t")
        if found.decode("utf-8", "replace") == clean:
            mode, kind, oid = meta.decode("ascii", "replace").split()
            return _Item(mode, kind, oid)
    raise NotInRepository(f"no file {clean} in this commit")


def blob_bytes(repo_path: Path, sha: str, path: str) -> bytes | None:
    """The bytes of the file at `path` in commit `sha`; None if absent or not a file."""
    try:
        with open_repo(repo_path) as repo:
            commit = resolve_commit(repo, sha)
            item = _lookup(repo_path, commit.hexsha, path)
            if item.kind != "blob":
                return None
            return bytes(repo.odb.stream(bytes.fromhex(item.oid)).read())
    except NotInRepository:
        return None


def read_file(repo_path: Path, path: str, sha: str,
              max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FileView:
    """One file of commit `sha` as text, or a placeholder saying what it is."""
    with open_repo(repo_path) as repo:
        commit = resolve_commit(repo, sha)
        item = _lookup(repo_path, commit.hexsha, path)
        if item.kind == "commit":
            return FileView(path, "submodule", 0, commit.hexsha, target=item.oid)
        if item.kind != "blob":
            raise NotInRepository(f"{path} is a folder")
        blob = git.Blob(repo, bytes.fromhex(item.oid), int(item.mode, 8), path.strip("/"))
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


def starter_commit(repo: git.Repo, sha: str, recorded: str | None) -> str:
    """The starter commit the platform recorded when it made the repository. Repositories made
    before it was recorded fall back to the last root git lists (nothing about a commit's author
    or message is trusted: a candidate can forge both)."""
    if recorded:
        return recorded
    return str(repo.git.rev_list("--max-parents=0", sha).split()[-1])


def history(repo_path: Path, sha: str, starter: str | None, started: datetime | None,
            cap: timedelta) -> list[CommitInfo]:
    """The commits (newest first), each with its claimed time, the server time of the push that
    brought it, its time after `started`, and whether that is within `cap`."""
    with open_repo(repo_path) as repo:
        commit = resolve_commit(repo, sha)
        base = starter_commit(repo, commit.hexsha, starter)
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
