"""A candidate's notes on their result: "this test expects X, the README says Y".

Open once the tests have run and until the team decides. A note is about one failing test (when
the assignment shows candidates their results) or one rubric criterion; reviewers read it beside
the result and in the interview kit, where it becomes a question worth asking.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from ..core import audit
from ..core.errors import Conflict, InvalidInput
from ..core.locking import lock_row
from ..extensions import db
from ..models import Decision, Invitation, ResultNote, Submission
from ..review.queries import rubric

MAX_LENGTH = 2000
MAX_NOTES = 20
KINDS = ("test", "criterion")


def failing_tests(submission: Submission) -> list[str]:
    """The tests of the latest finished run that did not pass, as a candidate may name them:
    each one's top-level id from the hidden tests (never text the run produced), once each;
    none while running, and none from an altered report, whose outcomes are not a result."""
    run = submission.latest_run
    if run is None or not run.scored:
        return []
    ids = (t.candidate_id for t in run.tests if t.outcome not in ("passed", "skipped"))
    return list(dict.fromkeys(i for i in ids if i))


def criteria(submission: Submission) -> list[str]:
    return [str(c["name"]) for c in rubric(submission)]


def targets(invitation: Invitation) -> dict[str, list[str]]:
    """What this candidate may write a note about now: {"test": [...], "criterion": [...]}."""
    submission = invitation.submission
    if submission is None or not _open(submission):
        return {"test": [], "criterion": []}
    visible = invitation.assignment.results_visible_to_candidate
    return {"test": failing_tests(submission) if visible else [],
            "criterion": criteria(submission)}


def _open(submission: Submission) -> bool:
    run = submission.latest_run
    decided = db.session.scalar(select(exists().where(Decision.submission_id == submission.id)))
    return run is not None and run.finished and not decided


def add(invitation: Invitation, kind: str, target: str, body: str) -> ResultNote:
    submission = invitation.submission
    if submission is None:
        raise Conflict("submit first: notes are about the results of your submission")
    lock_row(invitation)
    if not _open(submission):
        raise Conflict("notes open once the tests have run and close when the team decides")
    if kind not in KINDS:
        raise InvalidInput("a note is about a test or a rubric criterion")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("please write your note")
    if len(body) > MAX_LENGTH:
        raise InvalidInput(f"please keep your note under {MAX_LENGTH} characters")
    allowed = targets(invitation)[kind]
    if target not in allowed:
        what = "failing test" if kind == "test" else "rubric criterion"
        raise InvalidInput(f"{target!r} is not a {what} you can write about")
    if len(for_submission(submission)) >= MAX_NOTES:
        raise Conflict(f"you can add at most {MAX_NOTES} notes")
    note = ResultNote(submission_id=submission.id, target_kind=kind, target=target, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record("candidate.result_note", actor_kind="candidate", subject=invitation, kind=kind)
    return note


def for_submission(submission: Submission) -> list[ResultNote]:
    return list(db.session.scalars(
        select(ResultNote).where(ResultNote.submission_id == submission.id)
        .order_by(ResultNote.id)
    ))


def by_target(submission: Submission) -> dict[tuple[str, str], list[ResultNote]]:
    notes: dict[tuple[str, str], list[ResultNote]] = {}
    for note in for_submission(submission):
        notes.setdefault((note.target_kind, note.target), []).append(note)
    return notes
