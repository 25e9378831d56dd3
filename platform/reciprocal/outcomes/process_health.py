"""Process health: are we keeping our promises? Figures plus server-rendered SVG charts.

Also effort honesty: the median time candidates actually took on an assignment, shown beside
the time cap once there are enough submissions to say something true.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from statistics import median
from typing import cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import selectinload

from ..core.business_days import business_days_between
from ..extensions import db
from ..models import (
    Assignment,
    CandidateFeedback,
    Decision,
    Invitation,
    Submission,
    utcnow,
)

MIN_SUBMISSIONS = 5
NEAR_CAP = 0.9


# Effort honesty ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Effort:
    assignment: Assignment
    submissions: int
    median_minutes: float | None

    @property
    def ratio(self) -> float | None:
        if self.median_minutes is None:
            return None
        return self.median_minutes / self.assignment.time_cap_minutes

    @property
    def flag(self) -> str | None:
        """'over' the cap, 'near' it (90 % or more), or None."""
        if self.ratio is None:
            return None
        if self.ratio > 1:
            return "over"
        return "near" if self.ratio >= NEAR_CAP else None


def effort(assignment: Assignment) -> Effort:
    """The median time candidates used, each measured against their own cap (an accommodation or
    an extension makes it longer) and expressed on the assignment's standard cap, so that extra
    time granted to some never reads as the assignment taking longer."""
    rows = (
        db.session.connection()
        .execute(_time_used_statement(), {"assignment_id": assignment.id})
        .all()
    )
    used = [seconds / 60 * assignment.time_cap_minutes / max(cap, 1) for seconds, cap in rows]
    value = median(used) if len(used) >= MIN_SUBMISSIONS else None
    return Effort(assignment, len(used), value)


@cache
def _time_used_statement() -> Select[tuple[int, int]]:
    """Time used by each submission to an assignment, with that candidate's cap: Core over the
    tables, built once per process, as the candidate page reads it on every view."""
    submissions = cast(Table, Submission.__table__)
    invitations = cast(Table, Invitation.__table__)
    return (
        select(submissions.c.time_used_seconds, invitations.c.time_cap_minutes)
        .join(invitations, invitations.c.id == submissions.c.invitation_id)
        .where(invitations.c.assignment_id == bindparam("assignment_id"))
    )


def efforts() -> list[Effort]:
    return [effort(a) for a in db.session.scalars(select(Assignment).order_by(Assignment.title))]


def flagged_efforts() -> list[Effort]:
    return [e for e in efforts() if e.flag is not None]


# Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    reference: float | None = None  # the promise or the cap, drawn as a marker


def response_times() -> list[Bar]:
    """Business days from submission to decision (or to now, if still waiting) vs promise."""
    now = utcnow()
    subs = list(
        db.session.scalars(
            select(Submission)
            .options(selectinload(Submission.invitation).selectinload(Invitation.role))
            .order_by(Submission.submitted_at)
            .limit(60)
        )
    )
    sent = {
        d.submission_id: d.sent_at
        for d in db.session.scalars(select(Decision).where(Decision.sent_at.is_not(None)))
    }
    return [
        Bar(
            s.invitation.candidate_code,
            business_days_between(s.submitted_at, sent.get(s.id) or now),
            s.invitation.role.response_days,
        )
        for s in subs
    ]


def ratings_over_time() -> list[tuple[str, float, float, float]]:
    """(month, clarity, fairness, time-vs-cap) averages per month."""
    months: dict[str, list[CandidateFeedback]] = {}
    for row in db.session.scalars(select(CandidateFeedback).order_by(CandidateFeedback.created_at)):
        months.setdefault(f"{row.created_at:%Y-%m}", []).append(row)
    return [
        (
            month,
            sum(r.clarity for r in rows) / len(rows),
            sum(r.fairness for r in rows) / len(rows),
            sum(r.time_vs_cap for r in rows) / len(rows),
        )
        for month, rows in months.items()
    ]


def time_vs_cap() -> list[Bar]:
    bars = []
    for item in efforts():
        used = list(
            db.session.scalars(
                select(Submission.time_used_seconds)
                .join(Invitation, Invitation.id == Submission.invitation_id)
                .where(Invitation.assignment_id == item.assignment.id)
            )
        )
        if used:
            bars.append(
                Bar(
                    item.assignment.title,
                    round(median(used) / 3600, 2),
                    item.assignment.time_cap_minutes / 60,
                )
            )
    return bars


def pass_rates() -> list[Bar]:
    """Share of hidden tests passed on each submission's latest run, per assignment (a run
    whose report was altered has no share to count)."""
    per: dict[str, list[float]] = {}
    for sub in db.session.scalars(
        select(Submission).options(
            selectinload(Submission.grading_runs),
            selectinload(Submission.invitation).selectinload(Invitation.assignment),
        )
    ):
        run = sub.latest_run
        if run is not None and run.scored and run.total:
            per.setdefault(sub.invitation.assignment.title, []).append(100 * run.passed / run.total)
    return [Bar(title, round(sum(v) / len(v), 1)) for title, v in sorted(per.items())]


# SVG ---------------------------------------------------------------------------------------


