"""The tests run against a real PostgreSQL: DATABASE_URL (see the README).

Once per run the public schema of that database is dropped and re-created with the raw
tables, and sql/*.sql applied in name order. Before each test every table is emptied, so a
test loads exactly the rows it is about. The session's TimeZone is UTC, like our servers'."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from warehouse.build import apply_sql, database_url, reset
from warehouse.seed import CURRENCIES

TABLES = "app_events, invoices, subscriptions, fx_rates, customers, currencies"


@pytest.fixture(scope="session")
def url() -> str:
    with psycopg.connect(database_url(), autocommit=True) as conn:
        reset(conn)
        apply_sql(conn)
    return database_url()


@pytest.fixture
def db(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute(f"TRUNCATE {TABLES}")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO currencies VALUES (%s, %s)", sorted(CURRENCIES.items()))
        yield conn


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def insert(db: psycopg.Connection[Any], table: str, *rows: tuple[Any, ...]) -> None:
    placeholders = ", ".join(["%s"] * len(rows[0]))
    with db.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} VALUES ({placeholders})",
                        [tuple(Decimal(v) if isinstance(v, float) else v for v in row)
                         for row in rows])
