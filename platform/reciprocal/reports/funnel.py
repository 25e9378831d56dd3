"""The hiring team's funnel over a period: how many candidates reached each stage (one
aggregate query, per role and overall), pass-through rates, the median days spent in each
stage, whether each candidate was answered within the promise (the late ones by name, for
staff), time taken against the cap and candidates' ratings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import case, func, select

from ..core.business_days import add_business_days
from ..extensions import db
from ..models import CandidateFeedback, Decision, Invitation, Role, Submission, utcnow
from .period import Period, Row, first_review, rows

STAGES = ("invited", "accepted", "started", "submitted", "reviewed", "decided", "advanced")
# Each stage's median days: from the stage before it to it (Row's epoch-second fields).
_STAGE_TIMES = (
    ("accepted", "invited", "accepted"),
    ("started", "accepted", "started"),
    ("submitted", "started", "submitted"),
    ("reviewed", "submitted", "reviewed"),
    ("decided", "reviewed", "decided"),
)
LATE_SHOWN = 100  # by name on the page, the CSV and the API; the count says how many in all
CAP_BANDS = ((0.5, "under half"), (0.75, "half to three quarters"),
             (0.9, "three quarters to 90 %"), (1.0, "90 % to the cap"), (None, "over the cap"))


@dataclass(frozen=True)
class Stage:
    name: str
    count: int
    rate: float | None  # share of the stage before that reached this one
    median_days: float | None  # from the stage before to this one


@dataclass(frozen=True)
class Late:
    candidate_name: str
    candidate_code: str
    role: str
    answer_by: datetime
    answered_at: datetime | None  # None: still waiting


@dataclass
class Funnel:
    period: Period
    stages: list[Stage]
    by_role: list[tuple[str, dict[str, int]]]  # (role title, counts per stage)
    answered: int  # sent answers plus overdue waiting ones: everyone the promise is due to
    on_time: int
    late: list[Late]  # the most recent promises first, at most LATE_SHOWN
    median_cap_share: float | None  # time taken / own cap, median over submissions
    cap_bands: list[tuple[str, int]]
    ratings: dict[str, Any] = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None


def stage_counts(period: Period, *, group_by: Any = None,
                 join: tuple[Any, Any] | None = None) -> list[tuple[str, dict[str, int]]]:
    """Counts per stage, one row per role with invitations in the period: one GROUP BY. The
    fairness report groups by a column of the table it passes as `join` (table, on clause)."""
    reviewed = first_review()
    label = Role.title if group_by is None else group_by
    query = (
        select(
            label,
            func.count(Invitation.id),
            func.count(Invitation.terms_accepted_at),
            func.count(Invitation.started_at),
            func.count(Submission.id),
            func.count(reviewed.c.reviewed_at),
            func.count(Decision.id),
            func.coalesce(func.sum(case((Decision.outcome == "advance", 1), else_=0)), 0),
        )
        .select_from(Invitation)
        .join(*(join or (Role, Role.id == Invitation.role_id)))
        .outerjoin(Submission, Submission.invitation_id == Invitation.id)
        .outerjoin(reviewed, reviewed.c.submission_id == Submission.id)
        .outerjoin(Decision, Decision.submission_id == Submission.id)
        .group_by(*((Role.id, Role.title) if group_by is None else (group_by,)))
        .order_by(label)
    )
    return [(title, dict(zip(STAGES, map(int, counts), strict=True)))
            for title, *counts in db.session.execute(period.filter(query)).all()]


def counts_by_role(data: list[Row]) -> list[tuple[str, dict[str, int]]]:
    """What stage_counts() answers, counted over the rows funnel() reads anyway (one pass, no
    second join over every invitation); the roles come in the database's order of titles."""
    found: dict[int, list[int]] = {}
    for r in data:
        counts = found.get(r.role_id)
        if counts is None:
            counts = found[r.role_id] = [0] * len(STAGES)
        counts[0] += 1
        if r.accepted is not None:
            counts[1] += 1
        if r.started is not None:
            counts[2] += 1
        if r.submitted is not None:
            counts[3] += 1
        if r.reviewed is not None:
            counts[4] += 1
        if r.decided is not None:
            counts[5] += 1
            if r.outcome == "advance":
                counts[6] += 1
    if not found:
        return []
    titles = db.session.execute(
        select(Role.id, Role.title).where(Role.id.in_(found)).order_by(Role.title, Role.id))
    return [(title, dict(zip(STAGES, found[role_id], strict=True))) for role_id, title in titles]


def stages(totals: dict[str, int], data: list[Row]) -> list[Stage]:
    # One pass over the rows for every stage: row field positions instead of getattr per row.
    spans = [(name, Row._fields.index(before), Row._fields.index(after), [])
             for name, before, after in _STAGE_TIMES]
    for r in data:
        for _name, before, after, values in spans:
            start, end = r[before], r[after]
            if start is not None and end is not None:
                values.append((end - start) / 86400)
    medians = {name: round(median(values), 1) if values else None
               for name, _before, _after, values in spans}
    result = []
    for index, name in enumerate(STAGES):
        previous = totals[STAGES[index - 1]] if index else None
        rate = totals[name] / previous if previous else None
        result.append(Stage(name, totals[name], rate, medians.get(name)))
    return result


def promise(data: list[Row], now: datetime) -> tuple[int, int, list[Late]]:
    """(due, answered on time, the late ones, latest promise first): a sent answer counts
    against its promise; an unanswered submission counts only once its promise has lapsed."""
    due = on_time = 0
    late: list[Late] = []
    for row in data:
        if row.submitted_at is None:
            continue
        answer_by = add_business_days(row.submitted_at, row.response_days)
        if row.sent_at is None and now <= answer_by:
            continue
        due += 1
        if row.sent_at is not None and row.sent_at <= answer_by:
            on_time += 1
        else:
            late.append(Late(row.candidate_name, row.candidate_code, row.role, answer_by,
                             row.sent_at))
    late.sort(key=lambda item: (item.answer_by, item.candidate_code), reverse=True)
    return due, on_time, late


def cap_shares(data: list[Row]) -> tuple[float | None, list[tuple[str, int]]]:
    shares = [r.time_used_seconds / 60 / max(r.time_cap_minutes, 1) for r in data
              if r.time_used_seconds is not None]
    bands = []
    lower = 0.0
    for upper, label in CAP_BANDS:
        bands.append((label, sum(1 for s in shares if s >= lower and (upper is None or s < upper))))
        lower = upper or lower
    return (round(median(shares), 2) if shares else None), bands


def ratings(period: Period) -> dict[str, Any]:
    """Candidates' mean ratings (1-5) given on feedback forms in the period: one aggregate."""
    query = (
        select(func.count(CandidateFeedback.id), func.avg(CandidateFeedback.clarity),
               func.avg(CandidateFeedback.fairness), func.avg(CandidateFeedback.time_vs_cap))
        .select_from(CandidateFeedback)
        .outerjoin(Invitation, Invitation.id == CandidateFeedback.invitation_id)
        .where(CandidateFeedback.created_at >= period.start,
               CandidateFeedback.created_at < period.end)
    )
    if period.role_id is not None:
        query = query.where(Invitation.role_id == period.role_id)
    count, clarity, fairness, time_vs_cap = db.session.execute(query).one()
    def rounded(value: Any) -> float | None:
        return round(float(value), 2) if value is not None else None

    return {"count": int(count), "clarity": rounded(clarity), "fairness": rounded(fairness),
            "time_vs_cap": rounded(time_vs_cap)}


def funnel(period: Period, *, now: datetime | None = None) -> Funnel:
    now = now or utcnow()
    data = rows(period)
    by_role = counts_by_role(data)
    totals = {name: sum(counts[name] for _, counts in by_role) for name in STAGES}
    due, on_time, late = promise(data, now)
    median_share, bands = cap_shares(data)
    return Funnel(period, stages(totals, data), by_role, due, on_time, late[:LATE_SHOWN],
                  median_share,
                  bands, ratings(period))


def submissions_in(period: Period) -> Any:
    """The ids of the period's submissions, as a subquery other reports filter on."""
    query = select(Submission.id).join(Invitation, Invitation.id == Submission.invitation_id)
    return period.filter(query).scalar_subquery()
