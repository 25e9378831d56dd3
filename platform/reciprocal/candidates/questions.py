"""Clarifying questions during the take-home, their answers, and the assignment's FAQ.

Staff are notified in the questions inbox (and the count on the pipeline) and by email, in the
invitation's digest (notify/digest.py: at most one message per window); an answer is mailed to
the asker; one marked "for everyone" joins the FAQ shown, without the asker, to every candidate
of the assignment. Response time is tracked like the review promise. An invitation asks at most
MAX_QUESTIONS questions: past that the candidate is told so, and nothing else changes for them
(their submission never depends on it).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from statistics import median
from typing import cast

from sqlalchemy import Row, Select, Table, bindparam, exists, func, select
from sqlalchemy.orm import selectinload

from ..core import audit
from ..core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..core.locking import lock_row
from ..extensions import db
from ..models import (
    Answer,
    Invitation,
    Question,
    ReviewAssignment,
    Submission,
    User,
    utcnow,
)
from ..notify import digest, mail
from ..review.queries import privileged
from . import links

MAX_LENGTH = 4000
MAX_QUESTIONS = 20  # per invitation
ANSWER_PROMISE = timedelta(hours=24)


def ask(invitation: Invitation, body: str) -> Question:
    body = (body or "").strip()
    if not body:
        raise InvalidInput("please write your question")
    if len(body) > MAX_LENGTH:
        raise InvalidInput(f"please keep your question under {MAX_LENGTH} characters")
    lock_row(invitation)  # racing questions count one after the other
    if invitation.code_deleted_at is not None or invitation.revoked_at is not None:
        raise Conflict("questions are closed for this invitation")
    links.require_undecided(invitation, "question")
    if asked_count(invitation) >= MAX_QUESTIONS:
        raise Conflict(
            f"you can ask at most {MAX_QUESTIONS} questions, and you have asked them all: the "
            "team answers every one. If something is still unclear, write down what you "
            "assumed (in your README, say) and carry on; your submission is not affected")
    question = Question(
        invitation_id=invitation.id, assignment_id=invitation.assignment_id, body=body
    )
    db.session.add(question)
    db.session.flush()
    audit.record("candidate.asked", actor_kind="candidate", subject=question)
    # Staff hear of it in the invitation's digest (at once when none went out lately).
    digest.notice(invitation, "question", question=question.body)
    return question


def asked_count(invitation: Invitation) -> int:
    return int(db.session.scalar(select(func.count(Question.id)).where(
        Question.invitation_id == invitation.id)) or 0)


def answer(question: Question, body: str, *, for_everyone: bool, actor: User) -> Answer:
    """Answered by someone who may see the question; only recruiters and admins publish an
    answer to the assignment's FAQ."""
    if not _may_see(actor, question):
        raise NotFound(f"no question {question.id}")
    if for_everyone and not privileged(actor):
        raise Forbidden("only recruiters and admins add answers to the FAQ")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("the answer cannot be empty")
    if question.answer is not None:
        raise Conflict("this question was already answered")
    reply = Answer(
        question=question, body=body, for_everyone=for_everyone, answered_by_id=actor.id
    )
    db.session.add(reply)
    db.session.flush()
    invitation = db.session.get(Invitation, question.invitation_id)
    assert invitation is not None
    mail.send("answer", invitation.candidate_email, invitation_id=invitation.id,
              assignment_title=invitation.assignment.title,
              candidate_name=invitation.candidate_name, question=question.body, answer=body,
              team=invitation.role.team)
    audit.record("question.answered", actor=actor, subject=question, for_everyone=for_everyone)
    return reply


def _visible(viewer: User) -> Select[tuple[Question]]:
    """Recruiters and admins see every question; a reviewer only those of the invitations
    whose submission they are assigned to (questions belong to an invitation)."""
    query = select(Question)
    if not privileged(viewer):
        query = query.where(
            exists().where(
                Submission.invitation_id == Question.invitation_id,
                ReviewAssignment.submission_id == Submission.id,
                ReviewAssignment.reviewer_id == viewer.id,
            )
        )
    return query


def _may_see(viewer: User, question: Question) -> bool:
    found = db.session.scalar(_visible(viewer).where(Question.id == question.id))
    return found is not None


def get(question_id: int, viewer: User) -> Question:
    """A question this viewer may see; others get the same 404 as a missing id."""
    question = db.session.scalar(_visible(viewer).where(Question.id == question_id))
    if question is None:
        raise NotFound(f"no question {question_id}")
    return question


def inbox(viewer: User) -> list[Question]:
    """Open questions first (oldest first), then the recently answered ones."""
    rows = list(
        db.session.scalars(
            _visible(viewer)
            .options(selectinload(Question.answer))
            .order_by(Question.asked_at.desc())
            .limit(300)
        )
    )
    open_ = sorted((q for q in rows if q.answer is None), key=lambda q: q.asked_at)
    return open_ + [q for q in rows if q.answer is not None]


def open_count(viewer: User) -> int:
    return len([q for q in inbox(viewer) if q.answer is None])


def overdue(question: Question) -> bool:
    answered = question.answer.answered_at if question.answer else utcnow()
    return answered - question.asked_at > ANSWER_PROMISE


def faq(assignment_id: int) -> list[tuple[str, str]]:
    """(question, answer) pairs for everyone: no names, no invitation ids."""
    rows = db.session.connection().execute(_faq_statement(), {"assignment_id": assignment_id})
    return [(q, a) for q, a in rows]


def mine(invitation: Invitation) -> list[Row[tuple[str, str | None]]]:
    """The candidate's own questions, oldest first, as rows of `body` and `answer` (the
    answer's text, or None while there is none)."""
    return list(
        db.session.connection().execute(_mine_statement(), {"invitation_id": invitation.id})
    )


# The candidate page reads these two on every view: Core statements over the tables, built once
# per process (statements are immutable; the ids come as bound parameters), run on the
# session's connection without the ORM's per-statement work.


@cache
def _faq_statement() -> Select[tuple[str, str]]:
    questions, answers = cast(Table, Question.__table__), cast(Table, Answer.__table__)
    return (
        select(questions.c.body, answers.c.body)
        .join(answers, answers.c.question_id == questions.c.id)
        .where(
            questions.c.assignment_id == bindparam("assignment_id"),
            answers.c.for_everyone.is_(True),
        )
        .order_by(answers.c.answered_at)
    )


@cache
def _mine_statement() -> Select[tuple[str, str | None]]:
    questions, answers = cast(Table, Question.__table__), cast(Table, Answer.__table__)
    return (
        select(questions.c.body, answers.c.body.label("answer"))
        .outerjoin(answers, answers.c.question_id == questions.c.id)
        .where(questions.c.invitation_id == bindparam("invitation_id"))
        .order_by(questions.c.asked_at, questions.c.id)
    )


def median_response_hours() -> float | None:
    rows = db.session.execute(
        select(Question.asked_at, Answer.answered_at).join(
            Answer, Answer.question_id == Question.id
        )
    ).all()
    if not rows:
        return None
    return median((answered - asked).total_seconds() / 3600 for asked, answered in rows)
