"""Submissions as staff see them: access rules (reviewers see only what they are assigned),
assignment of reviewers, and the JSON shape."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, exists, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Assignment,
    GradingRun,
    Invitation,
    ReviewAssignment,
    Role,
    Submission,
    TestResult,
    User,
)
from . import audit, grading
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


def _assigned_to(user: User) -> ColumnElement[bool]:
    """SQL: the outer query's submission is assigned to this reviewer."""
    return exists().where(
        ReviewAssignment.submission_id == Submission.id, ReviewAssignment.reviewer_id == user.id
    )


def visible_to(user: User, submission_id: int) -> Submission:
    """The submission if this user may see it. Others get the same 404 as a missing id."""
    if user.has_role("admin", "recruiter"):
        submission = db.session.get(Submission, submission_id)
    else:
        # Reviewers: the row and the assignment check in one query.
        submission = db.session.scalar(
            select(Submission).where(Submission.id == submission_id, _assigned_to(user))
        )
    if submission is None:
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


# The latest run's columns that grading.serialise_run reads, under their own names.
_RUN_FIELDS = (
    "id", "status", "reason", "passed", "failed", "errors", "skipped", "queued_at", "started_at",
    "finished_at", "duration_seconds", "attempts", "image", "image_digest", "limits",
    "tamper_flags", "output", "output_truncated",
)


@cache
def _api_statement(reviewer_only: bool) -> Select[Any]:
    """The submission with its invitation, role, assignment, run count and latest run, as one
    row of plain columns.

    Core over the tables (no ORM entities, no ORM compile step), built once per process:
    statements are immutable and building this one costs more than running it; the ids come as
    bound parameters."""
    sub = cast(Table, Submission.__table__)
    inv = cast(Table, Invitation.__table__)
    role = cast(Table, Role.__table__)
    assignment = cast(Table, Assignment.__table__)
    runs = cast(Table, GradingRun.__table__)
    review = cast(Table, ReviewAssignment.__table__)
    other_run = runs.alias("other_run")
    latest_run_id = (
        select(func.max(other_run.c.id))
        .where(other_run.c.submission_id == sub.c.id)
        .correlate(sub)
        .scalar_subquery()
    )
    run_count = (
        select(func.count(other_run.c.id))
        .where(other_run.c.submission_id == sub.c.id)
        .correlate(sub)
        .scalar_subquery()
    )
    # The latest run's columns keep their own names (id, status, ...), so the row is read by
    # grading.serialise_run like a GradingRun; the submission's id is the one renamed. With no
    # run yet (the outer join finds none), the row's `id` is None.
    query = (
        select(
            sub.c.id.label("submission_id"),
            sub.c.invitation_id,
            sub.c.commit_sha,
            sub.c.submitted_at,
            sub.c.time_used_seconds,
            sub.c.late,
            inv.c.candidate_code,
            inv.c.candidate_name,
            inv.c.candidate_email,
            inv.c.role_id,
            inv.c.time_cap_minutes,
            inv.c.code_deleted_at,
            assignment.c.slug.label("assignment_slug"),
            role.c.title.label("role_title"),
            role.c.response_days,
            run_count.label("run_count"),
            *(runs.c[name] for name in _RUN_FIELDS),
        )
        .select_from(
            sub.join(inv, inv.c.id == sub.c.invitation_id)
            .join(assignment, assignment.c.id == inv.c.assignment_id)
            .join(role, role.c.id == inv.c.role_id)
            .outerjoin(runs, runs.c.id == latest_run_id)
        )
        .where(sub.c.id == bindparam("submission_id"))
    )
    if reviewer_only:
        query = query.where(
            exists().where(
                review.c.submission_id == sub.c.id,
                review.c.reviewer_id == bindparam("reviewer_id"),
            )
        )
    return query


@cache
def _tests_statement() -> Select[Any]:
    """A run's per-test results as plain rows, in the order they were recorded."""
    tests = cast(Table, TestResult.__table__)
    return (
        select(
            tests.c.name, tests.c.classname, tests.c.outcome, tests.c.duration, tests.c.message
        )
        .where(tests.c.run_id == bindparam("run_id"))
        .order_by(tests.c.id)
    )


def answer_by(submitted_at: datetime, response_days: int) -> datetime:
    """The promised answer date: the role's response days after submission, in business days
    (the rule of invitations.expected_answer_by, on plain values)."""
    day = submitted_at
    remaining = response_days
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def serialise_for(viewer: User, submission_id: int) -> dict[str, Any]:
    """The submission's JSON as this viewer may see it; a submission they may not see gets the
    same 404 as a missing id (reviewers see only what they are assigned, and never the name).

    Two queries of plain rows, no ORM objects: the submission with its invitation, role,
    assignment and latest run; then that run's per-test results."""
    staff = viewer.has_role("admin", "recruiter")
    params = {"submission_id": submission_id}
    if not staff:
        params["reviewer_id"] = viewer.id
    row = db.session.execute(_api_statement(not staff), params).one_or_none()
    if row is None:
        raise NotFound(f"no submission {submission_id}")
    candidate: dict[str, Any] = {"code": row.candidate_code}
    if staff:
        candidate.update(name=row.candidate_name, email=row.candidate_email)
    run = None
    if row.id is not None:
        tests = db.session.execute(_tests_statement(), {"run_id": row.id}).all()
        run = grading.serialise_run(row, tests=tests)
    return {
        "id": row.submission_id,
        "invitation_id": row.invitation_id,
        "candidate": candidate,
        "assignment": row.assignment_slug,
        "role": {"id": row.role_id, "title": row.role_title},
        "commit_sha": row.commit_sha,
        "submitted_at": row.submitted_at.isoformat(),
        "time_used_seconds": row.time_used_seconds,
        "time_cap_minutes": row.time_cap_minutes,
        "late": row.late,
        "code_deleted": row.code_deleted_at is not None,
        "answer_by": answer_by(row.submitted_at, row.response_days).isoformat(),
        "grading": run,
        "runs": row.run_count,
    }


def get_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    return submission
