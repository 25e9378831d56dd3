"""The contract the booking page relies on, which the fixes must keep."""

from __future__ import annotations

from conftest import book, instant, new_room


def test_healthy_and_rooms(api):
    assert api.get("/healthz").status_code == 200
    room = new_room(api, "Harbour")
    assert api.get(f"/rooms/{room['id']}").json() == room
    assert api.post("/rooms", json={"name": room["name"], "capacity": 2}).status_code == 409
    assert api.get("/rooms/987654").status_code == 404


def test_book_and_read_back(api, room):
    response = book(api, room["id"], "2030-01-14T10:00:00+01:00", "2030-01-14T11:00:00+01:00")
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["room_id"] == room["id"] and booking["cancelled_at"] is None
    assert api.get(f"/bookings/{booking['id']}").json() == booking
    assert api.get("/bookings/987654321").status_code == 404


def test_overlap_is_refused_back_to_back_is_not(api, room):
    assert book(api, room["id"], "2030-01-14T10:00:00Z", "2030-01-14T11:00:00Z").status_code == 201
    assert book(api, room["id"], "2030-01-14T10:59:00Z", "2030-01-14T11:30:00Z").status_code == 409
    assert book(api, room["id"], "2030-01-14T09:00:00Z", "2030-01-14T12:00:00Z").status_code == 409
    assert book(api, room["id"], "2030-01-14T11:00:00Z", "2030-01-14T12:00:00Z").status_code == 201
    assert book(api, room["id"], "2030-01-14T09:00:00Z", "2030-01-14T10:00:00Z").status_code == 201


def test_invalid_bookings(api, room):
    assert book(api, room["id"], "2030-01-14T11:00:00Z",
                "2030-01-14T10:00:00Z").status_code == 422, "end before start"
    assert book(api, room["id"], "2030-01-14T08:00:00Z",
                "2030-01-14T17:00:00Z").status_code == 422, "longer than 8 hours"
    assert book(api, 987654, "2030-01-14T10:00:00Z",
                "2030-01-14T11:00:00Z").status_code == 404, "unknown room"


def test_cancelling_frees_the_time(api, room):
    first = book(api, room["id"], "2030-01-15T10:00:00Z", "2030-01-15T11:00:00Z").json()
    cancelled = api.post(f"/bookings/{first['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelled_at"] is not None
    instant(cancelled.json()["cancelled_at"])
    assert api.post(f"/bookings/{first['id']}/cancel").status_code == 409
    again = book(api, room["id"], "2030-01-15T10:00:00Z", "2030-01-15T11:00:00Z")
    assert again.status_code == 201, "a cancelled booking must not block the room"
    assert api.get(f"/bookings/{first['id']}").json()["cancelled_at"] is not None
