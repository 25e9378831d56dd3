"""Question 1: revenue_by_month, revenue per reporting month and country in EUR."""

from __future__ import annotations

from datetime import date

import history
import oracle
from conftest import eur, utc


def test_revenue_view_has_the_contracted_columns(wh):
    columns = wh.columns("SELECT * FROM revenue_by_month")
    assert [name for name, _ in columns] == ["month", "country", "invoices", "revenue_eur"]
    types = dict(columns)
    assert types["month"] == "date"
    assert types["country"] in ("text", "character", "character varying")
    assert types["invoices"] in ("bigint", "integer")
    assert types["revenue_eur"] == "numeric", "money is numeric, never floating point"


def test_eur_invoices_are_summed_per_month_and_country(wh):
    wh.customer(1, "NL")
    wh.customer(2, "NL")
    wh.customer(3, "DE")
    wh.invoice(1, utc(2024, 5, 6, 10, 0), 12_000)
    wh.invoice(2, utc(2024, 5, 20, 10, 0), 4_850)
    wh.invoice(3, utc(2024, 5, 21, 10, 0), 9_900)
    wh.invoice(1, utc(2024, 6, 6, 10, 0), 12_000)
    assert wh.revenue() == {
        (date(2024, 5, 1), "NL"): (2, eur("168.50")),
        (date(2024, 5, 1), "DE"): (1, eur("99.00")),
        (date(2024, 6, 1), "NL"): (1, eur("120.00")),
    }


def test_weekend_invoice_uses_the_latest_rate_before_it(wh):
    wh.customer(1, "SE", "SEK")
    wh.rate("SEK", date(2024, 6, 6), "11.0000")   # Thursday
    wh.rate("SEK", date(2024, 6, 7), "11.2500")   # Friday
    wh.rate("SEK", date(2024, 6, 10), "12.5000")  # Monday
    wh.invoice(1, utc(2024, 6, 8, 12, 0), 112_500, "SEK")  # Saturday: Friday's rate
    wh.invoice(1, utc(2024, 6, 10, 12, 0), 50_000, "SEK")  # Monday: Monday's rate
    assert wh.revenue() == {(date(2024, 6, 1), "SE"): (2, eur("140.00"))}, (
        "1125.00 SEK at Friday's 11.25 is 100.00 EUR; 500.00 SEK at Monday's 12.50 is 40.00")


def test_rate_is_looked_up_by_the_amsterdam_date(wh):
    """00:30 on 1 April 2024 in Amsterdam is still 31 March in UTC."""
    wh.customer(1, "GB", "GBP")
    wh.rate("GBP", date(2024, 3, 28), "0.8000")
    wh.rate("GBP", date(2024, 4, 2), "0.5000")
    wh.rate("GBP", date(2024, 4, 1), "0.9000")
    wh.invoice(1, utc(2024, 3, 31, 22, 30), 9_000, "GBP")
    assert wh.revenue() == {(date(2024, 4, 1), "GB"): (1, eur("100.00"))}, (
        "90.00 GBP on 1 April (Amsterdam) at that day's 0.90 is 100.00 EUR")


def test_months_are_amsterdam_calendar_months(wh):
    wh.customer(1, "NL")
    wh.invoice(1, utc(2024, 1, 31, 23, 30), 100)   # 1 Feb 00:30 in Amsterdam (CET)
    wh.invoice(1, utc(2024, 1, 31, 22, 59), 200)   # 31 Jan 23:59
    wh.invoice(1, utc(2024, 3, 31, 22, 0), 400)    # 1 Apr 00:00 (CEST)
    wh.invoice(1, utc(2024, 3, 31, 21, 59), 800)   # 31 Mar 23:59
    wh.invoice(1, utc(2024, 10, 31, 23, 0), 1600)  # 1 Nov 00:00 (CET again)
    assert wh.revenue() == {
        (date(2024, 1, 1), "NL"): (1, eur("2.00")),
        (date(2024, 2, 1), "NL"): (1, eur("1.00")),
        (date(2024, 3, 1), "NL"): (1, eur("8.00")),
        (date(2024, 4, 1), "NL"): (1, eur("4.00")),
        (date(2024, 11, 1), "NL"): (1, eur("16.00")),
    }


def test_minor_units_follow_the_currency(wh):
    wh.customer(1, "IS", "ISK")
    wh.customer(2, "DK", "DKK")
    wh.rate("ISK", date(2024, 2, 1), "150.00")
    wh.rate("DKK", date(2024, 2, 1), "7.5000")
    wh.invoice(1, utc(2024, 2, 1, 12, 0), 15_000, "ISK")   # 15 000 kr., no minor unit
    wh.invoice(2, utc(2024, 2, 1, 12, 0), 15_000, "DKK")   # 150.00 kr.
    assert wh.revenue() == {(date(2024, 2, 1), "IS"): (1, eur("100.00")),
                            (date(2024, 2, 1), "DK"): (1, eur("20.00"))}


def test_void_invoices_are_left_out_and_credit_notes_subtract(wh):
    wh.customer(1, "FR")
    wh.invoice(1, utc(2024, 7, 1, 9, 0), 50_000)
    wh.invoice(1, utc(2024, 7, 2, 9, 0), 70_000, status="void")
    wh.invoice(1, utc(2024, 7, 3, 9, 0), 3_000, status="open")
    wh.invoice(1, utc(2024, 7, 9, 9, 0), -12_500)
    assert wh.revenue() == {(date(2024, 7, 1), "FR"): (3, eur("405.00"))}


def test_month_with_only_void_invoices_has_no_row(wh):
    wh.customer(1, "FR")
    wh.invoice(1, utc(2024, 8, 1, 9, 0), 50_000, status="void")
    wh.invoice(1, utc(2024, 9, 1, 9, 0), 100)
    assert wh.revenue() == {(date(2024, 9, 1), "FR"): (1, eur("1.00"))}


def test_customers_without_a_country_are_a_row_of_their_own(wh):
    wh.customer(1, None)
    wh.customer(2, None)
    wh.customer(3, "BE")
    for customer in (1, 2, 3):
        wh.invoice(customer, utc(2024, 3, 5, 9, 0), 1_000)
    assert wh.revenue() == {(date(2024, 3, 1), None): (2, eur("20.00")),
                            (date(2024, 3, 1), "BE"): (1, eur("10.00"))}


def test_the_month_total_is_rounded_once(wh):
    """Three invoices of 1.00 SEK at 11.78 are 0.084889 EUR each: 0.25 in total, not 0.24."""
    wh.customer(1, "SE", "SEK")
    wh.rate("SEK", date(2024, 4, 2), "11.7800")
    for day in (2, 3, 4):
        wh.invoice(1, utc(2024, 4, day, 9, 0), 100, "SEK")
    assert wh.revenue() == {(date(2024, 4, 1), "SE"): (3, eur("0.25"))}


def test_results_do_not_depend_on_the_session_time_zone(wh):
    wh.customer(1, "NO", "NOK")
    wh.rate("NOK", date(2024, 4, 30), "10.0000")
    wh.rate("NOK", date(2024, 5, 2), "20.0000")
    wh.invoice(1, utc(2024, 4, 30, 22, 30), 100_000, "NOK")  # 1 May 00:30 in Amsterdam
    expected = {(date(2024, 5, 1), "NO"): (1, eur("100.00"))}
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        wh.conn.execute(f"SET TimeZone = '{zone}'")
        assert wh.revenue() == expected, f"with the session's TimeZone set to {zone}"


def test_revenue_matches_a_generated_history(wh):
    data = history.generate(seed=8_812, customers=140, active_users=0)
    wh.load(data)
    expected = oracle.revenue_by_month(data)
    actual = wh.revenue()
    assert len(actual) == len(expected)
    wrong = {k: (actual.get(k), v) for k, v in expected.items() if actual.get(k) != v}
    assert not wrong, f"(month, country): (yours, expected) for {len(wrong)} rows, e.g. " + \
        repr(dict(list(wrong.items())[:5]))
