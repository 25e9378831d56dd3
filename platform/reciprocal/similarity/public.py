"""Marking a submission as known to be public (its code was found on GitHub, in a gist, a
forum): its indexed document becomes a known solution, so every later submission of the
assignment is compared with all of it before the common-code rule and a match reads "matches a
known solution". Reviewers, recruiters and admins may mark and unmark; both are audited.

The document keeps its submission (its code is still read from the candidate's repository, and
forgotten with it when the code is deleted) and its share of the boilerplate counts: only its
kind changes, so no fingerprint is copied. Submissions compared before the mark keep their
matches as they were (a check is not re-run)."""

from __future__ import annotations

from ..core import audit
from ..core.errors import Conflict, InvalidInput
from ..models import SimilarityDocument, Submission, User
from . import index

PUBLIC = "public"
MAX_NOTE = 500


def document(submission: Submission) -> SimilarityDocument | None:
    return index.document_for_submission(submission.id)


def is_public(submission: Submission) -> bool:
    found = document(submission)
    return found is not None and found.kind == PUBLIC


def mark(submission: Submission, note: str, *, actor: User) -> SimilarityDocument:
    """Make the submission's indexed code a known solution; `note` says where it was found."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("please say where the code was found (a link or a few words)")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"please keep the note under {MAX_NOTE} characters")
    found = document(submission)
    if found is None:
        raise Conflict("the similarity check has not indexed this submission yet")
    if found.kind == PUBLIC:
        raise Conflict("this submission is already marked as known to be public")
    found.kind = PUBLIC
    audit.record("similarity.marked_public", actor=actor, subject=submission,
                 submission_id=submission.id, note=note)
    return found


def unmark(submission: Submission, *, actor: User) -> SimilarityDocument:
    """Undo a mark: the code is compared as an ordinary submission again from now on."""
    found = document(submission)
    if found is None or found.kind != PUBLIC:
        raise Conflict("this submission is not marked as known to be public")
    found.kind = "submission"
    audit.record("similarity.unmarked_public", actor=actor, subject=submission,
                 submission_id=submission.id)
    return found
