"""Regression tests for BK-212, BK-219 and BK-224."""

from __future__ import annotations

import threading

import psycopg
from fastapi.testclient import TestClient

from rooms.app import create_app
from rooms.config import Settings


def book(client, room, starts_at, ends_at):
    return client.post("/bookings", json={
        "room_id": room["id"], "title": "Sync", "booked_by": "rui@example.com",
        "starts_at": starts_at, "ends_at": ends_at,
    })


def test_bk212_requests_at_once_book_once(client, room, database_url):
    # Each thread has its own client, hence its own connections: a real race on the database.
    app = create_app(Settings(database_url=database_url))
    barrier, codes = threading.Barrier(8), []

    def attempt():
        with TestClient(app) as own:
            barrier.wait()
            codes.append(book(own, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z")
                         .status_code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201] + [409] * 7
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM bookings").fetchone()[0] == 1


def test_bk212_the_database_refuses_overlaps(client, room, database_url):
    assert book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z").status_code == 201
    with psycopg.connect(database_url) as conn:
        try:
            conn.execute("INSERT INTO bookings (room_id, title, booked_by, starts_at, ends_at)"
                         " VALUES (%s, 'x', 'y', '2024-06-03 10:30Z', '2024-06-03 11:30Z')",
                         (room["id"],))
        except psycopg.errors.ExclusionViolation:
            pass
        else:
            raise AssertionError("an overlapping insert was accepted")


def test_bk219_ties_on_start_time_survive_paging(client):
    rooms = [client.post("/rooms", json={"name": f"Team {i}", "capacity": 4}).json()
             for i in range(5)]
    made = [book(client, r, "2024-06-03T09:00:00+02:00", "2024-06-03T09:15:00+02:00").json()["id"]
            for r in rooms]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/bookings", params=params).json()
        seen += [b["id"] for b in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == sorted(made)


def test_bk219_foreign_cursor(client):
    assert client.get("/bookings", params={"cursor": "MjAyNC0wNi0wMw"}).status_code == 400


def test_bk224_offsets_count_and_answers_are_utc(client, room):
    oslo = book(client, room, "2024-06-03T10:00:00+02:00", "2024-06-03T11:00:00+02:00")
    assert oslo.json()["starts_at"] == "2024-06-03T08:00:00Z"
    lisbon = book(client, room, "2024-06-03T09:00:00+01:00", "2024-06-03T10:00:00+01:00")
    assert lisbon.status_code == 409


def test_bk224_naive_times_are_refused(client, room):
    assert book(client, room, "2024-06-03T10:00:00", "2024-06-03T11:00:00").status_code == 422
    assert client.get("/bookings", params={"from": "2024-06-03T10:00:00"}).status_code == 422
