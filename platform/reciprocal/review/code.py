"""A submission's code for reviewers: its repository and commit resolved from the database,
then read from the object database by reciprocal.git.browse (never checked out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from flask import current_app

from ..core.errors import CodeDeleted, NotFound
from ..git import browse, diffs
from ..git.browse import CommitInfo, FileView, TreeListing
from ..git.diffs import ChangeSet
from ..git.storage import repositories
from ..models import Submission, User
from . import blind
from .queries import identity_revealed, privileged, time_for

T = TypeVar("T")
PLATFORM_AUTHOR = "Reciprocal"


def repo_path(submission: Submission) -> Path:
    invitation = submission.invitation
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("the candidate deleted this code")
    path = repositories().path_for(invitation.id)
    if not (path / "HEAD").is_file():
        raise NotFound("the repository of this submission is gone")
    return path


def _found(read: Callable[[], T]) -> T:
    try:
        return read()
    except browse.NotInRepository as exc:
        raise NotFound(str(exc)) from None


def _max_files() -> int:
    return int(current_app.config.get("MAX_FILES", browse.DEFAULT_MAX_FILES))


def tree(submission: Submission) -> TreeListing:
    """The submitted commit's entries, at most RECIPROCAL_MAX_FILES of them (the listing then
    carries a notice saying it is cut short)."""
    path = repo_path(submission)
    return _found(lambda: browse.tree(path, submission.commit_sha, max_entries=_max_files()))


def read_file(submission: Submission, path: str, sha: str | None = None) -> FileView:
    """One file of the submitted commit (or of `sha`), as text or a placeholder."""
    repo = repo_path(submission)
    limit = int(current_app.config.get("REVIEW_MAX_FILE_BYTES", browse.DEFAULT_MAX_FILE_BYTES))
    return _found(lambda: browse.read_file(repo, path, sha or submission.commit_sha, limit))


def changes(submission: Submission, only: str | None = None) -> ChangeSet:
    config = current_app.config
    repo = repo_path(submission)
    return _found(lambda: diffs.changes(
        repo, submission.commit_sha, submission.invitation.starter_sha, only,
        max_lines=int(config.get("REVIEW_MAX_DIFF_LINES", diffs.DEFAULT_MAX_DIFF_LINES)),
        budget=int(config.get("REVIEW_DIFF_BUDGET", diffs.DEFAULT_DIFF_BUDGET)),
        max_files=_max_files(),
        max_listed=int(config.get("REVIEW_MAX_CHANGED_FILES", diffs.DEFAULT_MAX_CHANGED_FILES)),
    ))


def history(submission: Submission, viewer: User) -> list[CommitInfo]:
    """The candidate's commits (newest first) with their time after the clock started.

    Time is as the viewer may read it (`queries.time_for`): for reviewers, each commit's time
    into the work is on the standard cap, so no accommodation shows (the page then shows them no
    clock time either; whether a commit came after the cap is judged on the candidate's own).

    Blind review: the author of a commit is usually the candidate's real name, so a viewer who
    may not see the name yet gets the candidate code as every author (the platform's starter
    commit, identified by the id recorded at start, stays "Reciprocal"), and the candidate's
    name, its parts, handles made from it or their address, and any e-mail address in a
    commit's summary line become that code too (review/blind.py)."""
    invitation = submission.invitation
    repo = repo_path(submission)
    commits = _found(lambda: browse.history(repo, submission.commit_sha, invitation.starter_sha,
                                            invitation.started_at, invitation.time_cap))
    time = time_for(viewer, invitation)
    commits = [replace(c, after_start=time.duration(c.after_start))
               if c.after_start is not None else c for c in commits]
    if privileged(viewer) or identity_revealed(submission):
        return commits
    mask = blind.masker(invitation.candidate_name, invitation.candidate_email,
                        invitation.candidate_code)
    code = invitation.candidate_code
    return [replace(c, author=_masked_author(c, code),
                    summary=c.summary if c.is_starter else mask(c.summary))
            for c in commits]


def _masked_author(commit: CommitInfo, candidate_code: str) -> str:
    return PLATFORM_AUTHOR if commit.is_starter else candidate_code


def context(
    submission: Submission, path: str, sha: str, line_start: int, line_end: int, around: int = 3
) -> list[tuple[int, str]]:
    """A few lines of plain text around a comment's lines (numbered from 1)."""
    try:
        view = read_file(submission, path, sha)
    except (NotFound, CodeDeleted):
        return []
    if view.kind != "text":
        return []
    lines = view.text.splitlines()
    first = max(1, line_start - around)
    last = min(len(lines), line_end + around)
    return [(n, lines[n - 1]) for n in range(first, last + 1)]


def line_count(submission: Submission, path: str, sha: str) -> int | None:
    """How many lines the text file has at `sha`, or None when it is not a text file."""
    view = read_file(submission, path, sha)
    return view.line_count if view.kind == "text" else None
