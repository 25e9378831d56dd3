"""The candidate's SQL against a real PostgreSQL with data of our own.

Once per run: a fresh public schema with the raw tables (our copy of schema/schema.sql), then
the candidate's sql/*.sql applied in name order with psql, in the submission's process, as
the README says. Before each test every table is emptied and the test loads the rows it is
about; the views and the function are read with a session TimeZone of UTC unless a test says
otherwise. Nothing here runs the candidate's code in this process: the views run in
PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from history import CURRENCIES, Dataset, load
from reciprocal_judge import submission

DATABASE_URL = os.environ["DATABASE_URL"]
SCHEMA = Path(__file__).with_name("schema.sql")
TABLES = ["app_events", "invoices", "subscriptions", "fx_rates", "customers", "currencies"]

# Each file on its own, so that one broken file does not hide the others' results. (Only
# the shell's own globbing and tests: coreutils' ls fails under the sandbox's kernel.)
APPLY = """
found=no
for f in sql/*.sql; do
  [ -f "$f" ] || continue
  found=yes
  echo "== $f"
  psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "$f" 2>&1 || echo "!! $f failed"
done
[ "$found" = yes ] || echo "no sql/*.sql files"
"""


class Warehouse:
    """A connection to the test's database, and the rows a test adds to it."""

    def __init__(self, conn: psycopg.Connection[Any], applied: str) -> None:
        self.conn = conn
        self.applied = applied
        self._ids = iter(range(1, 10**9))

    # Rows ------------------------------------------------------------------------------
    def rate(self, currency: str, day: date, units_per_eur: str) -> None:
        self.conn.execute("INSERT INTO fx_rates VALUES (%s, %s, %s)",
                          (currency, day, Decimal(units_per_eur)))

    def customer(self, customer_id: int, country: str | None = "NL", currency: str = "EUR",
                 name: str | None = None) -> int:
        self.conn.execute(
            "INSERT INTO customers VALUES (%s, %s, %s, %s, %s)",
            (customer_id, name or f"Customer {customer_id}", country, currency,
             datetime(2023, 1, 2, 9, 0, tzinfo=UTC)))
        return customer_id

    def invoice(self, customer_id: int, issued_at: datetime, amount_minor: int,
                currency: str = "EUR", status: str = "paid") -> int:
        invoice_id = next(self._ids)
        self.conn.execute("INSERT INTO invoices VALUES (%s, %s, %s, %s, %s, %s)",
                          (invoice_id, customer_id, issued_at, currency, amount_minor, status))
        return invoice_id

    def subscription(self, customer_id: int, started_at: datetime, ended_at: datetime | None,
                     price: str, seats: int = 1, period: str = "month",
                     plan: str = "team") -> int:
        subscription_id = next(self._ids)
        self.conn.execute(
            "INSERT INTO subscriptions VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (subscription_id, customer_id, plan, period, seats, Decimal(price), started_at,
             ended_at))
        return subscription_id

    def event(self, user_id: int, occurred_at: datetime | None, received_at: datetime,
              event_id: str, customer_id: int = 1, ingest_id: int | None = None,
              name: str = "invoice.sent") -> None:
        self.conn.execute(
            "INSERT INTO app_events VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (ingest_id if ingest_id is not None else next(self._ids), event_id, user_id,
             customer_id, name, occurred_at, received_at))

    def load(self, data: Dataset) -> None:
        """A generated dataset (it brings its own currencies)."""
        self.conn.execute("DELETE FROM currencies")
        with self.conn.transaction():
            load(self.conn, data)

    # Reading ---------------------------------------------------------------------------
    def rows(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(query, params).fetchall()
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedFunction) as exc:
            pytest.fail(f"{exc}\nApplying sql/*.sql said:\n{self.applied[-3000:]}",
                        pytrace=False)

    def columns(self, query: str) -> list[tuple[str, str]]:
        """(name, type) of each column the query returns, types as PostgreSQL names them."""
        try:
            cur = self.conn.execute(f"SELECT * FROM ({query}) AS q LIMIT 0")
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedFunction) as exc:
            pytest.fail(f"{exc}\nApplying sql/*.sql said:\n{self.applied[-3000:]}",
                        pytrace=False)
        names = {}
        for column in cur.description:
            if column.type_code not in names:
                names[column.type_code] = self.conn.execute(
                    "SELECT format_type(%s, NULL)", (column.type_code,)).fetchone()[0]
        return [(c.name, names[c.type_code]) for c in cur.description]

    def revenue(self) -> dict[tuple[date, str | None], tuple[int, Decimal]]:
        return {(month, _country(country)): (invoices, revenue) for month, country, invoices,
                revenue in self.rows("SELECT month, country, invoices, revenue_eur"
                                     " FROM revenue_by_month")}

    def mrr(self) -> list[dict[str, Any]]:
        cur = self.conn.cursor(row_factory=psycopg.rows.dict_row)
        try:
            return cur.execute(
                "SELECT month, mrr_eur, paying_customers, new_eur, reactivated_eur,"
                " expansion_eur, contraction_eur, churned_eur FROM mrr_by_month ORDER BY month"
            ).fetchall()
        except psycopg.errors.UndefinedTable as exc:
            pytest.fail(f"{exc}\nApplying sql/*.sql said:\n{self.applied[-3000:]}",
                        pytrace=False)

    def top(self, start: date, end: date, n: int) -> list[tuple[Any, ...]]:
        """As the function returns them, in its order."""
        return [(_country(c), rank, cid, revenue) for c, rank, cid, _name, revenue in self.rows(
            "SELECT country, rank, customer_id, company_name, revenue_eur"
            " FROM top_customers(%s, %s, %s)", (start, end, n))]

    def sessions(self) -> list[tuple[Any, ...]]:
        return self.rows("SELECT user_id, session_number, started_at, ended_at, events"
                         " FROM user_sessions ORDER BY user_id, session_number")


def _country(value: str | None) -> str | None:
    return value.strip() if value is not None else None


@pytest.fixture(scope="session")
def applied() -> str:
    """Fresh tables, then the candidate's sql/*.sql; what psql said (errors included)."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute(SCHEMA.read_text())
    done = submission.run(["sh", "-c", APPLY], timeout=120)
    return done.stdout + done.stderr


@pytest.fixture
def wh(applied: str) -> Iterator[Warehouse]:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO currencies VALUES (%s, %s)", sorted(CURRENCIES.items()))
        yield Warehouse(conn, applied)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def eur(text: str) -> Decimal:
    return Decimal(text)
