"""Voluntary self-identification: the questions (admins configure them), a candidate's answers
(optional, each can be "Prefer not to say", changeable until a decision is made) and their
deletion with the candidate's code. Answers are only ever read back to the candidate who gave
them and, counted by group, by the fairness report: never on a staff page about one candidate."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import delete, select

from ..core import audit
from ..core.errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Decision, Invitation, SelfIdentification, SelfIdQuestion, User, utcnow

PREFER_NOT = "Prefer not to say"
MAX_OPTIONS = 20
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def questions() -> list[SelfIdQuestion]:
    return list(db.session.scalars(select(SelfIdQuestion).order_by(SelfIdQuestion.id)))


def choices(question: SelfIdQuestion) -> list[str]:
    """The options a candidate picks from: the admin's, then always "Prefer not to say"."""
    return [*question.options, PREFER_NOT]


def add_question(key: str, prompt: str, options_text: str, *, actor: User) -> SelfIdQuestion:
    """`options_text`: one option a line. Keys are fixed once answers exist, so a question is
    added or removed, never renamed."""
    key, prompt = key.strip().lower(), prompt.strip()
    options = list(dict.fromkeys(line.strip() for line in options_text.splitlines()
                                 if line.strip()))
    if not _KEY.match(key):
        raise InvalidInput("the key is lower-case letters, digits and underscores, "
                           "starting with a letter")
    if not prompt or len(prompt) > 300:
        raise InvalidInput("the question is 1 to 300 characters")
    if not 2 <= len(options) <= MAX_OPTIONS or any(len(o) > 200 for o in options):
        raise InvalidInput(f"give 2 to {MAX_OPTIONS} options, one a line, each up to 200 "
                           "characters")
    if any(o.lower() == PREFER_NOT.lower() for o in options):
        raise InvalidInput(f'"{PREFER_NOT}" is always offered; leave it out of the options')
    if db.session.scalar(select(SelfIdQuestion.id).where(SelfIdQuestion.key == key)):
        raise Conflict(f"a question with the key {key} exists")
    question = SelfIdQuestion(key=key, prompt=prompt, options=options)
    db.session.add(question)
    db.session.flush()
    audit.record("self_id.question_added", actor=actor, subject=question, key=key)
    return question


def remove_question(question_id: int, *, actor: User) -> None:
    """The question and every answer to it go."""
    question = db.session.get(SelfIdQuestion, question_id)
    if question is None:
        raise NotFound("no such question")
    db.session.execute(delete(SelfIdentification)
                       .where(SelfIdentification.question_key == question.key))
    audit.record("self_id.question_removed", actor=actor, subject=question, key=question.key)
    db.session.delete(question)


def answers_for(invitation: Invitation) -> dict[str, str]:
    """The candidate's own answers, for their page only."""
    rows = db.session.execute(
        select(SelfIdentification.question_key, SelfIdentification.answer)
        .where(SelfIdentification.invitation_id == invitation.id)).all()
    return {key: answer for key, answer in rows}


def may_change(invitation: Invitation) -> bool:
    """Open until the candidate's decision is made (or their code is deleted)."""
    if invitation.code_deleted_at is not None or invitation.revoked_at is not None:
        return False
    submission = invitation.submission
    return submission is None or db.session.scalar(
        select(Decision.id).where(Decision.submission_id == submission.id)) is None


def save(invitation: Invitation, given: Mapping[str, str]) -> None:
    """Store the answers given; a question left blank removes an earlier answer to it."""
    if not may_change(invitation):
        raise Conflict("your answers can no longer be changed: a decision has been made")
    current = {row.question_key: row for row in db.session.scalars(
        select(SelfIdentification).where(SelfIdentification.invitation_id == invitation.id))}
    for question in questions():
        answer = (given.get(question.key) or "").strip()
        row = current.get(question.key)
        if not answer:
            if row is not None:
                db.session.delete(row)
            continue
        if answer not in choices(question):
            raise InvalidInput("choose one of the options offered")
        if row is None:
            db.session.add(SelfIdentification(invitation_id=invitation.id,
                                              question_key=question.key, answer=answer))
        else:
            row.answer, row.updated_at = answer, utcnow()
    # The audit says that the form was saved, never what it said.
    audit.record("self_id.saved", actor_kind="candidate", subject=invitation)


def erase(invitation: Invitation) -> None:
    """Gone with the candidate's code (candidates/rights.py)."""
    db.session.execute(delete(SelfIdentification)
                       .where(SelfIdentification.invitation_id == invitation.id))
