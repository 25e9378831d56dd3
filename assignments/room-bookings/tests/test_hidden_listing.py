"""BK-219: following next_cursor lists every active booking once, in (starts_at, id) order,
however many bookings start at the same time. The expected order comes from the times these
tests sent, so these tests do not depend on how times are answered (BK-224)."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import book, new_room

WINDOW = {"from": "2031-03-03T00:00:00Z", "to": "2031-03-04T00:00:00Z"}


@pytest.fixture(scope="module")
def monday(service):
    """Five rooms with stand-ups at 09:00 and 09:30 and a few other meetings: 14 bookings, as
    (start sent, id, room id)."""
    import httpx

    with httpx.Client(base_url=service.url, timeout=60) as api:
        rooms = [new_room(api, "Team") for _ in range(5)]
        made = []
        for start, end in (("09:00", "09:15"), ("09:30", "09:45")):
            for room in rooms:
                sent = f"2031-03-03T{start}:00+01:00"
                answer = book(api, room["id"], sent, f"2031-03-03T{end}:00+01:00",
                              title="Stand-up")
                assert answer.status_code == 201, answer.text
                made.append((datetime.fromisoformat(sent), answer.json()["id"], room["id"]))
        for room, hour in zip(rooms[:4], (11, 13, 13, 16), strict=True):
            sent = f"2031-03-03T{hour}:00:00+01:00"
            answer = book(api, room["id"], sent, f"2031-03-03T{hour}:30:00+01:00")
            assert answer.status_code == 201, answer.text
            made.append((datetime.fromisoformat(sent), answer.json()["id"], room["id"]))
        # A cancelled one, which the listing leaves out.
        gone = book(api, rooms[4]["id"], "2031-03-03T13:00:00+01:00",
                    "2031-03-03T14:00:00+01:00").json()
        assert api.post(f"/bookings/{gone['id']}/cancel").status_code == 200
        return made


def pages(api, limit, **params):
    seen, cursor, count = [], None, 0
    while True:
        query = dict(WINDOW, limit=limit, **params)
        if cursor is not None:
            query["cursor"] = cursor
        response = api.get("/bookings", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        seen.extend(body["items"])
        cursor, count = body["next_cursor"], count + 1
        if cursor is None:
            return seen
        assert count < 50, "next_cursor never ends"


@pytest.mark.parametrize("limit", [1, 3, 5, 14, 50])
def test_paging_lists_every_booking_once(api, monday, limit):
    listed = [b["id"] for b in pages(api, limit)]
    expected = [booking_id for _start, booking_id, _room in sorted(monday)]
    assert sorted(listed) == sorted(expected), (
        f"with limit={limit}, missing {sorted(set(expected) - set(listed))}, "
        f"listed twice {sorted({i for i in listed if listed.count(i) > 1})}")
    assert listed == expected, "bookings are listed by start time, then by id"


def test_paging_one_room(api, monday):
    room_id = monday[0][2]
    listed = [b["id"] for b in pages(api, 1, room_id=room_id)]
    assert listed == [booking_id for _start, booking_id, room in sorted(monday)
                      if room == room_id]


def test_foreign_cursor_is_a_400(api, monday):
    for cursor in ("not-a-cursor", "MjAyNC0wNi0wMw", "%%%"):
        response = api.get("/bookings", params={"cursor": cursor})
        assert response.status_code == 400, (
            f"cursor {cursor!r}: a cursor the service did not make is a 400, got "
            f"{response.status_code}")


def test_from_and_to_respect_offsets(api):
    room = new_room(api)
    made = book(api, room["id"], "2031-04-07T09:30:00+02:00", "2031-04-07T10:00:00+02:00")
    assert made.status_code == 201
    listed = api.get("/bookings", params={"room_id": room["id"],
                                          "from": "2031-04-07T07:30:00Z",
                                          "to": "2031-04-07T07:31:00Z"}).json()["items"]
    assert [b["id"] for b in listed] == [made.json()["id"]], (
        "09:30+02:00 is 07:30Z: it starts inside [07:30Z, 07:31Z)")
    later = api.get("/bookings", params={"room_id": room["id"],
                                         "from": "2031-04-07T09:00:00+02:00",
                                         "to": "2031-04-07T09:30:00+02:00"}).json()["items"]
    assert later == [], "`to` is exclusive"
