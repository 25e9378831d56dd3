"""The follow-up interview kit: the review's questions carried into the interview.

Built from the follow-up question comments the viewer may see (in file order, each with a few
lines of the candidate's code), the criteria where reviewers disagreed or lacked evidence, the
role's mission and stages, and closing sections. Interview notes are stored per section and
per author: each interviewer writes and edits only their own, and reads the others' only under
the rule of independent scoring (`queries.visible_notes`): a reviewer once their own scorecard is
submitted, recruiters and admins always, each note with its author.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..core import audit, locking
from ..core.errors import InvalidInput
from ..extensions import db
from ..models import InterviewNote, ResultNote, ReviewComment, Submission, User
from ..models.types import utcnow
from . import calibration, walkthrough
from . import code as code_browser
from . import queries as review_queries

CLOSING = {
    "fit": "Summary of the fit, agreed with the candidate on the spot",
    "candidate": "The candidate's own questions and requirements",
}
MAX_NOTE = 20_000


@dataclass
class Question:
    comment: ReviewComment
    context: list[tuple[int, str]]
    note: InterviewNote | None  # the viewer's own
    others: list[InterviewNote] = field(default_factory=list)  # others' the viewer may read

    @property
    def section(self) -> str:
        return f"comment-{self.comment.id}"


@dataclass
class Closing:
    section: str
    title: str
    note: InterviewNote | None  # the viewer's own
    others: list[InterviewNote] = field(default_factory=list)


@dataclass
class Kit:
    submission: Submission
    candidate: str
    questions: list[Question]
    criteria: list[calibration.CriterionRow]
    mission: str
    stages: list[str]
    viewer_id: int | None = None
    closing: list[Closing] = field(default_factory=list)
    # The candidate's own notes on failing tests and criteria: worth asking about.
    candidate_notes: list[ResultNote] = field(default_factory=list)
    walkthrough: walkthrough.Plan = field(default_factory=walkthrough.Plan)


def _notes(
    submission: Submission, viewer: User
) -> tuple[dict[str, InterviewNote], dict[str, list[InterviewNote]]]:
    """The viewer's own note per section, and the other notes per section they may read."""
    own: dict[str, InterviewNote] = {}
    others: dict[str, list[InterviewNote]] = {}
    for note in review_queries.visible_notes(submission, viewer):
        if note.author_id == viewer.id:
            own[note.section] = note
        else:
            others.setdefault(note.section, []).append(note)
    return own, others


def build(submission: Submission, viewer: User) -> Kit:
    notes, others = _notes(submission, viewer)
    comments = review_queries.visible_comments(submission, viewer)
    questions = [
        Question(
            comment=c,
            context=code_browser.context(
                submission, c.path, c.commit_sha, c.line_start, c.line_end
            ),
            note=notes.get(f"comment-{c.id}"),
            others=others.get(f"comment-{c.id}", []),
        )
        for c in comments
        if c.kind == "question" and c.parent_id is None
    ]
    questions.sort(key=lambda q: (q.comment.path, q.comment.line_start, q.comment.id))
    cards = [c for c in review_queries.visible_scorecards(submission, viewer) if c.submitted_at]
    rows = calibration.aggregate_cards(
        [c["name"] for c in review_queries.rubric(submission)], cards
    )
    flagged = [r for r in rows if r.disagreement != "none" or r.missing_evidence] if cards else []
    role = submission.invitation.role
    return Kit(
        submission=submission,
        candidate=review_queries.candidate_label(submission, viewer),
        questions=questions,
        criteria=flagged,
        mission=role.mission,
        stages=list(role.stages or []),
        viewer_id=viewer.id,
        closing=[
            Closing(key, title, notes.get(key), others.get(key, []))
            for key, title in CLOSING.items()
        ],
        candidate_notes=list(db.session.scalars(
            select(ResultNote).where(ResultNote.submission_id == submission.id)
            .order_by(ResultNote.id))),
        walkthrough=walkthrough.build(submission, comments),
    )


def save_note(
    submission: Submission, author: User, section: str, *, answer: str = "", notes: str = ""
) -> InterviewNote:
    if section not in CLOSING:
        prefix, _, raw_id = section.partition("-")
        if prefix != "comment" or not raw_id.isdigit():
            raise InvalidInput("unknown section of the interview kit")
        comment = review_queries.comment_for(submission, author, int(raw_id))
        if comment.kind != "question" or comment.parent_id is not None:
            raise InvalidInput("notes go with follow-up questions")
    # Only the author's own note: another interviewer's note for this section is never touched.
    own = select(InterviewNote).where(
        InterviewNote.submission_id == submission.id,
        InterviewNote.section == section,
        InterviewNote.author_id == author.id,
    )
    # A double-sent save waits here for the first one, then updates the row it created.
    locking.lock_row(submission)
    note = db.session.scalar(own)
    if note is None:
        note = InterviewNote(submission_id=submission.id, section=section, author_id=author.id)
        db.session.add(note)
    note.answer = str(answer or "")[:MAX_NOTE]
    note.notes = str(notes or "")[:MAX_NOTE]
    note.updated_at = utcnow()
    db.session.flush()
    audit.record("review.interview_note_saved", actor=author, subject=submission, section=section)
    return note


def _note_json(note: InterviewNote, viewer_id: int | None) -> dict[str, Any]:
    return {
        "author": note.author.display_name,
        "author_id": note.author_id,
        "own": note.author_id == viewer_id,
        "answer": note.answer,
        "notes": note.notes,
        "updated_at": note.updated_at.isoformat(),
    }


def _by_author(
    note: InterviewNote | None, others: list[InterviewNote], viewer_id: int | None
) -> list[dict[str, Any]]:
    """Every note of a section the viewer may read, their own first, each with its author."""
    return [_note_json(n, viewer_id) for n in ([note] if note else []) + others]


def serialise(kit: Kit) -> dict[str, Any]:
    """The kit as JSON; `answer`/`notes` are the viewer's own, `by_author` every readable note."""
    viewer_id = kit.viewer_id
    return {
        "submission_id": kit.submission.id,
        "candidate": kit.candidate,
        "questions": [
            {
                "comment_id": q.comment.id,
                "path": q.comment.path,
                "line_start": q.comment.line_start,
                "line_end": q.comment.line_end,
                "commit_sha": q.comment.commit_sha,
                "body": q.comment.body,
                "author": q.comment.author.display_name,
                "context": [{"line": n, "text": t} for n, t in q.context],
                "answer": q.note.answer if q.note else "",
                "notes": q.note.notes if q.note else "",
                "by_author": _by_author(q.note, q.others, viewer_id),
            }
            for q in kit.questions
        ],
        "criteria": [
            {
                "criterion": r.criterion,
                "levels": r.levels,
                "disagreement": r.disagreement,
                "missing_evidence": r.missing_evidence,
            }
            for r in kit.criteria
        ],
        "role": {"mission": kit.mission, "stages": kit.stages},
        "closing": [
            {
                "section": c.section,
                "title": c.title,
                "answer": c.note.answer if c.note else "",
                "notes": c.note.notes if c.note else "",
                "by_author": _by_author(c.note, c.others, viewer_id),
            }
            for c in kit.closing
        ],
        "walkthrough": walkthrough.serialise(kit.walkthrough),
        "candidate_notes": [
            {"about": n.target_kind, "target": n.target, "body": n.body,
             "created_at": n.created_at.isoformat()}
            for n in kit.candidate_notes
        ],
    }
