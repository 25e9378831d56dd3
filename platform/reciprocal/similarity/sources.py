"""The text of both sides of a match, for the side-by-side page: this submission's file from
its repository (read from the object database), the other side's from its repository, its
assignment version's solution snapshot, or the corpus copy kept under the data directory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..assignments.operations import version_dir
from ..core.errors import CodeDeleted, NotFound
from ..extensions import db
from ..models import AssignmentVersion, Submission
from ..review import code as code_browser
from .fingerprints import MAX_FILE_BYTES
from .queries import MatchView
from .texts import entry_dir


@dataclass(frozen=True)
class SourceText:
    key: str  # what identifies the content (a blob id or a digest) for the highlight cache
    path: str
    text: str | None  # None: not available (deleted by the candidate, gone)
    note: str = ""


def submission_text(submission: Submission, path: str) -> SourceText:
    try:
        view = code_browser.read_file(submission, path)
    except (CodeDeleted, NotFound) as exc:
        return SourceText("", path, None, str(exc))
    if view.kind != "text":
        return SourceText("", path, None, f"not shown ({view.kind.replace('_', ' ')})")
    return SourceText(view.blob_sha, path, view.text)


def _inside(root: Path, path: str) -> SourceText:
    target = (root / path).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        return SourceText("", path, None, "no longer available")
    if target.stat().st_size > MAX_FILE_BYTES:
        return SourceText("", path, None, "too large to show")
    text = target.read_text(encoding="utf-8", errors="replace")
    return SourceText(hashlib.sha256(text.encode()).hexdigest(), path, text)


def other_text(match: MatchView, path: str) -> SourceText:
    doc = match.other_document
    if match.other_submission is not None:
        return submission_text(match.other_submission, path)
    if doc.kind == "solution" and doc.assignment_version_id is not None:
        version = db.session.get(AssignmentVersion, doc.assignment_version_id)
        if version is not None:
            folder = "wrong" if doc.label.startswith("wrong") else "solution"
            return _inside(version_dir(version) / folder, path)
    if doc.kind == "corpus" and doc.corpus:
        entry = doc.label.split("/", 1)[-1]
        return _inside(entry_dir(doc.corpus, entry), path)
    return SourceText("", path, None, "no longer available")
