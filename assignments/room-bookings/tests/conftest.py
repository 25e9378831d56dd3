"""The service as its users reach it: migrated with `python -m rooms.migrate`, started with
uvicorn against the sandbox's PostgreSQL (DATABASE_URL, an empty database), called over HTTP.
Each test books in rooms of its own, so tests need no clean-up; some read the bookings table
directly to check the invariant the tickets are about."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import httpx
import psycopg
import pytest
from reciprocal_judge import free_port, submission

DATABASE_URL = os.environ["DATABASE_URL"]
T = TypeVar("T")


class Service:
    """A running instance of the candidate's service."""

    def __init__(self, database_url: str) -> None:
        env = {"DATABASE_URL": database_url}
        migrated = submission.run(["python3", "-m", "rooms.migrate"], env=env, timeout=120)
        assert migrated.returncode == 0, (
            f"`python -m rooms.migrate` failed ({migrated.returncode}):\n"
            f"{migrated.stdout[-1500:]}\n{migrated.stderr[-3000:]}")
        port = free_port()
        self.process = submission.start(
            ["python3", "-m", "uvicorn", "rooms.app:app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log"], env=env)
        self.process.wait_for_port(port, timeout=90)
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.process.stop()


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    running = Service(DATABASE_URL)
    yield running
    running.stop()


@pytest.fixture
def api(service: Service) -> Iterator[httpx.Client]:
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    with httpx.Client(base_url=service.url, timeout=60, limits=limits) as client:
        yield client


@pytest.fixture(scope="session")
def db() -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        yield conn


def new_room(api: httpx.Client, prefix: str = "Room") -> dict[str, Any]:
    response = api.post("/rooms", json={"name": f"{prefix} {uuid.uuid4().hex[:10]}",
                                        "capacity": 6})
    assert response.status_code == 201, f"POST /rooms: {response.status_code} {response.text}"
    return response.json()


@pytest.fixture
def room(api: httpx.Client) -> dict[str, Any]:
    return new_room(api)


def book(api: httpx.Client, room_id: int, starts_at: str, ends_at: str,
         title: str = "Planning") -> httpx.Response:
    return api.post("/bookings", json={"room_id": room_id, "title": title,
                                       "booked_by": "ingrid@example.com",
                                       "starts_at": starts_at, "ends_at": ends_at})


def instant(text: str) -> datetime:
    """A time the API returned, which must carry a UTC offset."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"{text!r} has no UTC offset"
    return value


def concurrently(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call at once (released together by a barrier); their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = call()
        except Exception as exc:  # reported by the test
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def active_overlaps(db: psycopg.Connection[Any], room_id: int) -> list[tuple[int, int]]:
    """Pairs of active bookings of the room that overlap, read from the database itself."""
    return db.execute(
        "SELECT a.id, b.id FROM bookings a JOIN bookings b"
        " ON a.room_id = b.room_id AND a.id < b.id"
        " WHERE a.room_id = %s AND a.cancelled_at IS NULL AND b.cancelled_at IS NULL"
        " AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at", (room_id,)).fetchall()


def active_count(db: psycopg.Connection[Any], room_id: int) -> int:
    row = db.execute("SELECT count(*) FROM bookings WHERE room_id = %s AND cancelled_at IS NULL",
                     (room_id,)).fetchone()
    return int(row[0]) if row else 0
