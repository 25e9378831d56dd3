"""The service as its users reach it: created with `python -m notes.migrate`, started with
uvicorn against the sandbox's PostgreSQL (DATABASE_URL, an empty database, started by the
harness for [[services]]), called over HTTP. Each test makes notes of its own with a word no
other test uses, so tests need no clean-up."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from reciprocal_judge import free_port, submission

DATABASE_URL = os.environ["DATABASE_URL"]


@pytest.fixture(scope="session")
def service() -> Iterator[str]:
    env = {"DATABASE_URL": DATABASE_URL}
    migrated = submission.run(["python3", "-m", "notes.migrate"], env=env, timeout=120)
    assert migrated.returncode == 0, (
        f"`python -m notes.migrate` failed ({migrated.returncode}):\n{migrated.stderr[-3000:]}")
    port = free_port()
    process = submission.start(["python3", "-m", "uvicorn", "notes.app:app", "--host",
                                "127.0.0.1", "--port", str(port), "--no-access-log"], env=env)
    process.wait_for_port(port, timeout=90)
    yield f"http://127.0.0.1:{port}"
    process.stop()


@pytest.fixture
def api(service: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def db() -> Iterator[psycopg.Connection[Any]]:
    """The database itself, to check what the service stored."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        yield conn


@pytest.fixture
def word() -> str:
    """A word no other test's notes contain."""
    return "w" + uuid.uuid4().hex[:12]


def new_note(api: httpx.Client, title: str, body: str = "") -> dict[str, Any]:
    response = api.post("/notes", json={"title": title, "body": body})
    assert response.status_code == 201, f"POST /notes: {response.status_code} {response.text}"
    return response.json()


def search(api: httpx.Client, q: str) -> list[dict[str, Any]]:
    response = api.get("/notes", params={"q": q})
    assert response.status_code == 200, f"GET /notes?q=: {response.status_code} {response.text}"
    return response.json()["items"]
