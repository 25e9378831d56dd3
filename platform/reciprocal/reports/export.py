"""The funnel report as data: one dict for the API and the page, and the CSV a team can open
in a spreadsheet (section, scope, measure, value: one figure a line)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from ..core.errors import InvalidInput
from .funnel import funnel
from .period import DEFAULT_DAYS, Period
from .scores import agreements, distributions


def period_from(args: dict[str, str]) -> Period:
    """The period a request asks for (`start`, `end` as YYYY-MM-DD, `role` an id), by default
    the last 90 days and every role."""
    role = args.get("role") or None
    try:
        role_id = int(role) if role else None
        if args.get("start") or args.get("end"):
            start = date.fromisoformat(args.get("start", ""))
            end = date.fromisoformat(args.get("end", ""))
            if end < start:
                raise InvalidInput("the period ends before it starts")
            return Period.from_dates(start, end, role_id)
    except ValueError:
        raise InvalidInput("start and end are dates (YYYY-MM-DD), role is a role id") from None
    return Period.last_days(DEFAULT_DAYS, role_id=role_id)


def report(period: Period) -> dict[str, Any]:
    data = funnel(period)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(),
                   "last_day": (period.end - timedelta(microseconds=1)).date().isoformat(),
                   "role_id": period.role_id},
        "stages": [{"stage": s.name, "count": s.count, "pass_through": s.rate,
                    "median_days": s.median_days} for s in data.stages],
        "by_role": [{"role": title, **counts} for title, counts in data.by_role],
        "promise": {"due": data.answered, "on_time": data.on_time,
                    "late_count": data.answered - data.on_time,
                    "on_time_share": data.on_time_share,
                    "late": [{"candidate": item.candidate_name, "code": item.candidate_code,
                              "role": item.role, "answer_by": item.answer_by.isoformat(),
                              "answered_at": item.answered_at.isoformat()
                              if item.answered_at else None} for item in data.late]},
        "time_vs_cap": {"median_share_of_cap": data.median_cap_share,
                        "bands": [{"band": label, "count": n} for label, n in data.cap_bands]},
        "ratings": data.ratings,
        "scores": [{"criterion": d.criterion, "total": d.total, **d.counts}
                   for d in distributions(period)],
        "agreement": [{"criterion": a.criterion, "pairs": a.n, "exact": a.exact,
                       "adjacent": a.adjacent, "kappa": a.kappa} for a in agreements(period)],
    }


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)

    def line(*values: Any) -> None:
        writer.writerow([_cell(v) for v in values])

    line("section", "scope", "measure", "value")
    for stage in data["stages"]:
        for measure in ("count", "pass_through", "median_days"):
            line("funnel", stage["stage"], measure, stage[measure])
    for row in data["by_role"]:
        for measure, value in row.items():
            if measure != "role":
                line("by_role", row["role"], measure, value)
    promise = data["promise"]
    for measure in ("due", "on_time", "on_time_share"):
        line("promise", "all", measure, promise[measure])
    for item in promise["late"]:
        line("late", item["code"], item["candidate"], item["answer_by"])
    line("time_vs_cap", "all", "median_share_of_cap", data["time_vs_cap"]["median_share_of_cap"])
    for band in data["time_vs_cap"]["bands"]:
        line("time_vs_cap", band["band"], "count", band["count"])
    for measure, value in data["ratings"].items():
        line("ratings", "all", measure, value)
    for row in data["scores"]:
        for measure, value in row.items():
            if measure != "criterion":
                line("scores", row["criterion"], measure, value)
    for row in data["agreement"]:
        for measure in ("pairs", "exact", "adjacent", "kappa"):
            line("agreement", row["criterion"], measure, row[measure])
    return out.getvalue()


def _cell(value: Any) -> str:
    """A figure, or text made safe to open in a spreadsheet (a name starting with "=" is not
    run as a formula)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text
