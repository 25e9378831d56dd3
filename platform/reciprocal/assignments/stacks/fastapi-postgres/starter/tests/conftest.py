"""The tests run against a real PostgreSQL: DATABASE_URL (see the README). The tables are
created once per run and emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from notes.app import create_app
from notes.db import database_url
from notes.migrate import migrate


@pytest.fixture(scope="session")
def url() -> str:
    migrate(database_url())
    return database_url()


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE notes RESTART IDENTITY")
    with TestClient(create_app(url)) as client:
        yield client
