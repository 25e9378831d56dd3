"""Where the text of an indexed document is read from: a submission's files from its
repository's object database (never checked out), a reference or wrong solution from its
assignment version's snapshot, a corpus entry from its copy under the data directory."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..assignments.operations import version_dir
from ..extensions import db
from ..git.browse import NotInRepository
from ..git.sources import text_files
from ..git.storage import repositories
from ..models import AssignmentVersion, SimilarityDocument, Submission
from .fingerprints import MAX_FILE_BYTES, MAX_FILES


def folder_files(root: Path) -> list[tuple[str, str]]:
    """(relative path, text) of a folder's regular UTF-8 files, as the index reads them."""
    found: list[tuple[str, str]] = []
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        if len(found) >= MAX_FILES:
            break
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue
        try:
            found.append((path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue
    return found


def corpora_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "similarity-corpora"


def entry_dir(name: str, entry: str) -> Path:
    return corpora_root() / name / entry


def submission_files(submission: Submission) -> list[tuple[str, str]]:
    """A submission's files at its commit; none once the candidate's code is deleted."""
    invitation = submission.invitation
    if invitation.code_deleted_at is not None:
        return []
    try:
        return text_files(repositories().path_for(invitation.id), submission.commit_sha,
                          max_bytes=MAX_FILE_BYTES, max_files=MAX_FILES)
    except NotInRepository:
        return []


def document_files(doc: SimilarityDocument) -> list[tuple[str, str]]:
    """The files of an indexed document, or none when they are no longer available."""
    if doc.submission_id is not None:
        submission = db.session.get(Submission, doc.submission_id)
        return submission_files(submission) if submission is not None else []
    if doc.kind == "solution" and doc.assignment_version_id is not None:
        version = db.session.get(AssignmentVersion, doc.assignment_version_id)
        if version is None:
            return []
        folder = "wrong" if doc.label.startswith("wrong") else "solution"
        return folder_files(version_dir(version) / folder)
    if doc.kind == "corpus" and doc.corpus:
        return folder_files(entry_dir(doc.corpus, doc.label.split("/", 1)[-1]))
    return []
