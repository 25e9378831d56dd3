def book(client, room, starts_at, ends_at, title="Stand-up"):
    return client.post("/bookings", json={
        "room_id": room["id"], "title": title, "booked_by": "ingrid@example.com",
        "starts_at": starts_at, "ends_at": ends_at,
    })


def test_book_a_room(client, room):
    response = book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z")
    assert response.status_code == 201
    booking = response.json()
    assert booking["room_id"] == room["id"]
    assert booking["cancelled_at"] is None
    assert client.get(f"/bookings/{booking['id']}").json() == booking


def test_overlapping_booking_is_refused(client, room):
    assert book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z").status_code == 201
    response = book(client, room, "2024-06-03T10:30:00Z", "2024-06-03T11:30:00Z")
    assert response.status_code == 409


def test_back_to_back_bookings_are_fine(client, room):
    assert book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z").status_code == 201
    assert book(client, room, "2024-06-03T11:00:00Z", "2024-06-03T12:00:00Z").status_code == 201


def test_end_must_follow_start(client, room):
    response = book(client, room, "2024-06-03T11:00:00Z", "2024-06-03T10:00:00Z")
    assert response.status_code == 422


def test_cancelled_booking_frees_the_room(client, room):
    first = book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z").json()
    assert client.post(f"/bookings/{first['id']}/cancel").status_code == 200
    assert client.post(f"/bookings/{first['id']}/cancel").status_code == 409
    assert book(client, room, "2024-06-03T10:00:00Z", "2024-06-03T11:00:00Z").status_code == 201


def test_listing_pages_in_start_order(client, room):
    for hour in (9, 10, 11, 12, 13):
        book(client, room, f"2024-06-03T{hour:02}:00:00Z", f"2024-06-03T{hour:02}:30:00Z")
    first = client.get("/bookings", params={"limit": 3}).json()
    second = client.get("/bookings", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    starts = [b["starts_at"][11:16] for b in first["items"] + second["items"]]
    assert starts == ["09:00", "10:00", "11:00", "12:00", "13:00"]
    assert second["next_cursor"] is None
