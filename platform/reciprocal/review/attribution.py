"""AI attribution as the candidate's own notes state it, for the code view and for the
candidate's page.

If the candidate pushed git-ai notes (`refs/notes/ai`), each line of a submitted file is
attributed by the note of the commit that wrote it (git blame), at the line number it had
there (review/ai_notes.py). Nothing is inferred: a line without a note is simply not marked,
and the notes are the candidate's statement, shown as such ("as the candidate's notes say").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import CodeDeleted, NotFound
from ..git import notes as git_notes
from ..git.browse import FileView
from ..models import Submission
from . import ai_notes
from . import code as code_browser

MAX_SUMMARY_FILES = 100  # files named in notes that the candidate's summary blames


@dataclass(frozen=True)
class FileAttribution:
    marked: ai_notes.Marked
    skipped_notes: int = 0  # notes over the size cap, not read

    @property
    def any(self) -> bool:
        return bool(self.marked.keys)


EMPTY = FileAttribution(ai_notes.marked([]))


@dataclass
class Summary:
    """What reviewers see of the notes, file by file: for the candidate's own page."""

    has_notes: bool
    files: list[tuple[str, int]] = field(default_factory=list)  # path, marked lines
    agents: list[str] = field(default_factory=list)
    skipped_notes: int = 0

    @property
    def lines(self) -> int:
        return sum(count for _path, count in self.files)


def _attribute(repo: Path, sha: str, path: str) -> FileAttribution:
    origins = git_notes.blame(repo, sha, path)
    if not origins:
        return EMPTY
    read = git_notes.read_notes(repo, (o.commit for o in origins), git_notes.DEFAULT_MAX_NOTE_BYTES)
    logs = {commit: ai_notes.parse(text) for commit, text in read.texts.items()}
    return FileAttribution(ai_notes.marked(ai_notes.attribute(origins, logs)), read.skipped)


def for_file(submission: Submission, view: FileView) -> FileAttribution:
    """The marked lines of a file the code view shows (a text file of the submission)."""
    if view.kind != "text":
        return EMPTY
    try:
        repo = code_browser.repo_path(submission)
    except (NotFound, CodeDeleted):
        return EMPTY
    if not git_notes.has_notes(repo):
        return EMPTY
    return _attribute(repo, view.commit_sha, view.path)


def summary(submission: Submission | None) -> Summary:
    """The files the notes mark in the submitted commit, with their counts of marked lines."""
    if submission is None:
        return Summary(has_notes=False)
    try:
        repo = code_browser.repo_path(submission)
    except (NotFound, CodeDeleted):
        return Summary(has_notes=False)
    blobs = git_notes.note_blobs(repo)
    if not blobs:
        return Summary(has_notes=False)
    read = git_notes.read_notes(repo, blobs, git_notes.DEFAULT_MAX_NOTE_BYTES)
    paths = sorted({path for text in read.texts.values() for path in ai_notes.parse(text).files})
    result = Summary(has_notes=True, skipped_notes=read.skipped)
    for path in paths[:MAX_SUMMARY_FILES]:
        try:
            view = code_browser.read_file(submission, path)
        except NotFound:
            continue  # named in a note of an earlier commit, gone or renamed since
        found = for_file(submission, view)
        if found.any:
            result.files.append((path, found.marked.count))
            result.agents.extend(a for a, _ in found.marked.legend if a not in result.agents)
    return result


def serialise(found: FileAttribution) -> list[dict[str, Any]]:
    """The API's `ai_attribution` of a file: each agent the notes name, with its lines."""
    return [{"agent": agent, "source": "the candidate's notes (refs/notes/ai)",
             "lines": [[start, end] for start, end in spans]}
            for agent, spans in found.marked.legend]
