"""Cases the README's examples do not cover: the boundaries each answer gets wrong first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import insert, utc


def test_easter_monday_invoice_uses_thursdays_rate_and_is_april_in_any_session_zone(db):
    insert(db, "customers", (1, "Birk Studio AB", "SE", "SEK", utc(2024, 1, 3, 9)))
    insert(db, "fx_rates", ("SEK", date(2024, 3, 28), Decimal("11.0000")),
           ("SEK", date(2024, 4, 2), Decimal("12.0000")))
    # 1 April 00:30 in Amsterdam, Easter Monday: no rate, so Thursday's.
    insert(db, "invoices", (1, 1, utc(2024, 3, 31, 22, 30), "SEK", 110_000, "paid"))
    for zone in ("UTC", "America/New_York"):
        db.execute(f"SET TimeZone = '{zone}'")
        assert db.execute("SELECT month, revenue_eur FROM revenue_by_month").fetchall() == [
            (date(2024, 4, 1), Decimal("100.00"))]


def test_isk_has_no_minor_unit(db):
    insert(db, "customers", (1, "Vega Hotel ehf.", "IS", "ISK", utc(2024, 1, 3, 9)))
    insert(db, "fx_rates", ("ISK", date(2024, 2, 1), Decimal("150.00")))
    insert(db, "invoices", (1, 1, utc(2024, 2, 1, 9), "ISK", 15_000, "paid"))
    assert db.execute("SELECT revenue_eur FROM revenue_by_month").fetchall() == [
        (Decimal("100.00"),)]


def test_returning_customer_is_reactivated(db):
    insert(db, "customers", (1, "Tulp Design B.V.", "NL", "EUR", utc(2024, 1, 3, 9)))
    insert(db, "subscriptions",
           (1, 1, "team", "month", 1, Decimal("24.00"), utc(2024, 1, 5, 9), utc(2024, 2, 5, 9)),
           (2, 1, "starter", "month", 1, Decimal("12.00"), utc(2024, 4, 5, 9), None))
    rows = db.execute("SELECT month, new_eur, reactivated_eur, churned_eur FROM mrr_by_month"
                      " ORDER BY month").fetchall()
    zero = Decimal("0.00")
    assert rows == [(date(2024, 1, 1), Decimal("24.00"), zero, zero),
                    (date(2024, 2, 1), zero, zero, Decimal("24.00")),
                    (date(2024, 3, 1), zero, zero, zero),
                    (date(2024, 4, 1), zero, Decimal("12.00"), zero)]


def test_mrr_is_rounded_after_summing(db):
    for customer in (1, 2, 3):
        insert(db, "customers", (customer, f"C{customer}", "NL", "EUR", utc(2024, 1, 3, 9)))
        insert(db, "subscriptions", (customer, customer, "basic-annual", "year", 1,
                                     Decimal("100.00"), utc(2024, 3, 4, 9), None))
    assert db.execute("SELECT mrr_eur FROM mrr_by_month").fetchall() == [(Decimal("25.00"),)]


def test_a_tie_for_last_place_lists_both(db):
    for customer, amount in ((1, 50_000), (2, 30_000), (3, 30_000)):
        insert(db, "customers", (customer, f"C{customer}", "DK", "EUR", utc(2024, 1, 3, 9)))
        insert(db, "invoices", (customer, customer, utc(2024, 5, 1, 9), "EUR", amount, "paid"))
    rows = db.execute("SELECT rank, customer_id FROM top_customers('2024-01-01', '2025-01-01', 2)"
                      ).fetchall()
    assert rows == [(1, 1), (2, 2), (2, 3)]


def test_thirty_minutes_exactly_is_one_session_and_restamped_retries_do_not_move(db):
    insert(db, "customers", (1, "Tulp Design B.V.", "NL", "EUR", utc(2024, 1, 3, 9)))
    a, b = "8d0e6a52-0000-4000-8000-000000000001", "8d0e6a52-0000-4000-8000-000000000002"
    insert(db, "app_events",
           (1, a, 7, 1, "invoice.sent", utc(2024, 5, 1, 9, 0), utc(2024, 5, 1, 9, 0, 1)),
           (2, b, 7, 1, "invoice.sent", utc(2024, 5, 1, 9, 30), utc(2024, 5, 1, 9, 30, 1)),
           (3, b, 7, 1, "invoice.sent", utc(2024, 5, 1, 11, 0), utc(2024, 5, 1, 11, 0, 1)))
    assert db.execute("SELECT session_number, events FROM user_sessions").fetchall() == [(1, 2)]
