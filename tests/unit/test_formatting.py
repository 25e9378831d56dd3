from datetime import UTC, datetime, timedelta

from reciprocal.web.formatting import waited

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_waited_reads_like_a_person_would_say_it() -> None:
    assert waited(NOW - timedelta(minutes=12), NOW) == "12 min"
    assert waited(NOW - timedelta(hours=5, minutes=10), NOW) == "5 h 10 min"
    assert waited(NOW - timedelta(days=1, hours=2), NOW) == "1 day 2 h"
    assert waited(NOW - timedelta(days=3, hours=4), NOW) == "3 days 4 h"
    assert waited(NOW + timedelta(minutes=5), NOW) == "0 min"
