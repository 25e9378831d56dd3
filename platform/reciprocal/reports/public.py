"""The public reciprocity report: what the company can show candidates it keeps its promises,
over the last 90 days. Aggregates only (no name, code, role or date of anyone), each figure
hidden (None) until it rests on at least `minimum` candidates, and cached in the process for
`cache_seconds`: a careers page's visitors never make the database count anything."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from statistics import median
from typing import Any

from ..core.business_days import business_days_between
from ..models import utcnow
from .funnel import promise, ratings
from .period import Period, rows

DAYS = 90

_lock = threading.Lock()
_cache: dict[int, tuple[float, dict[str, Any]]] = {}


def figures(minimum: int, *, now: datetime | None = None) -> dict[str, Any]:
    """The report, freshly computed; each figure carries the count it rests on."""
    now = now or utcnow()
    period = Period.last_days(DAYS, now=now)
    data = rows(period)
    due, on_time, _late = promise(data, now)
    answered = [business_days_between(r.submitted_at, r.sent_at) for r in data
                if r.submitted_at is not None and r.sent_at is not None]
    shares = [r.time_used_seconds / 60 / max(r.time_cap_minutes, 1) for r in data
              if r.time_used_seconds is not None]
    rejections = [r for r in data if r.outcome == "reject" and r.sent_at is not None]
    with_reason = sum(1 for r in rejections if (r.reason or "").strip())
    rated = ratings(period)

    def shown(count: int, value: Any) -> dict[str, Any]:
        return {"count": count, "value": value if count >= minimum else None}

    return {
        "days": DAYS,
        "minimum_count": minimum,
        "answered_within_promise": shown(due, round(on_time / due, 3) if due else None),
        "median_business_days_to_answer": shown(
            len(answered), float(median(answered)) if answered else None),
        "median_time_taken_of_cap": shown(len(shares), round(median(shares), 2)
                                          if shares else None),
        "rejections_with_reason": shown(len(rejections), round(with_reason / len(rejections), 3)
                                        if rejections else None),
        "ratings": {key: shown(rated["count"], rated[key])
                    for key in ("clarity", "fairness", "time_vs_cap")},
    }


def cached(minimum: int, cache_seconds: int) -> dict[str, Any]:
    """figures(), computed at most once per `cache_seconds` in this process."""
    with _lock:
        hit = _cache.get(minimum)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    report = figures(minimum)
    with _lock:
        _cache[minimum] = (time.monotonic() + cache_seconds, report)
    return report


def forget() -> None:
    """Drop the cached report (a test, or an operator who changed the switch)."""
    with _lock:
        _cache.clear()
