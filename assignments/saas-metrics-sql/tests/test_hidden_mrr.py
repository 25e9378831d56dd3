"""Question 2: mrr_by_month, MRR at each month's end and its movements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import history
import oracle
from conftest import eur, utc

MOVEMENTS = ("new_eur", "reactivated_eur", "expansion_eur", "contraction_eur", "churned_eur")


def row(month: date, mrr: str, paying: int, **moves: str) -> dict:
    values = {"month": month, "mrr_eur": eur(mrr), "paying_customers": paying}
    values.update({m: eur(moves.get(m.removesuffix("_eur"), "0")) for m in MOVEMENTS})
    return values


def test_mrr_view_has_the_contracted_columns(wh):
    columns = wh.columns("SELECT * FROM mrr_by_month")
    assert [name for name, _ in columns] == [
        "month", "mrr_eur", "paying_customers", "new_eur", "reactivated_eur", "expansion_eur",
        "contraction_eur", "churned_eur"]
    types = dict(columns)
    assert types["month"] == "date"
    assert types["paying_customers"] in ("bigint", "integer")
    for money in ("mrr_eur", *MOVEMENTS):
        assert types[money] == "numeric", f"{money} is numeric, never floating point"


def test_a_customers_story_new_expansion_contraction_churn(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 1, 10, 9), utc(2024, 3, 15, 9), "24.00", seats=2)
    wh.subscription(1, utc(2024, 3, 15, 9), utc(2024, 4, 20, 9), "24.00", seats=5)
    wh.subscription(1, utc(2024, 4, 20, 9), utc(2024, 5, 2, 9), "12.00", seats=5)
    assert wh.mrr() == [
        row(date(2024, 1, 1), "48.00", 1, new="48.00"),
        row(date(2024, 2, 1), "48.00", 1),
        row(date(2024, 3, 1), "120.00", 1, expansion="72.00"),
        row(date(2024, 4, 1), "60.00", 1, contraction="60.00"),
        row(date(2024, 5, 1), "0.00", 0, churned="60.00"),
    ]


def test_months_without_changes_still_have_a_row(wh):
    wh.customer(1)
    wh.customer(2)
    wh.subscription(1, utc(2023, 11, 5, 9), None, "12.00")
    wh.subscription(2, utc(2024, 3, 5, 9), None, "24.00")
    assert [r["month"] for r in wh.mrr()] == [
        date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1),
        date(2024, 3, 1)]
    assert wh.mrr()[2] == row(date(2024, 1, 1), "12.00", 1)


def test_last_month_is_the_latest_start_or_end(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 1, 5, 9), utc(2024, 4, 5, 9), "12.00")
    months = wh.mrr()
    assert [r["month"] for r in months] == [date(2024, m, 1) for m in (1, 2, 3, 4)]
    assert months[-1] == row(date(2024, 4, 1), "0.00", 0, churned="12.00")


def test_yearly_plans_count_a_twelfth_per_month(wh):
    wh.customer(1)
    wh.customer(2)
    wh.subscription(1, utc(2024, 2, 1, 9), None, "468.00", seats=3, period="year")
    wh.subscription(2, utc(2024, 2, 3, 9), None, "12.00", seats=4)
    assert wh.mrr() == [row(date(2024, 2, 1), "165.00", 2, new="165.00")]


def test_a_returning_customer_is_reactivated_not_new(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 1, 10, 9), utc(2024, 2, 10, 9), "24.00")
    wh.subscription(1, utc(2024, 4, 3, 9), None, "12.00", seats=3)
    assert wh.mrr() == [
        row(date(2024, 1, 1), "24.00", 1, new="24.00"),
        row(date(2024, 2, 1), "0.00", 0, churned="24.00"),
        row(date(2024, 3, 1), "0.00", 0),
        row(date(2024, 4, 1), "36.00", 1, reactivated="36.00"),
    ]


def test_a_subscription_within_one_month_never_counts(wh):
    """Live at no month's end: it is not MRR, and the customer is new when they do pay."""
    wh.customer(1)
    wh.subscription(1, utc(2024, 5, 3, 9), utc(2024, 5, 20, 9), "24.00")
    wh.subscription(1, utc(2024, 7, 1, 9), None, "24.00")
    assert wh.mrr() == [
        row(date(2024, 5, 1), "0.00", 0),
        row(date(2024, 6, 1), "0.00", 0),
        row(date(2024, 7, 1), "24.00", 1, new="24.00"),
    ]


def test_cancellation_at_midnight_on_the_first_counts_in_the_month_before(wh):
    wh.customer(1)
    wh.customer(2)
    # 1 July 00:00 in Amsterdam (CEST) is 30 June 22:00 UTC
    wh.subscription(1, utc(2024, 5, 10, 9), utc(2024, 6, 30, 22, 0), "24.00")
    # one minute earlier: it ended in June
    wh.subscription(2, utc(2024, 5, 10, 9), utc(2024, 6, 30, 21, 59), "12.00")
    assert wh.mrr() == [
        row(date(2024, 5, 1), "36.00", 2, new="36.00"),
        row(date(2024, 6, 1), "24.00", 1, churned="12.00"),
        row(date(2024, 7, 1), "0.00", 0, churned="24.00"),
    ]


def test_a_start_at_midnight_on_the_first_belongs_to_that_month(wh):
    wh.customer(1)
    wh.customer(2)
    wh.subscription(1, utc(2024, 1, 20, 9), None, "12.00")
    wh.subscription(2, utc(2024, 1, 31, 23, 0), None, "24.00")  # 1 Feb 00:00 in Amsterdam
    assert wh.mrr() == [row(date(2024, 1, 1), "12.00", 1, new="12.00"),
                        row(date(2024, 2, 1), "36.00", 2, new="24.00")]


def test_an_upgrade_mid_month_is_expansion_not_churn_and_new(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 8, 2, 9), utc(2024, 9, 14, 11), "12.00", plan="starter")
    wh.subscription(1, utc(2024, 9, 14, 11), None, "240.00", period="year", plan="team-annual")
    assert wh.mrr() == [row(date(2024, 8, 1), "12.00", 1, new="12.00"),
                        row(date(2024, 9, 1), "20.00", 1, expansion="8.00")]


def test_add_ons_are_summed_per_customer(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 8, 2, 9), None, "24.00", seats=2)
    wh.subscription(1, utc(2024, 9, 5, 9), utc(2024, 10, 5, 9), "5.00", plan="bank-sync")
    assert wh.mrr() == [row(date(2024, 8, 1), "48.00", 1, new="48.00"),
                        row(date(2024, 9, 1), "53.00", 1, expansion="5.00"),
                        row(date(2024, 10, 1), "48.00", 1, contraction="5.00")]


def test_a_free_plan_is_not_paying(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 2, 5, 9), utc(2024, 3, 5, 9), "12.00", seats=2)
    wh.subscription(1, utc(2024, 3, 5, 9), None, "0.00", seats=2, plan="free")
    assert wh.mrr() == [row(date(2024, 2, 1), "24.00", 1, new="24.00"),
                        row(date(2024, 3, 1), "0.00", 0, churned="24.00")]


def test_totals_are_rounded_after_summing(wh):
    """Three customers on 100.00 a year: 8.3333... each, 25.00 in total (not 24.99)."""
    for customer in (1, 2, 3):
        wh.customer(customer)
        wh.subscription(customer, utc(2024, 3, customer, 9), None, "100.00", period="year")
    assert wh.mrr() == [row(date(2024, 3, 1), "25.00", 3, new="25.00")]


def test_mrr_does_not_depend_on_the_session_time_zone(wh):
    wh.customer(1)
    wh.subscription(1, utc(2024, 5, 10, 9), utc(2024, 6, 30, 22, 0), "24.00")
    expected = [row(date(2024, 5, 1), "24.00", 1, new="24.00"),
                row(date(2024, 6, 1), "24.00", 1),
                row(date(2024, 7, 1), "0.00", 0, churned="24.00")]
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Auckland"):
        wh.conn.execute(f"SET TimeZone = '{zone}'")
        assert wh.mrr() == expected, f"with the session's TimeZone set to {zone}"


def test_mrr_matches_a_generated_history(wh):
    data = history.generate(seed=31_337, customers=220, active_users=0)
    wh.load(data)
    expected = oracle.mrr_by_month(data)
    actual = wh.mrr()
    assert [r["month"] for r in actual] == [r["month"] for r in expected]
    wrong = [(a, e) for a, e in zip(actual, expected) if a != e]
    assert not wrong, f"{len(wrong)} months differ; the first (yours, expected): {wrong[0]}"


def test_movements_reconcile_month_to_month(wh):
    data = history.generate(seed=4_242, customers=160, active_users=0)
    wh.load(data)
    previous = Decimal(0)
    for month in wh.mrr():
        moved = (previous + month["new_eur"] + month["reactivated_eur"] + month["expansion_eur"]
                 - month["contraction_eur"] - month["churned_eur"])
        assert abs(moved - month["mrr_eur"]) <= Decimal("0.05"), (
            f"{month['month']}: last month's MRR plus the movements is {moved}, "
            f"but mrr_eur is {month['mrr_eur']}")
        previous = month["mrr_eur"]
