"""The period and scope a report covers, and the one narrow row per submission several
figures read (timestamps only: business days and medians are computed in Python, as neither
is portable SQL across SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select

from ..core.business_days import add_business_days
from ..extensions import db
from ..models import Decision, Invitation, Role, Scorecard, Submission, utcnow

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    """Invitations created from `start` (inclusive) to `end` (exclusive), optionally one role."""

    start: datetime
    end: datetime
    role_id: int | None = None

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, *, now: datetime | None = None,
                  role_id: int | None = None) -> Period:
        now = now or utcnow()
        return cls(now - timedelta(days=days), now, role_id)

    @classmethod
    def from_dates(cls, start: date, end: date, role_id: int | None = None) -> Period:
        """Whole days: `end` is included."""
        return cls(datetime.combine(start, time(), UTC),
                   datetime.combine(end + timedelta(days=1), time(), UTC), role_id)

    def filter(self, query: Select[Any]) -> Select[Any]:
        """Restrict a query that joins invitations to this period and role."""
        query = query.where(Invitation.created_at >= self.start, Invitation.created_at < self.end)
        if self.role_id is not None:
            query = query.where(Invitation.role_id == self.role_id)
        return query


def first_review() -> Any:
    """Per submission, when its first scorecard was submitted (a subquery)."""
    return (
        select(Scorecard.submission_id, func.min(Scorecard.submitted_at).label("reviewed_at"))
        .where(Scorecard.submitted_at.is_not(None))
        .group_by(Scorecard.submission_id)
        .subquery()
    )


class Row(NamedTuple):
    """One invitation's timestamps, as the stage medians and the promise figures need them (a
    named tuple: built from each of what can be 10,000 result rows without per-field setattr)."""

    candidate_name: str
    candidate_code: str
    role: str
    created_at: datetime
    accepted_at: datetime | None
    started_at: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    decided_at: datetime | None
    sent_at: datetime | None
    outcome: str | None
    reason: str | None
    response_days: int
    time_used_seconds: int | None
    time_cap_minutes: int
    role_id: int

    def answer_by(self) -> datetime | None:
        if self.submitted_at is None:
            return None
        return add_business_days(self.submitted_at, self.response_days)


def rows(period: Period) -> list[Row]:
    reviewed = first_review()
    query = (
        select(
            Invitation.candidate_name, Invitation.candidate_code, Role.title,
            Invitation.created_at, Invitation.terms_accepted_at, Invitation.started_at,
            Submission.submitted_at, reviewed.c.reviewed_at, Decision.decided_at,
            Decision.sent_at, Decision.outcome, Decision.reason, Role.response_days,
            Submission.time_used_seconds, Invitation.time_cap_minutes, Role.id,
        )
        .select_from(Invitation)
        .join(Role, Role.id == Invitation.role_id)
        .outerjoin(Submission, Submission.invitation_id == Invitation.id)
        .outerjoin(reviewed, reviewed.c.submission_id == Submission.id)
        .outerjoin(Decision, Decision.submission_id == Submission.id)
    )
    # Core over the connection: no ORM row processing for what can be 10,000 rows.
    return list(map(Row._make, db.session.connection().execute(period.filter(query))))

