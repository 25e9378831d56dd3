"""The hosted git repository of each assignment: where it lives, and the git operations the
authoring service needs (seed from a folder, read branches, check a commit out, move main).

`main` is the live line: each commit on it was published (or written by `assignments sync` from
an operator's folder). Authors push any other branch; nothing but publishing moves main. No tree
is ever checked out inside the repository: content goes in through git's object database
(git/repos.py) and comes out through `git archive` into a scratch folder.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from ..core import archives
from ..core.errors import InvalidInput
from ..git import repos
from ..git.command import GitCommandError, run_git
from ..git.storage import server_limits
from ..git.trees import FileLimits, TreeError, measure
from .spec import IGNORED_NAMES, content_hash

MAIN = repos.MAIN
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
# What one assignment's commit may hold when it is checked out for validation or publishing.
CONTENT_FILES = FileLimits(max_files=20_000, max_bytes=300 * 1024 * 1024)
CONTENT_LIMITS = archives.ArchiveLimits(
    max_members=CONTENT_FILES.max_files + 1,
    max_file_bytes=50 * 1024 * 1024,
    max_total_bytes=CONTENT_FILES.max_bytes,
)


class HostingError(InvalidInput):
    """A git operation on an assignment repository failed for a reason people should read."""


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str
    author: str
    authored_at: datetime

    @property
    def title(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else "(no message)"


def repos_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "assignment-repos"


def repo_path(slug: str) -> Path:
    return repos_root() / f"{slug}.git"


def exists(slug: str) -> bool:
    return (repo_path(slug) / "HEAD").is_file()


def create(slug: str) -> Path:
    """A new bare repository with the platform's server settings and hooks."""
    path = repo_path(slug)
    repos.create_repository(path, server_limits())
    return path


def _ignored(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n in IGNORED_NAMES or n.endswith(".pyc")]


def commit_folder(slug: str, folder: Path, message: str, *, ref: str = MAIN,
                  author: tuple[str, str] | None = None) -> str:
    """Commit an assignment folder's content (caches and build output left out) on `ref`, by
    `author` (name, email; the platform when None)."""
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "content"
        shutil.copytree(folder, clean, ignore=_ignored, symlinks=True)
        return repos.commit_directory(repo_path(slug), clean, message, ref=ref,
                                      author=repos.actor(*author) if author else
                                      repos.PLATFORM_ACTOR)


def head(slug: str, ref: str = MAIN) -> str | None:
    found = run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                    git_dir=repo_path(slug), check=False)
    return found.stdout.decode().strip() or None if found.returncode == 0 else None


def branches(slug: str) -> dict[str, str]:
    """Every branch's name (without refs/heads/) and head."""
    out = run_git(["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/"],
                  git_dir=repo_path(slug)).stdout.decode()
    found = {}
    for line in out.splitlines():
        ref, _, sha = line.partition(" ")
        found[ref.removeprefix("refs/heads/")] = sha
    return found


def commit(slug: str, sha: str) -> Commit:
    if not SHA_RE.match(sha):
        raise HostingError("not a commit SHA")
    found = run_git(["log", "-1", "--format=%H%x00%an <%ae>%x00%at%x00%B", sha, "--"],
                    git_dir=repo_path(slug), check=False)
    if found.returncode != 0 or not found.stdout:
        raise HostingError(f"no commit {sha[:10]} in {slug}'s repository")
    full, author, when, message = found.stdout.decode("utf-8", "replace").split("\0", 3)
    return Commit(full, message, author, datetime.fromtimestamp(int(when), UTC))


def log(slug: str, ref: str = MAIN, limit: int = 50) -> list[Commit]:
    """The newest commits of a branch, newest first (empty for a branch that does not exist)."""
    if head(slug, ref) is None:
        return []
    out = run_git(["log", f"-{limit}", "--format=%H%x00%an <%ae>%x00%at%x00%B%x1e", ref, "--"],
                  git_dir=repo_path(slug)).stdout.decode("utf-8", "replace")
    commits = []
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        sha, author, when, message = record.strip("\n").split("\0", 3)
        commits.append(Commit(sha, message, author, datetime.fromtimestamp(int(when), UTC)))
    return commits


def is_ancestor(slug: str, older: str, newer: str) -> bool:
    found = run_git(["merge-base", "--is-ancestor", older, newer], git_dir=repo_path(slug),
                    check=False)
    return found.returncode == 0


def move_main(slug: str, sha: str, expected: str | None) -> None:
    """Point main at `sha`, only if main is still `expected` (None: main must not exist)."""
    old = expected or "0" * 40
    try:
        run_git(["update-ref", MAIN, sha, old], git_dir=repo_path(slug))
    except GitCommandError:
        raise HostingError("main moved while this was being published; try again") from None


def content_tar(slug: str, sha: str) -> bytes:
    """A gzipped tar of the commit's files (counted first: a small tree can name millions)."""
    _check_size(slug, sha)
    buffer = io.BytesIO()
    with repos.archive_stream(repo_path(slug), sha) as pipe, \
            gzip.GzipFile(fileobj=buffer, mode="wb") as gz:
        while chunk := pipe.read(64 * 1024):
            gz.write(chunk)
    return buffer.getvalue()


def checkout(slug: str, sha: str, parent: Path) -> Path:
    """The commit's files in `parent/<slug>/` (the folder name an assignment must have)."""
    _check_size(slug, sha)
    dest = parent / slug
    with repos.archive_stream(repo_path(slug), sha) as pipe:
        archives.extract_tar(pipe, dest, CONTENT_LIMITS, allow_symlinks=False)
    return dest


def matches_folder(slug: str, folder: Path) -> bool:
    """Whether main holds exactly the folder's content (by the assignment content hash)."""
    sha = head(slug)
    if sha is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        return content_hash(checkout(slug, sha, Path(tmp))) == content_hash(folder)


def _check_size(slug: str, sha: str) -> None:
    if not SHA_RE.match(sha):
        raise HostingError("not a commit SHA")
    try:
        size = measure(sha, git_dir=repo_path(slug), max_entries=CONTENT_FILES.max_files)
    except TreeError as exc:
        raise HostingError(f"the files of commit {sha[:10]} could not be counted ({exc})") from None
    problem = CONTENT_FILES.problem(size)
    if problem is not None:
        raise HostingError(f"commit {sha[:10]} {problem}")
