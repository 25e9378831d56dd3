"""Reads of the review domain and its access rules: who may see a submission (reviewers only
what they are assigned; others get the same 404 as a missing id), what a viewer may see of it,
and how the candidate is named to them (blind review)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from ..candidates import time_adjustments
from ..core.errors import NotFound
from ..extensions import db
from ..models import (
    InterviewNote,
    Invitation,
    ReviewAssignment,
    ReviewComment,
    Scorecard,
    Submission,
    User,
)
from ..models.outcome import Decision


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
    return privileged(user) or is_assigned(user, submission)


def _assigned_to(user: User) -> ColumnElement[bool]:
    """SQL: the outer query's submission is assigned to this reviewer."""
    return exists().where(
        ReviewAssignment.submission_id == Submission.id, ReviewAssignment.reviewer_id == user.id
    )


def visible_to(user: User, submission_id: int, *load: ORMOption) -> Submission:
    """The submission if this user may see it. Others get the same 404 as a missing id. `load`:
    loader options for what the caller will read of it (a page's relations)."""
    if privileged(user):
        submission = db.session.get(Submission, submission_id, options=load)
    else:
        # Reviewers: the row and the assignment check in one query.
        submission = db.session.scalar(
            select(Submission).options(*load)
            .where(Submission.id == submission_id, _assigned_to(user))
        )
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    return submission


def list_for(user: User) -> list[Submission]:
    query = (
        select(Submission)
        .options(
            selectinload(Submission.invitation).options(
                selectinload(Invitation.assignment), selectinload(Invitation.role)),
            selectinload(Submission.grading_runs),
        )
        .order_by(Submission.submitted_at.desc())
    )
    if not privileged(user):
        query = query.join(ReviewAssignment).where(ReviewAssignment.reviewer_id == user.id)
    return list(db.session.scalars(query))


def reviewers_of(submission: Submission) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ReviewAssignment, ReviewAssignment.reviewer_id == User.id)
            .where(ReviewAssignment.submission_id == submission.id)
            .order_by(User.email)
        )
    )


def scored_by(submission: Submission) -> set[int]:
    """Ids of the reviewers whose scorecard on the submission is submitted (they stay on it)."""
    return set(db.session.scalars(select(Scorecard.reviewer_id).where(
        Scorecard.submission_id == submission.id, Scorecard.submitted_at.is_not(None))))


def identity_revealed(submission: Submission) -> bool:
    """Whether reviewers may see the candidate's name: once the decision has been sent."""

    return db.session.scalar(
        select(Decision.id).where(Decision.submission_id == submission.id,
                                  Decision.sent_at.is_not(None))
    ) is not None


def privileged(user: User) -> bool:
    """Recruiters and admins see every submission, with the candidate's name."""
    return user.has_role("admin", "recruiter")


def candidate_label(submission: Submission, viewer: User) -> str:
    """Blind review by default: reviewers see the anonymous code, not the name, until the
    decision has been sent."""
    invitation = submission.invitation
    if privileged(viewer) or identity_revealed(submission):
        return f"{invitation.candidate_name} ({invitation.candidate_code})"
    return invitation.candidate_code


def time_for(viewer: User, invitation: Invitation) -> time_adjustments.StandardTime:
    """The cap and times this viewer reads: the candidate's own for recruiters and admins (they
    are told that an accommodation applies), the standard ones for reviewers, who never learn of
    an accommodation, not even as a raised cap."""
    if privileged(viewer):
        return time_adjustments.own_time(invitation)
    return time_adjustments.standard_time_for(invitation)


def own_scorecard(submission: Submission, user: User) -> Scorecard | None:
    return db.session.scalar(
        select(Scorecard)
        .options(selectinload(Scorecard.scores))
        .where(Scorecard.submission_id == submission.id, Scorecard.reviewer_id == user.id)
    )


def sees_everything(user: User, submission: Submission) -> bool:
    """Admins and recruiters always; a reviewer once their own scorecard is submitted."""
    if privileged(user):
        return True
    card = own_scorecard(submission, user)
    return card is not None and card.submitted_at is not None


def visible_comments(submission: Submission, viewer: User) -> list[ReviewComment]:
    query = (
        select(ReviewComment)
        .options(selectinload(ReviewComment.author))
        .where(ReviewComment.submission_id == submission.id)
        .order_by(ReviewComment.path, ReviewComment.line_start, ReviewComment.id)
    )
    if not sees_everything(viewer, submission):
        query = query.where(ReviewComment.author_id == viewer.id)
    return list(db.session.scalars(query))


def comment_for(submission: Submission, viewer: User, comment_id: int) -> ReviewComment:
    """A comment this viewer may see; others' comments hidden by independence are a 404."""
    comment = db.session.get(ReviewComment, comment_id)
    if comment is None or comment.submission_id != submission.id:
        raise NotFound(f"no comment {comment_id}")
    if comment.author_id != viewer.id and not sees_everything(viewer, submission):
        raise NotFound(f"no comment {comment_id}")
    return comment


def rubric(submission: Submission) -> list[dict[str, Any]]:
    return list(submission.invitation.assignment.rubric or [])


def visible_scorecards(submission: Submission, viewer: User) -> list[Scorecard]:
    """The viewer's own card, plus others' submitted cards once the viewer may see them."""
    query = (
        select(Scorecard)
        .options(selectinload(Scorecard.scores), selectinload(Scorecard.reviewer))
        .where(Scorecard.submission_id == submission.id)
        .order_by(Scorecard.id)
    )
    cards = list(db.session.scalars(query))
    everything = sees_everything(viewer, submission)
    return [
        c
        for c in cards
        if c.reviewer_id == viewer.id or (everything and c.submitted_at is not None)
    ]


def visible_notes(submission: Submission, viewer: User) -> list[InterviewNote]:
    """Interview-kit notes: the viewer's own, plus everyone's once the viewer sees everything
    (a recruiter or admin, or a reviewer whose own scorecard is submitted)."""
    query = (
        select(InterviewNote)
        .options(selectinload(InterviewNote.author))
        .where(InterviewNote.submission_id == submission.id)
        .order_by(InterviewNote.section, InterviewNote.updated_at, InterviewNote.id)
    )
    if not sees_everything(viewer, submission):
        query = query.where(InterviewNote.author_id == viewer.id)
    return list(db.session.scalars(query))


def review_progress(submission_id: int) -> tuple[set[int], set[int]]:
    """(reviewers assigned, reviewers who submitted their scorecard): the review is complete
    once the first is non-empty and within the second."""
    assigned = set(db.session.scalars(
        select(ReviewAssignment.reviewer_id).where(ReviewAssignment.submission_id == submission_id)
    ))
    done = set(db.session.scalars(
        select(Scorecard.reviewer_id).where(
            Scorecard.submission_id == submission_id, Scorecard.submitted_at.is_not(None)
        )
    ))
    return assigned, done
