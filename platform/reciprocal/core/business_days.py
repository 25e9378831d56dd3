"""Business days (Monday to Friday): the unit of every response-time promise to candidates.

Both answers depend only on the starting weekday and a whole number of days, so the walk over
the calendar is done once per such pair and cached: reports compute them for every submission
of a period (thousands of rows)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def _calendar_days(weekday: int, days: int) -> int:
    """Calendar days from a `weekday` (0 Monday) to `days` business days after it."""
    offset = 0
    while days > 0:
        offset += 1
        if (weekday + offset) % 7 < 5:
            days -= 1
    return offset


@lru_cache(maxsize=4096)
def _weekdays_after(weekday: int, calendar_days: int) -> int:
    """Business days among the `calendar_days` days after a `weekday` (0 Monday)."""
    return sum(1 for offset in range(1, calendar_days + 1) if (weekday + offset) % 7 < 5)


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` business days after `start`, at the same time of day (the promised answer date
    of a submission made at `start` to a role that answers within `days` business days)."""
    return start + timedelta(days=_calendar_days(start.weekday(), days))


def business_days_between(start: datetime, end: datetime) -> int:
    """Whole business days after `start` up to and including `end`'s date."""
    whole = (end - start) // _DAY
    return _weekdays_after(start.weekday(), whole) if whole > 0 else 0
