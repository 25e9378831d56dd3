"""BK-224: times are instants. Offsets are honoured, naive times refused, answers in UTC, and
the bookings already in production keep their meaning through the migrations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
from conftest import DATABASE_URL, Service, book, instant


def test_answers_are_in_utc(api, room):
    made = book(api, room["id"], "2030-06-03T10:00:00+02:00", "2030-06-03T11:30:00+02:00")
    assert made.status_code == 201, made.text
    for body in (made.json(), api.get(f"/bookings/{made.json()['id']}").json()):
        starts, ends = instant(body["starts_at"]), instant(body["ends_at"])
        assert starts.utcoffset().total_seconds() == 0 and ends.utcoffset().total_seconds() == 0, (
            f"times are answered in UTC: {body['starts_at']}, {body['ends_at']}")
        assert starts == datetime(2030, 6, 3, 8, 0, tzinfo=UTC)
        assert ends == datetime(2030, 6, 3, 9, 30, tzinfo=UTC)
        instant(body["created_at"])


def test_same_hour_from_two_offices_clashes(api, room):
    oslo = book(api, room["id"], "2030-06-04T10:00:00+02:00", "2030-06-04T11:00:00+02:00")
    assert oslo.status_code == 201
    lisbon = book(api, room["id"], "2030-06-04T09:00:00+01:00", "2030-06-04T10:00:00+01:00")
    assert lisbon.status_code == 409, "09:00+01:00 and 10:00+02:00 are the same moment"
    after = book(api, room["id"], "2030-06-04T10:00:00+01:00", "2030-06-04T11:00:00+01:00")
    assert after.status_code == 201, "10:00+01:00 is when Oslo's booking ends: no clash"


def test_times_without_offset_are_refused(api, room):
    answer = book(api, room["id"], "2030-06-05T10:00:00", "2030-06-05T11:00:00")
    assert answer.status_code == 422, f"a time without an offset is ambiguous: {answer.text}"
    listed = api.get("/bookings", params={"from": "2030-06-05T10:00:00"})
    assert listed.status_code == 422, "`from` without an offset is refused too"


def test_existing_bookings_keep_their_oslo_times():
    """A database as production has it (migrations 001 and 002, Oslo wall-clock rows), then
    the candidate's migrations, then the service on it."""
    name = f"legacy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    from reciprocal_judge import submission

    first = submission.run(["python3", "-m", "rooms.migrate", "--target", "002"],
                           env={"DATABASE_URL": url}, timeout=120)
    assert first.returncode == 0, first.stderr[-3000:]
    with psycopg.connect(url, autocommit=True) as conn:
        columns = {r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'bookings'")}
        assert {"room_id", "starts_at", "ends_at", "cancelled_at"} <= columns
        room = conn.execute("INSERT INTO rooms (name, capacity) VALUES ('Fjord', 8) "
                            "RETURNING id").fetchone()[0]
        rows = {}
        for key, start, end in (("summer", "2024-06-03 10:00", "2024-06-03 11:00"),
                                ("winter", "2024-01-15 10:00", "2024-01-15 11:30")):
            rows[key] = conn.execute(
                "INSERT INTO bookings (room_id, title, booked_by, starts_at, ends_at) "
                "VALUES (%s, %s, 'ops@example.com', %s, %s) RETURNING id",
                (room, key, start, end)).fetchone()[0]
    service = Service(url)
    try:
        import httpx

        with httpx.Client(base_url=service.url, timeout=30) as api:
            summer = api.get(f"/bookings/{rows['summer']}").json()
            winter = api.get(f"/bookings/{rows['winter']}").json()
            assert instant(summer["starts_at"]) == datetime(2024, 6, 3, 8, 0, tzinfo=UTC), (
                f"10:00 in Oslo in June is 08:00 UTC, got {summer['starts_at']}")
            assert instant(summer["ends_at"]) == datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
            assert instant(winter["starts_at"]) == datetime(2024, 1, 15, 9, 0, tzinfo=UTC), (
                f"10:00 in Oslo in January is 09:00 UTC, got {winter['starts_at']}")
            assert instant(winter["ends_at"]) == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
            clash = api.post("/bookings", json={
                "room_id": room, "title": "Lisbon", "booked_by": "rui@example.com",
                "starts_at": "2024-06-03T09:30:00+01:00", "ends_at": "2024-06-03T10:00:00+01:00"})
            assert clash.status_code == 409, "an old booking still blocks its own time"
    finally:
        service.stop()
