"""The README's worked examples, one per question, and the columns each answer must have.

They pass once the SQL is right for these cases; they are far from all the cases the README
describes. Add your own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import insert, utc


def columns(db, query: str) -> list[str]:
    return [c.name for c in db.execute(f"SELECT * FROM ({query}) AS q LIMIT 0").description]


def test_the_answers_have_the_contracted_columns(db):
    assert columns(db, "SELECT * FROM revenue_by_month") == [
        "month", "country", "invoices", "revenue_eur"]
    assert columns(db, "SELECT * FROM mrr_by_month") == [
        "month", "mrr_eur", "paying_customers", "new_eur", "reactivated_eur", "expansion_eur",
        "contraction_eur", "churned_eur"]
    assert columns(db, "SELECT * FROM top_customers(DATE '2024-01-01', DATE '2025-01-01', 3)") \
        == ["country", "rank", "customer_id", "company_name", "revenue_eur"]
    assert columns(db, "SELECT * FROM user_sessions") == [
        "user_id", "session_number", "started_at", "ended_at", "events"]


def test_revenue_example(db):
    insert(db, "customers",
           (1, "Fjell Bygg AS", "NO", "NOK", utc(2024, 1, 3, 9)),
           (2, "Tulp Design B.V.", "NL", "EUR", utc(2024, 1, 3, 9)))
    insert(db, "fx_rates", ("NOK", date(2024, 5, 31), Decimal("11.2500")))
    insert(db, "invoices",
           (1, 1, utc(2024, 5, 31, 10, 0), "NOK", 270_000, "paid"),
           (2, 1, utc(2024, 6, 1, 10, 0), "NOK", 22_500, "open"),   # Saturday: Friday's rate
           (3, 2, utc(2024, 5, 31, 22, 30), "EUR", 4_900, "paid"),  # 1 June in Amsterdam
           (4, 2, utc(2024, 6, 3, 10, 0), "EUR", 9_900, "void"))
    rows = db.execute("SELECT month, country, invoices, revenue_eur FROM revenue_by_month"
                      " ORDER BY month, country").fetchall()
    assert rows == [(date(2024, 5, 1), "NO", 1, Decimal("240.00")),
                    (date(2024, 6, 1), "NL", 1, Decimal("49.00")),
                    (date(2024, 6, 1), "NO", 1, Decimal("20.00"))]


def test_mrr_example(db):
    insert(db, "customers", (1, "Tulp Design B.V.", "NL", "EUR", utc(2024, 1, 3, 9)))
    insert(db, "subscriptions",
           (1, 1, "team", "month", 2, Decimal("24.00"), utc(2024, 1, 17, 9), utc(2024, 2, 20, 9)),
           (2, 1, "team-annual", "year", 3, Decimal("240.00"), utc(2024, 2, 20, 9),
            utc(2024, 3, 31, 22, 0)))  # cancelled effective 1 April 00:00 in Amsterdam
    rows = db.execute("SELECT * FROM mrr_by_month ORDER BY month").fetchall()
    zero = Decimal("0.00")
    assert rows == [
        (date(2024, 1, 1), Decimal("48.00"), 1, Decimal("48.00"), zero, zero, zero, zero),
        (date(2024, 2, 1), Decimal("60.00"), 1, zero, zero, Decimal("12.00"), zero, zero),
        (date(2024, 3, 1), Decimal("60.00"), 1, zero, zero, zero, zero, zero),
        (date(2024, 4, 1), zero, 0, zero, zero, zero, zero, Decimal("60.00")),
    ]


def test_top_customers_example(db):
    insert(db, "customers",
           (1, "Birk Studio AB", "SE", "EUR", utc(2024, 1, 3, 9)),
           (2, "Solna Media AB", "SE", "EUR", utc(2024, 1, 3, 9)),
           (3, "Lund Advokat AB", "SE", "EUR", utc(2024, 1, 3, 9)),
           (4, "Delta Hotel", None, "EUR", utc(2024, 1, 3, 9)))
    insert(db, "invoices",
           (1, 1, utc(2024, 3, 1, 9), "EUR", 30_000, "paid"),
           (2, 2, utc(2024, 3, 1, 9), "EUR", 30_000, "paid"),
           (3, 3, utc(2024, 3, 1, 9), "EUR", 10_000, "paid"),
           (4, 4, utc(2024, 3, 1, 9), "EUR", 5_000, "paid"))
    rows = db.execute("SELECT * FROM top_customers(DATE '2024-01-01', DATE '2024-07-01', 1)"
                      ).fetchall()
    assert rows == [("SE", 1, 1, "Birk Studio AB", Decimal("300.00")),
                    ("SE", 1, 2, "Solna Media AB", Decimal("300.00")),
                    (None, 1, 4, "Delta Hotel", Decimal("50.00"))]


def test_sessions_example(db):
    insert(db, "customers", (1, "Tulp Design B.V.", "NL", "EUR", utc(2024, 1, 3, 9)))
    a, b, c, d = (f"8d0e6a52-0000-4000-8000-00000000000{n}" for n in range(1, 5))
    insert(db, "app_events",
           (1, a, 42, 1, "invoice.created", utc(2024, 10, 7, 9, 0), utc(2024, 10, 7, 9, 0, 2)),
           (2, b, 42, 1, "invoice.sent", utc(2024, 10, 7, 9, 30), utc(2024, 10, 7, 9, 30, 1)),
           (3, b, 42, 1, "invoice.sent", utc(2024, 10, 7, 9, 30), utc(2024, 10, 7, 9, 31)),
           (4, c, 42, 1, "report.opened", utc(2024, 10, 7, 10, 1), utc(2024, 10, 7, 10, 1)),
           (5, d, 42, 1, "bank.synced", None, utc(2024, 10, 7, 10, 5)))
    rows = db.execute("SELECT * FROM user_sessions ORDER BY user_id, session_number").fetchall()
    assert rows == [(42, 1, utc(2024, 10, 7, 9, 0), utc(2024, 10, 7, 9, 30), 2),
                    (42, 2, utc(2024, 10, 7, 10, 1), utc(2024, 10, 7, 10, 1), 1)]
