"""The follow-up interview kit: the review's questions carried into the interview.

Built from the follow-up question comments the viewer may see (in file order, each with a few
lines of the candidate's code), the criteria where reviewers disagreed or lacked evidence, the
role's mission and stages, and closing sections. Interview notes are stored per section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..core import audit
from ..core.errors import InvalidInput
from ..extensions import db
from ..models import InterviewNote, ReviewComment, Submission, User
from ..models.types import utcnow
from . import calibration
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
    note: InterviewNote | None

    @property
    def section(self) -> str:
        return f"comment-{self.comment.id}"


@dataclass
class Kit:
    submission: Submission
    candidate: str
    questions: list[Question]
    criteria: list[calibration.CriterionRow]
    mission: str
    stages: list[str]
    closing: list[tuple[str, str, InterviewNote | None]] = field(default_factory=list)


def _notes(submission: Submission) -> dict[str, InterviewNote]:
    return {
        n.section: n
        for n in db.session.scalars(
            select(InterviewNote).where(InterviewNote.submission_id == submission.id)
        )
    }


def build(submission: Submission, viewer: User) -> Kit:
    notes = _notes(submission)
    questions = [
        Question(
            comment=c,
            context=code_browser.context(
                submission, c.path, c.commit_sha, c.line_start, c.line_end
            ),
            note=notes.get(f"comment-{c.id}"),
        )
        for c in review_queries.visible_comments(submission, viewer)
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
        closing=[(key, title, notes.get(key)) for key, title in CLOSING.items()],
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
    note = db.session.scalar(
        select(InterviewNote).where(
            InterviewNote.submission_id == submission.id, InterviewNote.section == section
        )
    )
    if note is None:
        note = InterviewNote(submission_id=submission.id, section=section, author_id=author.id)
        db.session.add(note)
    note.author_id = author.id
    note.answer = str(answer or "")[:MAX_NOTE]
    note.notes = str(notes or "")[:MAX_NOTE]
    note.updated_at = utcnow()
    db.session.flush()
    audit.record("review.interview_note_saved", actor=author, subject=submission, section=section)
    return note


def serialise(kit: Kit) -> dict[str, Any]:
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
                "section": key,
                "title": title,
                "answer": note.answer if note else "",
                "notes": note.notes if note else "",
            }
            for key, title, note in kit.closing
        ],
    }
