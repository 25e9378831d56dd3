"""BK-212: many requests at once never leave two active bookings of a room that overlap, and
requests that do not clash all succeed, at once too."""

from __future__ import annotations

from conftest import active_count, active_overlaps, book, concurrently, new_room

ROUNDS = 4
AT_ONCE = 10


def why_500(codes: list[int]) -> str:
    """A hint for the answer's reader when the service failed under concurrent requests."""
    if 500 not in codes:
        return ""
    return ("; a 500 under requests at once is often a deadlock (SQLSTATE 40P01) or a "
            "serialization failure (40001) that the service lets through")


def test_identical_requests_at_once_book_once(api, db, room):
    for hour in range(8, 8 + ROUNDS):
        start, end = f"2030-02-04T{hour:02}:00:00Z", f"2030-02-04T{hour:02}:45:00Z"
        answers = concurrently([lambda s=start, e=end: book(api, room["id"], s, e)] * AT_ONCE)
        codes = sorted(r.status_code for r in answers)
        assert codes == [201] + [409] * (AT_ONCE - 1), (
            f"{AT_ONCE} identical requests at once for {start}: expected one 201 and 409 for "
            f"the rest, got {codes}{why_500(codes)}")
    assert active_overlaps(db, room["id"]) == [], "the bookings table holds overlapping bookings"
    assert active_count(db, room["id"]) == ROUNDS


def test_overlapping_requests_at_once_never_double_book(api, db, room):
    for round_ in range(ROUNDS):
        day = f"2030-02-{5 + round_:02}"
        calls = [lambda m=minute, d=day: book(api, room["id"], f"{d}T10:{m:02}:00+01:00",
                                              f"{d}T11:{m:02}:00+01:00")
                 for minute in range(0, 5 * AT_ONCE, 5)]
        answers = concurrently(calls)
        codes = [r.status_code for r in answers]
        assert set(codes) <= {201, 409}, (
            f"only 201 or 409 are right answers, got {codes}{why_500(codes)}")
        assert codes.count(201) == 1, (
            f"every request overlaps every other, so exactly one can win; got {codes}")
    assert active_overlaps(db, room["id"]) == [], "the bookings table holds overlapping bookings"


def test_separate_slots_at_once_all_succeed(api, db, room):
    calls = [lambda h=hour: book(api, room["id"], f"2030-02-11T{h:02}:00:00Z",
                                 f"2030-02-11T{h + 1:02}:00:00Z")
             for hour in range(7, 7 + AT_ONCE)]
    codes = [r.status_code for r in concurrently(calls)]
    assert codes == [201] * AT_ONCE, (
        f"back-to-back bookings of one room sent at once do not clash and must all be made: "
        f"{codes}{why_500(codes)}")
    assert active_count(db, room["id"]) == AT_ONCE


def test_separate_rooms_at_once_all_succeed(api, db):
    rooms = [new_room(api, "Pod") for _ in range(AT_ONCE)]
    calls = [lambda r=r: book(api, r["id"], "2030-02-12T09:00:00Z", "2030-02-12T10:00:00Z")
             for r in rooms]
    codes = [r.status_code for r in concurrently(calls)]
    assert codes == [201] * AT_ONCE, (
        f"the same hour in different rooms never clashes: {codes}{why_500(codes)}")


def test_cancel_and_rebook_at_once(api, db, room):
    first = book(api, room["id"], "2030-02-13T14:00:00Z", "2030-02-13T15:00:00Z").json()
    assert api.post(f"/bookings/{first['id']}/cancel").status_code == 200
    answers = concurrently([lambda: book(api, room["id"], "2030-02-13T14:30:00Z",
                                         "2030-02-13T15:30:00Z")] * AT_ONCE)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * (AT_ONCE - 1), (
        f"the cancelled booking frees the time, which exactly one request gets: {codes}"
        f"{why_500(codes)}")
    assert active_overlaps(db, room["id"]) == []
