"""Reads of the outcomes domain: where every candidate stands (the pipeline, a role's board)
and who waits past the promised answer date (the service-level report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.business_days import business_days_between
from ..extensions import db
from ..models import (
    Decision,
    InterviewNote,
    Invitation,
    ReviewAssignment,
    Role,
    Scorecard,
    Submission,
    utcnow,
)
from .promises import expected_answer_by

STAGES = (
    "invited",
    "started",
    "submitted",
    "graded",
    "in review",
    "reviewed",
    "follow-up interview",
    "decided",
)


WAITING_STAGES = ("submitted", "graded", "in review", "reviewed")


@dataclass
class PipelineRow:
    invitation: Invitation
    stage: str
    since: datetime
    answer_by: datetime | None
    overdue: bool
    decision: Decision | None

    @property
    def time_in_stage(self) -> timedelta:
        return utcnow() - self.since

    @property
    def time_in_stage_label(self) -> str:
        delta = self.time_in_stage
        if delta.days >= 1:
            return f"{delta.days} d"
        hours = int(delta.total_seconds() // 3600)
        return f"{hours} h" if hours else f"{int(delta.total_seconds() // 60)} min"


def _stage(
    invitation: Invitation,
    decision: Decision | None,
    assigned: list[ReviewAssignment],
    cards: list[Scorecard],
    notes: list[InterviewNote],
) -> tuple[str, datetime]:
    sub = invitation.submission
    if decision is not None and decision.sent_at is not None:
        return "decided", decision.sent_at
    if notes:
        return "follow-up interview", min(n.updated_at for n in notes)
    if sub is not None:
        submitted = [c for c in cards if c.submitted_at is not None]
        if assigned and len(submitted) >= len(assigned):
            return "reviewed", max(c.submitted_at for c in submitted if c.submitted_at)
        if assigned:
            return "in review", min(a.assigned_at for a in assigned)
        run = sub.latest_run
        if run is not None and run.finished and run.finished_at is not None:
            return "graded", run.finished_at
        return "submitted", sub.submitted_at
    if invitation.started_at is not None:
        return "started", invitation.started_at
    return "invited", invitation.created_at


def pipeline(role: Role | None = None, *, now: datetime | None = None) -> list[PipelineRow]:
    """Every candidate (of one role, or all) with their stage, time in stage and SLA flag."""
    now = now or utcnow()
    query = (
        select(Invitation)
        .options(
            selectinload(Invitation.submission).selectinload(Submission.grading_runs),
            selectinload(Invitation.role),
            selectinload(Invitation.assignment),
        )
        .order_by(Invitation.created_at)
    )
    if role is not None:
        query = query.where(Invitation.role_id == role.id)
    rows_in = list(db.session.scalars(query))
    sub_ids = [i.submission.id for i in rows_in if i.submission is not None]
    decisions = {
        d.submission_id: d
        for d in db.session.scalars(select(Decision).where(Decision.submission_id.in_(sub_ids)))
    }
    assigned: dict[int, list[ReviewAssignment]] = {}
    for a in db.session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.submission_id.in_(sub_ids))
    ):
        assigned.setdefault(a.submission_id, []).append(a)
    cards: dict[int, list[Scorecard]] = {}
    for c in db.session.scalars(select(Scorecard).where(Scorecard.submission_id.in_(sub_ids))):
        cards.setdefault(c.submission_id, []).append(c)
    notes: dict[int, list[InterviewNote]] = {}
    for n in db.session.scalars(
        select(InterviewNote).where(InterviewNote.submission_id.in_(sub_ids))
    ):
        notes.setdefault(n.submission_id, []).append(n)
    rows = []
    for inv in rows_in:
        sid = inv.submission.id if inv.submission else 0
        decision = decisions.get(sid)
        stage, since = _stage(
            inv, decision, assigned.get(sid, []), cards.get(sid, []), notes.get(sid, [])
        )
        answer_by = expected_answer_by(inv.submission) if inv.submission else None
        overdue = bool(answer_by and stage in WAITING_STAGES and now > answer_by)
        rows.append(PipelineRow(inv, stage, since, answer_by, overdue, decision))
    return rows


def board(role: Role) -> dict[str, list[PipelineRow]]:
    columns: dict[str, list[PipelineRow]] = {stage: [] for stage in STAGES}
    for row in pipeline(role):
        columns[row.stage].append(row)
    return columns


def sla_report(*, now: datetime | None = None) -> list[dict[str, Any]]:
    """Submissions waiting for review or decision past the role's promised response time."""
    now = now or utcnow()
    report = []
    for row in pipeline(now=now):
        if not row.overdue or row.answer_by is None:
            continue
        inv = row.invitation
        assert inv.submission is not None
        report.append(
            {
                "submission_id": inv.submission.id,
                "candidate": inv.candidate_name,
                "candidate_code": inv.candidate_code,
                "role": inv.role.title,
                "stage": row.stage,
                "answer_by": row.answer_by.isoformat(),
                "business_days_late": business_days_between(row.answer_by, now),
            }
        )
    return report
