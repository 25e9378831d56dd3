"""Process health: are we keeping our promises? Figures plus server-rendered SVG charts.

Also effort honesty: the median time candidates actually took on an assignment, shown beside
the time cap once there are enough submissions to say something true.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from markupsafe import Markup, escape
from sqlalchemy import select
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
    used = list(
        db.session.scalars(
            select(Submission.time_used_seconds)
            .join(Invitation, Invitation.id == Submission.invitation_id)
            .where(Invitation.assignment_id == assignment.id)
        )
    )
    value = median(used) / 60 if len(used) >= MIN_SUBMISSIONS else None
    return Effort(assignment, len(used), value)


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
    """Share of hidden tests passed on each submission's latest run, per assignment."""
    per: dict[str, list[float]] = {}
    for sub in db.session.scalars(
        select(Submission).options(
            selectinload(Submission.grading_runs),
            selectinload(Submission.invitation).selectinload(Invitation.assignment),
        )
    ):
        run = sub.latest_run
        if run is not None and run.finished and run.total:
            per.setdefault(sub.invitation.assignment.title, []).append(100 * run.passed / run.total)
    return [Bar(title, round(sum(v) / len(v), 1)) for title, v in sorted(per.items())]


# SVG ---------------------------------------------------------------------------------------

WIDTH, ROW, LABEL, PAD = 640, 22, 170, 8


def bar_chart(title: str, bars: list[Bar], unit: str, reference_label: str = "") -> Markup:
    """A horizontal bar chart; a reference (promise, cap) is a dark tick on each bar's row.

    Everything interpolated is escaped; the chart carries a <title> and per-bar <title>s so
    screen readers and hover both get the figures.
    """
    if not bars:
        return Markup('<p class="muted">No data yet.</p>')
    top = max(max(b.value, b.reference or 0) for b in bars) or 1
    plot = WIDTH - LABEL - 60
    height = PAD * 2 + ROW * len(bars) + 18
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, bar in enumerate(bars):
        y = PAD + index * ROW
        length = max(1.0, plot * bar.value / top)
        over = bar.reference is not None and bar.value > bar.reference
        fill = "#c2410c" if over else "#2563eb"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#334155">{escape(bar.label[:26])}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" '
            f'fill="{fill}"><title>{escape(bar.label)}: {bar.value:g} {escape(unit)}</title></rect>'
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#334155">{bar.value:g}</text>'
        )
        if bar.reference is not None:
            x = LABEL + plot * bar.reference / top
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + ROW - 1}" '
                f'stroke="#0f172a" stroke-width="2"><title>{escape(reference_label)}: '
                f"{bar.reference:g} {escape(unit)}</title></line>"
            )
    legend = f"{escape(unit)}" + (f" · tick: {escape(reference_label)}" if reference_label else "")
    parts.append(
        f'<text x="{LABEL}" y="{height - 4}" font-size="11" fill="#64748b">{legend}</text></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped


def line_chart(title: str, points: list[tuple[str, float, float, float]]) -> Markup:
    """Ratings (1-5) over months: three lines, clarity, fairness and time vs cap."""
    if not points:
        return Markup('<p class="muted">No ratings yet.</p>')
    height, left, bottom = 220, 40, 30
    plot_w, plot_h = WIDTH - left - 20, height - bottom - 20
    step = plot_w / max(1, len(points) - 1)
    series = (("clarity", 1, "#2563eb"), ("fairness", 2, "#16a34a"), ("time vs cap", 3, "#c2410c"))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for level in range(1, 6):
        y = 20 + plot_h - plot_h * (level - 1) / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#64748b">{level}</text>'
        )
    for name, column, colour in series:
        coords = " ".join(
            f"{left + i * step:.1f},{20 + plot_h - plot_h * (p[column] - 1) / 4:.1f}"
            for i, p in enumerate(points)
        )
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - 8}" text-anchor="middle" '
            f'font-size="11" fill="#64748b">{escape(p[0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped


def charts() -> dict[str, Markup]:
    return {
        "response": bar_chart(
            "Business days to an answer, per candidate", response_times(), "business days",
            "promise",
        ),
        "ratings": line_chart("Candidate ratings per month (1-5)", ratings_over_time()),
        "time": bar_chart(
            "Median time used per assignment", time_vs_cap(), "hours", "time cap"
        ),
        "pass": bar_chart("Hidden tests passed, per assignment", pass_rates(), "% passed"),
    }
