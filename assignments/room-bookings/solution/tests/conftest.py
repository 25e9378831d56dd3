"""Tests run against a real PostgreSQL: DATABASE_URL (see the README). The schema is dropped
and migrated afresh once per run, and the tables emptied before each test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from rooms.app import create_app
from rooms.config import DEFAULT_DATABASE_URL, Settings
from rooms.migrate import migrate


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    migrate(url)
    return url


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE bookings, rooms RESTART IDENTITY CASCADE")
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


@pytest.fixture
def room(client: TestClient) -> dict:
    response = client.post("/rooms", json={"name": "Fjord", "capacity": 8})
    assert response.status_code == 201
    return response.json()
