"""Two-way feedback: how the process went, from the candidate and from the interviewer.

Candidate feedback is optional and anonymous to reviewers: staff pages show it aggregated per
assignment, never beside a name or a candidate code.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..core import audit
from ..core.errors import Conflict, InvalidInput
from ..extensions import db
from ..models import (
    CandidateFeedback,
    Decision,
    InterviewerFeedback,
    InterviewNote,
    Invitation,
    Submission,
    User,
)
from . import operations as outcomes

STAGES = ("decision", "interview")


def _rating(data: dict[str, Any], name: str) -> int:
    try:
        value = int(data.get(name, ""))
    except (TypeError, ValueError):
        raise InvalidInput(f"{name.replace('_', ' ')} must be a rating from 1 to 5") from None
    if not 1 <= value <= 5:
        raise InvalidInput(f"{name.replace('_', ' ')} must be a rating from 1 to 5")
    return value


def candidate_can_give(invitation: Invitation) -> list[str]:
    """The prompts open to this candidate: after a decision, and after the interview."""
    return open_prompts(invitation, outcomes.sent_decision(invitation))


def open_prompts(invitation: Invitation, sent_decision: Decision | None) -> list[str]:
    """candidate_can_give, for a caller that already has the decision sent to the candidate
    (outcomes.sent_decision). Before a submission there is nothing to ask, and no query."""
    stages = []
    if sent_decision is not None:
        stages.append("decision")
    if invitation.submission is not None and _had_interview(invitation.submission):
        stages.append("interview")
    if not stages:
        return []
    given = set(
        db.session.scalars(
            select(CandidateFeedback.stage).where(
                CandidateFeedback.invitation_id == invitation.id
            )
        )
    )
    return [s for s in stages if s not in given]


def _had_interview(submission: Submission) -> bool:

    return (
        db.session.scalar(
            select(InterviewNote.id).where(InterviewNote.submission_id == submission.id).limit(1)
        )
        is not None
    )


def give_candidate(invitation: Invitation, stage: str, data: dict[str, Any]) -> CandidateFeedback:
    if stage not in candidate_can_give(invitation):
        raise Conflict("this feedback was already given, or is not open yet")
    row = CandidateFeedback(
        invitation_id=invitation.id,
        assignment_id=invitation.assignment_id,
        stage=stage,
        clarity=_rating(data, "clarity"),
        fairness=_rating(data, "fairness"),
        time_vs_cap=_rating(data, "time_vs_cap"),
        text=str(data.get("text", "") or "").strip()[:4000],
    )
    db.session.add(row)
    db.session.flush()
    audit.record("candidate.feedback", actor_kind="candidate", subject=invitation, stage=stage)
    return row


def give_interviewer(submission: Submission, data: dict[str, Any], *, actor: User) -> None:
    existing = db.session.scalar(
        select(InterviewerFeedback).where(
            InterviewerFeedback.submission_id == submission.id,
            InterviewerFeedback.author_id == actor.id,
        )
    )
    if existing is not None:
        raise Conflict("you already gave feedback on this interview")
    db.session.add(
        InterviewerFeedback(
            submission_id=submission.id,
            author_id=actor.id,
            clarity=_rating(data, "clarity"),
            fairness=_rating(data, "fairness"),
            time_vs_cap=_rating(data, "time_vs_cap"),
            text=str(data.get("text", "") or "").strip()[:4000],
        )
    )
    db.session.flush()
    audit.record("interviewer.feedback", actor=actor, subject=submission)


def candidate_comments(limit: int = 50) -> list[CandidateFeedback]:
    """Free-text comments for the process-health page, without who wrote them."""
    return list(
        db.session.scalars(
            select(CandidateFeedback)
            .where(CandidateFeedback.text != "")
            .order_by(CandidateFeedback.created_at.desc())
            .limit(limit)
        )
    )
