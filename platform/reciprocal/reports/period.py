"""The period and scope a report covers, and the one narrow row per submission several
figures read (timestamps only: business days and medians are computed in Python, as neither
is portable SQL across SQLite and PostgreSQL).

The stage timestamps arrive as seconds since the epoch, computed by the database: the stage
medians need only differences, and turning 60,000 stored strings into datetimes was most of
the funnel's time at 10,000 candidates on SQLite. Only the two a promise is judged on (when
the work was submitted and when the answer was sent) arrive as datetimes, to the microsecond."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Float, Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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


class epoch_seconds(FunctionElement[float]):
    """A timestamp column as seconds since the epoch (a float; NULL stays NULL), per dialect:
    SQLite keeps timestamps as UTC strings (millisecond precision here), PostgreSQL as
    timestamptz."""

    type = Float()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_seconds_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    # date_part answers double precision; EXTRACT answers numeric (Decimals) since PostgreSQL 14.
    return f"date_part('epoch', {compiler.process(element.clauses, **kw)})"


class Row(NamedTuple):
    """One invitation's timestamps, as the stage medians and the promise figures need them (a
    named tuple: built from each of what can be 10,000 result rows without per-field setattr)."""

    candidate_name: str
    candidate_code: str
    role: str
    # When each stage was reached, in seconds since the epoch (None: not reached).
    invited: float
    accepted: float | None
    started: float | None
    submitted: float | None
    reviewed: float | None
    decided: float | None
    submitted_at: datetime | None
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
            epoch_seconds(Invitation.created_at), epoch_seconds(Invitation.terms_accepted_at),
            epoch_seconds(Invitation.started_at), epoch_seconds(Submission.submitted_at),
            epoch_seconds(reviewed.c.reviewed_at), epoch_seconds(Decision.decided_at),
            Submission.submitted_at, Decision.sent_at, Decision.outcome, Decision.reason,
            Role.response_days,
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

