"""Question 4: user_sessions, product sessions from de-duplicated events."""

from __future__ import annotations

from datetime import timedelta

import history
import oracle
from conftest import utc

T0 = utc(2024, 10, 7, 8, 0)


def ev(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def at(minutes: float):
    return T0 + timedelta(minutes=minutes)


def test_sessions_view_has_the_contracted_columns(wh):
    columns = wh.columns("SELECT * FROM user_sessions")
    assert [name for name, _ in columns] == [
        "user_id", "session_number", "started_at", "ended_at", "events"]
    types = dict(columns)
    assert types["user_id"] == "bigint"
    assert types["session_number"] in ("bigint", "integer")
    assert types["started_at"] == types["ended_at"] == "timestamp with time zone"
    assert types["events"] in ("bigint", "integer")


def test_a_gap_of_more_than_30_minutes_starts_a_new_session(wh):
    wh.customer(1)
    for n, minute in enumerate((0, 10, 25, 56, 60, 200)):
        wh.event(7, at(minute), at(minute + 1), ev(n))
    assert wh.sessions() == [(7, 1, at(0), at(25), 3), (7, 2, at(56), at(60), 2),
                             (7, 3, at(200), at(200), 1)]


def test_a_gap_of_exactly_30_minutes_stays_in_the_session(wh):
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1))
    wh.event(7, at(30), at(31), ev(2))
    wh.event(7, at(60.0 + 1 / 60_000), at(61), ev(3))  # 30 minutes and a millisecond
    assert wh.sessions() == [(7, 1, at(0), at(30), 2), (7, 2, at(60.0 + 1 / 60_000),
                                                        at(60.0 + 1 / 60_000), 1)]


def test_sessions_are_per_user_and_numbered_in_time_order(wh):
    wh.customer(1)
    # Delivered (and numbered by the collector) out of order: late events from a train ride.
    wh.event(8, at(300), at(301), ev(1), ingest_id=1)
    wh.event(7, at(0), at(2), ev(2), ingest_id=2)
    wh.event(8, at(5), at(900), ev(3), ingest_id=3)
    wh.event(7, at(100), at(101), ev(4), ingest_id=4)
    wh.event(8, at(20), at(901), ev(5), ingest_id=5)
    wh.event(7, at(15), at(902), ev(6), ingest_id=6)
    assert wh.sessions() == [
        (7, 1, at(0), at(15), 2), (7, 2, at(100), at(100), 1),
        (8, 1, at(5), at(20), 2), (8, 2, at(300), at(300), 1)]


def test_an_event_delivered_twice_counts_once(wh):
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1))
    wh.event(7, at(5), at(6), ev(2))
    wh.event(7, at(5), at(45), ev(2))    # the collector's retry
    wh.event(7, at(5), at(45), ev(2))    # and again, at the same moment
    assert wh.sessions() == [(7, 1, at(0), at(5), 2)]


def test_the_first_delivery_wins_when_re_deliveries_disagree(wh):
    """A re-delivery re-stamped by an old client must not move the event (or split it)."""
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1), ingest_id=10)
    wh.event(7, at(10), at(11), ev(2), ingest_id=11)
    wh.event(7, at(95), at(96), ev(2), ingest_id=12)    # received later: ignored
    wh.event(7, at(200), at(300), ev(3), ingest_id=14)  # same received_at: lower ingest_id wins
    wh.event(7, at(12), at(300), ev(3), ingest_id=13)
    wh.event(7, at(40), at(50), ev(4), ingest_id=16)
    wh.event(7, at(500), at(49), ev(4), ingest_id=15)   # received first: this one wins
    assert wh.sessions() == [(7, 1, at(0), at(12), 3), (7, 2, at(500), at(500), 1)]


def test_events_without_a_device_time_are_left_out(wh):
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1))
    wh.event(7, None, at(20), ev(2))
    wh.event(7, at(50), at(51), ev(3))
    wh.event(9, None, at(3), ev(4))     # a user with nothing but clock-less events
    assert wh.sessions() == [(7, 1, at(0), at(0), 1), (7, 2, at(50), at(50), 1)]


def test_a_first_delivery_without_a_device_time_drops_the_event(wh):
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1))
    wh.event(7, None, at(2), ev(2))
    wh.event(7, at(20), at(30), ev(2))  # re-delivered with a time: the first delivery decides
    assert wh.sessions() == [(7, 1, at(0), at(0), 1)]


def test_events_at_the_same_instant_are_all_counted(wh):
    wh.customer(1)
    wh.event(7, at(0), at(1), ev(1))
    wh.event(7, at(0), at(1), ev(2))
    wh.event(7, at(45), at(46), ev(3))
    wh.event(7, at(45), at(46), ev(4))
    wh.event(7, at(45), at(47), ev(5))
    assert wh.sessions() == [(7, 1, at(0), at(0), 2), (7, 2, at(45), at(45), 3)]


def test_sessions_match_a_generated_history(wh):
    data = history.generate(seed=5_150, customers=60, active_users=45)
    wh.load(data)
    expected = oracle.user_sessions(data)
    actual = wh.sessions()
    assert len(actual) == len(expected)
    wrong = [(a, e) for a, e in zip(actual, expected) if a != e]
    assert not wrong, f"{len(wrong)} sessions differ; the first (yours, expected): {wrong[0]}"
