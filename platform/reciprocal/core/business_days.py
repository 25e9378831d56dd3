"""Business days (Monday to Friday): the unit of every response-time promise to candidates."""

from __future__ import annotations

from datetime import datetime, timedelta


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` business days after `start`, at the same time of day (the promised answer date
    of a submission made at `start` to a role that answers within `days` business days)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def business_days_between(start: datetime, end: datetime) -> int:
    """Whole business days after `start` up to and including `end`'s date."""
    days = 0
    day = start
    while True:
        day += timedelta(days=1)
        if day > end:
            return days
        if day.weekday() < 5:
            days += 1
