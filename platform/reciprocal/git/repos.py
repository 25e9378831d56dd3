"""Creating and updating candidate repositories without ever checking a tree out on the host.

New commits are built from blobs written straight into the object database (GitPython's odb and
an index file of our own), so neither the starter nor an uploaded archive is ever a git work tree
and no hook, attribute or config in candidate content is ever read.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import IO

import git
from git.index.typ import BaseIndexEntry
from gitdb.base import IStream

from .command import GIT_TIMEOUT_SECONDS, GitCommandError, git_pipe, run_git
from .hooks import HIDDEN_REFS, SUBMITTED_REF, ObjectLimits, Refusal, check_objects
from .trees import FileLimits, TreeError, measure

MAIN = "refs/heads/main"
PLATFORM_ACTOR = git.Actor("Reciprocal", "platform@reciprocal.invalid")
MIB = 1024 * 1024
BRANCH_RE = re.compile(r"^refs/heads/[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")


def actor(name: str, email: str) -> git.Actor:
    """A commit's author, for callers outside this package (which never import GitPython)."""
    return git.Actor(name, email)


class RepositoryError(Exception):
    """A repository operation failed for a reason the candidate or operator should read."""


@dataclass(frozen=True)
class ServerLimits:
    max_input_bytes: int
    hooks_dir: Path


def configure_server(repo_path: Path, limits: ServerLimits) -> None:
    """The server-side settings every platform repository carries."""
    settings = {
        "receive.fsckObjects": "true",
        "fetch.fsckObjects": "true",
        "transfer.fsckObjects": "true",
        "receive.maxInputSize": str(limits.max_input_bytes),
        "receive.denyDeletes": "true",
        "receive.denyNonFastForwards": "false",
        "receive.advertisePushOptions": "false",
        "http.getanyfile": "false",
        "http.receivepack": "true",
        "http.uploadpack": "true",
        "uploadpack.allowReachableSHA1InWant": "true",
        "core.hooksPath": str(limits.hooks_dir),
        "core.symlinks": "false",
        "gc.auto": "0",
        "receive.autogc": "false",
    }
    for key, value in settings.items():
        run_git(["config", "--", key, value], git_dir=repo_path)
    hide_platform_refs(repo_path)


HIDE_REFS_KEYS = ("transfer.hideRefs", "receive.hideRefs", "uploadpack.hideRefs")


def hide_platform_refs(repo_path: Path) -> None:
    """Hide `refs/reciprocal/` (the pinned submission) from every client: not advertised by
    ls-remote, clone or fetch, and not pushable. Cheap when already set (one `git config`
    read), so repositories created before this setting get it when they are next opened."""
    present = run_git(
        ["config", "--get-regexp", r"^(transfer|receive|uploadpack)\.hiderefs$"],
        git_dir=repo_path,
        check=False,
    ).stdout.decode("utf-8", "replace")
    have = {tuple(line.split(" ", 1)) for line in present.splitlines()}
    for key in HIDE_REFS_KEYS:
        if (key.lower(), HIDDEN_REFS) not in have:
            run_git(["config", "--add", "--", key, HIDDEN_REFS], git_dir=repo_path)


def submitted_sha(repo_path: Path) -> str | None:
    """The commit pinned by `pin_submission`, or None while the repository is not submitted."""
    found = run_git(
        ["rev-parse", "--verify", "--quiet", SUBMITTED_REF], git_dir=repo_path, check=False
    )
    if found.returncode != 0:
        return None
    return found.stdout.decode().strip() or None


def pin_submission(repo_path: Path) -> str | None:
    """Pin the head of main as `SUBMITTED_REF`; returns it (None: no commits yet, no pin).

    The caller holds the repository lock (git/locks.py), so no push or upload moves main
    between reading it and writing the pin; the pre-receive hook refuses every push once the
    pin exists. The update is also conditional on main still being the commit read.
    """
    sha = head_sha(repo_path)
    if sha is None:
        return None
    run_git(
        ["update-ref", "--stdin", "-z"],
        git_dir=repo_path,
        input=(f"verify {MAIN}\0{sha}\0".encode() + f"update {SUBMITTED_REF}\0{sha}\0\0".encode()),
    )
    return sha


def create_repository(repo_path: Path, limits: ServerLimits) -> git.Repo:
    if repo_path.exists():
        raise RepositoryError(f"repository {repo_path.name} already exists")
    repo_path.parent.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(repo_path, bare=True, initial_branch="main")
    configure_server(repo_path, limits)
    return repo


def _mode_for(path: Path) -> int:
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return 0o120000
    return 0o100755 if st.st_mode & 0o111 else 0o100644


def _iter_tree(root: Path) -> Iterable[tuple[str, Path]]:
    """Files under root as (posix relative path, path); `.git` folders are never included."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            full = Path(dirpath) / name
            yield full.relative_to(root).as_posix(), full


PACK_ABOVE = 100  # files; as git keeps a push of more objects than this as a pack (unpackLimit)


def commit_directory(
    repo_path: Path,
    root: Path,
    message: str,
    *,
    extra_files: dict[str, bytes] | None = None,
    author: git.Actor = PLATFORM_ACTOR,
    when: datetime | None = None,
    ref: str = MAIN,
) -> str:
    """Commit the files under `root` (plus extra_files) on top of `ref` (main unless said
    otherwise; a root commit when the branch does not exist yet); returns the new SHA.

    Symlinks are stored as links (their text), never followed. `root` is read with plain file
    reads, so it may be an untrusted, freshly extracted archive.
    """
    repo = git.Repo(repo_path)
    entries: dict[str, BaseIndexEntry] = {}

    def add_blob(rel: str, mode: int, data: bytes) -> None:
        istream = repo.odb.store(IStream(git.Blob.type, len(data), BytesIO(data)))
        entries[rel] = BaseIndexEntry((mode, istream.binsha, 0, rel))

    for rel, full in _iter_tree(root):
        mode = _mode_for(full)
        data = os.readlink(full).encode() if mode == 0o120000 else full.read_bytes()
        add_blob(rel, mode, data)
    for rel, data in (extra_files or {}).items():
        add_blob(rel, 0o100644, data)

    with tempfile.TemporaryDirectory() as tmp:
        index = git.IndexFile(repo, file_path=os.path.join(tmp, "index"))
        index.add(list(entries.values()), write=False)
        tree = index.write_tree()
    parents = [repo.commit(ref)] if _has_ref(repo, ref) else []
    stamp = f"{int((when or datetime.now().astimezone()).timestamp())} +0000"
    commit = git.Commit.create_from_tree(
        repo,
        tree,
        message,
        parent_commits=parents,
        head=False,
        author=author,
        committer=PLATFORM_ACTOR,
        author_date=stamp,
        commit_date=stamp,
    )
    repo.git.update_ref(ref, commit.hexsha)
    if len(entries) > PACK_ABOVE:
        # Every blob above went in as a loose object; one pack makes the review pages' tree
        # and diff reads of a big upload (thousands of files) several times faster.
        repo.git.repack("-d", "-q")
    return commit.hexsha


def _has_main(repo: git.Repo) -> bool:
    return _has_ref(repo, MAIN)


def _has_ref(repo: git.Repo, ref: str) -> bool:
    try:
        repo.commit(ref)
    except (git.BadName, ValueError):
        return False
    return True


def head_sha(repo_path: Path) -> str | None:
    """The SHA of main, or None for a repository without commits."""
    repo = git.Repo(repo_path)
    return repo.commit(MAIN).hexsha if _has_main(repo) else None


QUARANTINE_REF = "refs/heads/incoming"


def import_bundle(repo_path: Path, bundle_path: Path, limits: ObjectLimits) -> str:
    """Verify a git bundle and make its main (or only) branch our main; returns the new SHA.

    Bundles carry whole packs, so they get the push's checks (object count, single-file size,
    total unpacked size: hooks.check_objects) before anything of them enters the repository:
    the bundle is fetched first into a throwaway quarantine repository that borrows ours as an
    alternate, checked there against our refs, and only then fetched into ours. A refused bundle
    leaves nothing behind, reachable or not.
    """
    try:
        run_git(["bundle", "verify", "-q", str(bundle_path)], git_dir=repo_path, timeout=60)
    except GitCommandError as exc:
        raise RepositoryError(
            "the bundle is not a valid git bundle for this repository: "
            + (exc.stderr.strip().splitlines() or ["unknown error"])[-1]
        ) from None
    heads = run_git(["bundle", "list-heads", str(bundle_path)], git_dir=repo_path).stdout.decode(
        "utf-8", "replace"
    )
    refs = [line.split(" ", 1)[1] for line in heads.splitlines() if " " in line]
    branches = [ref for ref in refs if BRANCH_RE.match(ref)]
    chosen = next((b for b in ("refs/heads/main", "refs/heads/master") if b in branches), None)
    if chosen is None and len(branches) == 1:
        chosen = branches[0]
    if chosen is None:
        raise RepositoryError(
            "the bundle must contain a branch named main (or exactly one branch); found: "
            + (", ".join(refs) or "no branches")
        )
    with tempfile.TemporaryDirectory(prefix="reciprocal-quarantine-") as tmp:
        quarantine = Path(tmp) / "quarantine.git"
        run_git(["init", "--bare", "-q", str(quarantine)])
        alternates = quarantine / "objects" / "info" / "alternates"
        alternates.write_text(str((repo_path / "objects").resolve()) + "\n")
        _fetch_bundle(quarantine, bundle_path, f"+{chosen}:{QUARANTINE_REF}")
        ours = run_git(
            ["for-each-ref", "--format=%(objectname)"], git_dir=repo_path
        ).stdout.decode()
        try:
            check_objects(
                [QUARANTINE_REF],
                limits,
                exclude=ours.split(),
                git_dir=quarantine,
                what="upload",
            )
        except Refusal as refusal:
            raise RepositoryError(str(refusal)) from None
        except subprocess.CalledProcessError:
            raise RepositoryError("the bundle could not be checked; please try again") from None
    _fetch_bundle(repo_path, bundle_path, f"+{chosen}:{MAIN}")
    sha = head_sha(repo_path)
    assert sha is not None
    return sha


def _fetch_bundle(git_dir: Path, bundle_path: Path, refspec: str) -> None:
    try:
        run_git(
            [
                "-c",
                "fetch.fsckObjects=true",
                "fetch",
                "--no-tags",
                "--no-recurse-submodules",
                "--no-write-fetch-head",
                "--",
                str(bundle_path),
                refspec,
            ],
            git_dir=git_dir,
            timeout=120,
        )
    except GitCommandError as exc:
        raise RepositoryError(f"the bundle was refused: {exc.stderr.strip()[:300]}") from None


def export_bundle(repo_path: Path, target: Path) -> Path:
    # HEAD too, so that `git clone x.bundle` checks main out.
    run_git(["bundle", "create", str(target), "HEAD", MAIN], git_dir=repo_path)
    return target


def export_zip(repo_path: Path, sha: str, target: Path, prefix: str, limits: FileLimits) -> Path:
    """A zip of commit `sha`'s files. They are counted first through the recursive tree
    (git/trees.py): a tree past `limits` is refused before `git archive` expands anything.
    The zip is then written through a pipe with a byte cap (the files, plus a kilobyte of
    headers for each, plus a megabyte), so git is stopped if it ever writes more."""
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        raise RepositoryError("not a commit SHA")
    try:
        size = measure(sha, git_dir=repo_path, max_entries=limits.max_files)
    except TreeError as exc:
        raise RepositoryError(f"the files of this commit could not be counted ({exc})") from None
    problem = limits.problem(size)
    if problem is not None:
        raise RepositoryError(f"this commit {problem}")
    cap = size.bytes + 1024 * size.entries + MIB
    args = ["archive", "--format=zip", f"--prefix={prefix}/", sha]
    written = 0
    with git_pipe(args, git_dir=repo_path) as pipe, target.open("wb") as out:
        try:
            while chunk := pipe.stdout.read(64 * 1024):
                written += len(chunk)
                if written > cap:
                    raise RepositoryError("the zip grew past the size of its files; stopped")
                out.write(chunk)
        except BaseException:
            pipe.proc.kill()
            raise
    if pipe.error is not None:
        raise RepositoryError(f"git archive failed or took too long ({pipe.proc.returncode})")
    return target


@contextmanager
def archive_stream(
    git_dir: Path, sha: str, timeout: float = GIT_TIMEOUT_SECONDS
) -> Iterator[IO[bytes]]:
    """`git archive --format=tar <sha>` as a pipe, read while git writes it, so that no tree is
    ever held whole in memory. git is killed after `timeout` seconds or when the reader gives
    up; if git itself failed, GitCommandError is raised, even when the reader's own error (a
    truncated tar) came first."""
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        raise RepositoryError("not a commit SHA")
    with git_pipe(["archive", "--format=tar", sha], git_dir=git_dir, timeout=timeout) as pipe:
        try:
            yield pipe.stdout
            while pipe.stdout.read(64 * 1024):  # the tar's end padding: let git finish
                pass
        except BaseException as exc:
            try:
                pipe.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pipe.proc.kill()  # git is healthy and blocked on the pipe: the reader gave up
                pipe.proc.wait()
            else:
                if (error := pipe.failure()) is not None:
                    raise error from exc
            raise
    if pipe.error is not None:
        raise pipe.error
