"""The cached business-day arithmetic agrees with walking the calendar one day at a time, for
every weekday, time of day and span a promise can have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reciprocal.core.business_days import add_business_days, business_days_between


def walk_add(start: datetime, days: int) -> datetime:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def walk_between(start: datetime, end: datetime) -> int:
    days, day = 0, start
    while (day := day + timedelta(days=1)) <= end:
        days += day.weekday() < 5
    return days


def test_adding_business_days_matches_the_calendar_walk() -> None:
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    for offset_hours in range(0, 7 * 24, 5):
        start = monday + timedelta(hours=offset_hours)
        for days in range(-1, 16):
            assert add_business_days(start, days) == walk_add(start, days), (start, days)


def test_counting_business_days_matches_the_calendar_walk() -> None:
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    for offset_hours in range(0, 7 * 24, 7):
        start = monday + timedelta(hours=offset_hours)
        for span_hours in range(-30, 30 * 24, 11):
            end = start + timedelta(hours=span_hours)
            assert business_days_between(start, end) == walk_between(start, end), (start, end)
    friday = datetime(2026, 11, 20, 17, tzinfo=UTC)
    assert business_days_between(friday, friday + timedelta(days=3)) == 1
    assert business_days_between(friday, friday + timedelta(days=3, seconds=-1)) == 0
