"""Question 3: top_customers(period_start, period_end, n), the biggest customers per country."""

from __future__ import annotations

from datetime import date

import history
import oracle
from conftest import eur, utc

YEAR = (date(2024, 1, 1), date(2025, 1, 1))


def test_function_returns_the_contracted_columns(wh):
    columns = wh.columns("SELECT * FROM top_customers(DATE '2024-01-01', DATE '2025-01-01', 3)")
    assert [name for name, _ in columns] == [
        "country", "rank", "customer_id", "company_name", "revenue_eur"]
    types = dict(columns)
    assert types["country"] in ("text", "character", "character varying")
    assert types["rank"] in ("bigint", "integer")
    assert types["customer_id"] == "bigint"
    assert types["revenue_eur"] == "numeric"


def test_the_n_biggest_of_each_country_in_order(wh):
    for customer, country, amount in ((1, "NL", 50_000), (2, "NL", 90_000), (3, "NL", 10_000),
                                      (4, "NL", 70_000), (5, "DE", 20_000), (6, "BE", 30_000),
                                      (7, "BE", 40_000)):
        wh.customer(customer, country)
        wh.invoice(customer, utc(2024, 5, 1, 9), amount)
    assert wh.top(*YEAR, 2) == [
        ("BE", 1, 7, eur("400.00")), ("BE", 2, 6, eur("300.00")),
        ("DE", 1, 5, eur("200.00")),
        ("NL", 1, 2, eur("900.00")), ("NL", 2, 4, eur("700.00")),
    ]


def test_company_name_comes_from_the_customer(wh):
    wh.customer(1, "NO", name="Fjell Bygg AS")
    wh.invoice(1, utc(2024, 5, 1, 9), 1_000)
    names = wh.rows("SELECT company_name FROM top_customers(DATE '2024-01-01',"
                    " DATE '2025-01-01', 1)")
    assert names == [("Fjell Bygg AS",)]


def test_ties_share_a_rank_and_a_tie_for_last_place_lists_everyone(wh):
    for customer, amount in ((1, 50_000), (2, 80_000), (3, 80_000), (4, 30_000), (5, 30_000),
                             (6, 10_000)):
        wh.customer(customer, "SE", "EUR")
        wh.invoice(customer, utc(2024, 2, 1, 9), amount)
    assert wh.top(*YEAR, 4) == [
        ("SE", 1, 2, eur("800.00")), ("SE", 1, 3, eur("800.00")), ("SE", 3, 1, eur("500.00")),
        ("SE", 4, 4, eur("300.00")), ("SE", 4, 5, eur("300.00")),
    ]
    assert wh.top(*YEAR, 1) == [("SE", 1, 2, eur("800.00")), ("SE", 1, 3, eur("800.00"))]


def test_ties_are_decided_on_rounded_cents(wh):
    """100.005 EUR is 100.01 to the cent: tied with a customer on exactly 100.01."""
    wh.customer(1, "GB", "GBP")
    wh.customer(2, "GB", "EUR")
    wh.rate("GBP", date(2024, 1, 2), "0.800000")
    wh.invoice(1, utc(2024, 3, 1, 9), 8_000, "GBP")    # 100.00 EUR
    wh.rate("GBP", date(2024, 3, 4), "2.000000")
    wh.invoice(1, utc(2024, 3, 4, 9), 1, "GBP")         # +0.005 EUR: 100.005 -> 100.01
    wh.invoice(2, utc(2024, 3, 1, 9), 10_001)           # 100.01
    assert wh.top(*YEAR, 1) == [("GB", 1, 1, eur("100.01")), ("GB", 1, 2, eur("100.01"))]


def test_the_period_is_half_open_in_amsterdam_dates(wh):
    wh.customer(1, "NL")
    wh.customer(2, "NL")
    wh.customer(3, "NL")
    wh.invoice(1, utc(2024, 2, 29, 23, 30), 10_000)  # 1 March 00:30 in Amsterdam: inside
    wh.invoice(2, utc(2024, 2, 29, 22, 30), 90_000)  # 29 February 23:30: before
    wh.invoice(3, utc(2024, 3, 31, 21, 30), 20_000)  # 31 March 23:30 (CEST): inside
    wh.invoice(2, utc(2024, 3, 31, 22, 30), 90_000)  # 1 April 00:30: after
    assert wh.top(date(2024, 3, 1), date(2024, 4, 1), 5) == [
        ("NL", 1, 3, eur("200.00")), ("NL", 2, 1, eur("100.00"))]


def test_credit_notes_count_and_customers_without_positive_revenue_are_left_out(wh):
    wh.customer(1, "DK", "DKK")
    wh.customer(2, "DK", "DKK")
    wh.customer(3, "DK", "DKK")
    wh.customer(4, "DK", "DKK")
    wh.rate("DKK", date(2024, 1, 2), "7.500000")
    wh.invoice(1, utc(2024, 6, 3, 9), 75_000, "DKK")
    wh.invoice(1, utc(2024, 6, 9, 9), -45_000, "DKK")   # credit note: 40.00 EUR net
    wh.invoice(2, utc(2024, 6, 3, 9), 30_000, "DKK")
    wh.invoice(2, utc(2024, 6, 4, 9), -30_000, "DKK")   # fully credited: 0.00
    wh.invoice(3, utc(2024, 6, 3, 9), 99_000, "DKK", status="void")
    wh.invoice(4, utc(2024, 6, 3, 9), 22_500, "DKK", status="open")
    assert wh.top(*YEAR, 10) == [("DK", 1, 1, eur("40.00")), ("DK", 2, 4, eur("30.00"))]


def test_customers_without_a_country_come_last(wh):
    wh.customer(1, None)
    wh.customer(2, "PL")
    wh.customer(3, "AT")
    wh.customer(4, None)
    for customer in (1, 2, 3, 4):
        wh.invoice(customer, utc(2024, 9, 9, 9), 1_000 * customer)
    assert wh.top(*YEAR, 3) == [("AT", 1, 3, eur("30.00")), ("PL", 1, 2, eur("20.00")),
                                (None, 1, 4, eur("40.00")), (None, 2, 1, eur("10.00"))]


def test_n_below_one_lists_nobody(wh):
    wh.customer(1, "NL")
    wh.invoice(1, utc(2024, 9, 9, 9), 1_000)
    assert wh.top(*YEAR, 0) == []


def test_top_customers_match_a_generated_history(wh):
    data = history.generate(seed=77_001, customers=260, active_users=0)
    wh.load(data)
    for start, end, n in ((date(2024, 1, 1), date(2025, 1, 1), 3),
                          (date(2023, 7, 1), date(2023, 10, 1), 2),
                          (date(2024, 12, 1), date(2025, 1, 1), 5)):
        assert wh.top(start, end, n) == oracle.top_customers(data, start, end, n), (
            f"top_customers('{start}', '{end}', {n})")
