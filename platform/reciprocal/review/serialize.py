"""The review domain's JSON shapes: submissions as staff see them, comments, scorecards."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, exists, func, select

from ..candidates import time_adjustments
from ..core.business_days import add_business_days
from ..core.errors import NotFound
from ..extensions import db
from ..grading import rescore
from ..grading import serialize as grading_serialize
from ..models import (
    Accommodation,
    Assignment,
    GradingRun,
    Invitation,
    ReviewAssignment,
    ReviewComment,
    Role,
    Scorecard,
    Submission,
    TestResult,
    User,
)
from .calibration import Aggregate
from .queries import privileged

# The latest run's columns that grading.serialise_run reads, under their own names.
_RUN_FIELDS = (
    "id", "status", "reason", "passed", "failed", "errors", "skipped", "queued_at", "started_at",
    "finished_at", "duration_seconds", "attempts", "image", "image_digest", "runtime", "limits",
    "tamper_flags", "integrity", "integrity_evidence", "checks", "screenshots", "output",
    "output_truncated",
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
        .where(other_run.c.submission_id == sub.c.id, other_run.c.purpose != "preview")
        .correlate(sub)
        .scalar_subquery()
    )
    accommodation = cast(Table, Accommodation.__table__)
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
            accommodation.c.extra_time_percent,
            accommodation.c.base_cap_minutes,
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
            .outerjoin(accommodation, accommodation.c.invitation_id == inv.c.id)
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


def serialise_for(viewer: User, submission_id: int) -> dict[str, Any]:
    """The submission's JSON as this viewer may see it; a submission they may not see gets the
    same 404 as a missing id (reviewers see only what they are assigned, and never the name).

    Two queries of plain rows, no ORM objects: the submission with its invitation, role,
    assignment and latest run; then that run's per-test results."""
    staff = privileged(viewer)
    params = {"submission_id": submission_id}
    if not staff:
        params["reviewer_id"] = viewer.id
    # Core statements run on the session's connection (its transaction) without the ORM
    # session's per-statement bookkeeping.
    connection = db.session.connection()
    row = connection.execute(_api_statement(not staff), params).one_or_none()
    if row is None:
        raise NotFound(f"no submission {submission_id}")
    candidate: dict[str, Any] = {"code": row.candidate_code}
    if staff:
        candidate.update(name=row.candidate_name, email=row.candidate_email)
        time = time_adjustments.standard_time(row.time_cap_minutes)
    else:  # reviewers never learn of an accommodation: the standard cap, the time on it
        time = time_adjustments.standard_time(row.time_cap_minutes, row.extra_time_percent,
                                              row.base_cap_minutes)
    run = None
    if row.id is not None:
        tests = connection.execute(_tests_statement(), {"run_id": row.id}).all()
        run = grading_serialize.serialise_run(row, tests=tests)
        run.update(rescore.run_history(submission_id))
    return {
        "id": row.submission_id,
        "invitation_id": row.invitation_id,
        "candidate": candidate,
        "assignment": row.assignment_slug,
        "role": {"id": row.role_id, "title": row.role_title},
        "commit_sha": row.commit_sha,
        "submitted_at": row.submitted_at.isoformat(),
        "time_used_seconds": time.seconds(row.time_used_seconds),
        "time_cap_minutes": time.cap_minutes,
        "late": row.late,
        "code_deleted": row.code_deleted_at is not None,
        "answer_by": add_business_days(row.submitted_at, row.response_days).isoformat(),
        "grading": run,
        "runs": row.run_count,
    }


def serialise_comment(comment: ReviewComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": comment.author.display_name,
        "author_id": comment.author_id,
        "commit_sha": comment.commit_sha,
        "path": comment.path,
        "line_start": comment.line_start,
        "line_end": comment.line_end,
        "kind": comment.kind,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
        "updated_at": comment.updated_at.isoformat() if comment.updated_at else None,
        "resolved_at": comment.resolved_at.isoformat() if comment.resolved_at else None,
    }


def serialise_scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.id,
        "reviewer": card.reviewer.display_name,
        "reviewer_id": card.reviewer_id,
        "recommendation": card.recommendation,
        "summary": card.summary,
        "submitted_at": card.submitted_at.isoformat() if card.submitted_at else None,
        "scores": [
            {
                "criterion": s.criterion,
                "level": s.level,
                "evidence": s.evidence,
                "comment_id": s.comment_id,
            }
            for s in card.scores
        ],
    }


def serialise_aggregate(agg: Aggregate | None) -> dict[str, Any] | None:
    if agg is None:
        return None
    return {
        "complete": agg.complete,
        "reviewers": agg.reviewers,
        "waiting_for": agg.waiting_for,
        "recommendations": agg.recommendations,
        "criteria": [
            {
                "criterion": r.criterion,
                "levels": r.levels,
                "spread": r.spread,
                "disagreement": r.disagreement,
                "missing_evidence": r.missing_evidence,
            }
            for r in agg.rows
        ],
    }
