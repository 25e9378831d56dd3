"""Submissions as staff see them: access rules (reviewers see only what they are assigned),
assignment of reviewers, and the JSON shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Invitation, ReviewAssignment, Submission, User
from . import audit, grading, invitations
from .errors import Conflict, InvalidInput, NotFound


def is_assigned(user: User, submission: Submission) -> bool:
    return (
        db.session.scalar(
            select(ReviewAssignment.id).where(
                ReviewAssignment.submission_id == submission.id,
                ReviewAssignment.reviewer_id == user.id,
            )
        )
        is not None
    )


def can_view(user: User, submission: Submission) -> bool:
    return user.has_role("admin", "recruiter") or is_assigned(user, submission)


def visible_to(user: User, submission_id: int) -> Submission:
    """The submission if this user may see it. Others get the same 404 as a missing id."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view(user, submission):
        raise NotFound(f"no submission {submission_id}")
    return submission


def list_for(user: User) -> list[Submission]:
    query = (
        select(Submission)
        .options(
            selectinload(Submission.invitation).selectinload(Invitation.assignment),
            selectinload(Submission.grading_runs),
        )
        .order_by(Submission.submitted_at.desc())
    )
    if not user.has_role("admin", "recruiter"):
        query = query.join(ReviewAssignment).where(ReviewAssignment.reviewer_id == user.id)
    return list(db.session.scalars(query))


def assign_reviewer(submission: Submission, reviewer: User, *, actor: User) -> ReviewAssignment:
    if not reviewer.has_role("reviewer", "admin") or not reviewer.active:
        raise InvalidInput(f"{reviewer.email} is not an active reviewer")
    if actor.role == "reviewer" and actor.id != reviewer.id:
        raise Conflict("reviewers can only assign themselves")
    existing = db.session.scalar(
        select(ReviewAssignment).where(
            ReviewAssignment.submission_id == submission.id,
            ReviewAssignment.reviewer_id == reviewer.id,
        )
    )
    if existing is not None:
        return existing
    assignment = ReviewAssignment(
        submission_id=submission.id, reviewer_id=reviewer.id, assigned_by_id=actor.id
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record("review.assigned", actor=actor, subject=submission, reviewer_id=reviewer.id)
    return assignment


def reviewers_of(submission: Submission) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ReviewAssignment, ReviewAssignment.reviewer_id == User.id)
            .where(ReviewAssignment.submission_id == submission.id)
            .order_by(User.email)
        )
    )


def candidate_label(submission: Submission, viewer: User) -> str:
    """Blind review by default: reviewers see the anonymous code, not the name, until the
    decision has been sent."""
    from .review import identity_revealed

    invitation = submission.invitation
    if viewer.has_role("admin", "recruiter") or identity_revealed(submission):
        return f"{invitation.candidate_name} ({invitation.candidate_code})"
    return invitation.candidate_code


def serialise(submission: Submission, *, viewer: User) -> dict[str, Any]:
    invitation = submission.invitation
    candidate: dict[str, Any] = {"code": invitation.candidate_code}
    if viewer.has_role("admin", "recruiter"):
        candidate.update(name=invitation.candidate_name, email=invitation.candidate_email)
    run = submission.latest_run
    return {
        "id": submission.id,
        "invitation_id": invitation.id,
        "candidate": candidate,
        "assignment": invitation.assignment.slug,
        "role": {"id": invitation.role_id, "title": invitation.role.title},
        "commit_sha": submission.commit_sha,
        "submitted_at": submission.submitted_at.isoformat(),
        "time_used_seconds": submission.time_used_seconds,
        "time_cap_minutes": invitation.time_cap_minutes,
        "late": submission.late,
        "code_deleted": invitation.code_deleted_at is not None,
        "answer_by": invitations.expected_answer_by(submission).isoformat(),
        "grading": grading.serialise_run(run),
        "runs": len(submission.grading_runs),
    }


def get_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    return submission
