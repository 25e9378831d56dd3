"""Hidden tests: the fixed behaviour from the bug report, and what must keep working."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from invoicing.calc import compute_totals, due_date, line_amount
from invoicing.models import Invoice, LineItem
from invoicing.render import format_money, render_invoice


def item(price: str, quantity: int = 1, rate: str = "0.23", description: str = "Item") -> LineItem:
    return LineItem(description, D(price), quantity, D(rate))


# --- BUG-1: rounding ------------------------------------------------------------------------


def test_line_amount_rounds_half_up():
    assert line_amount(item("1.005", 1)) == D("1.01"), (
        "1.005 must round half up to 1.01 (float(1.005) is 1.00499..., which rounds to 1.00)"
    )
    assert line_amount(item("0.0125", 2)) == D("0.03"), (
        "2 x 0.0125 = 0.025 rounds half up to 0.03 (banker's rounding gives 0.02)"
    )


def test_line_amount_half_cent_cases():
    cases = {("2.675", 1): D("2.68"), ("0.045", 1): D("0.05"), ("0.335", 3): D("1.01")}
    for (price, quantity), expected in cases.items():
        assert line_amount(item(price, quantity)) == expected, (
            f"{quantity} x {price} should be {expected}: binary floats cannot represent {price}"
        )


def test_amounts_are_decimals_with_cents():
    totals = compute_totals([item("19.99", 3)])
    for name in ("subtotal", "discount", "tax", "total"):
        value = getattr(totals, name)
        assert isinstance(value, D), f"{name} should be a Decimal, got {type(value).__name__}"
        assert value.as_tuple().exponent == -2, f"{name} should have exactly 2 decimals: {value}"


def test_tax_rounds_half_up():
    totals = compute_totals([item("0.50", 1, rate="0.23")])
    assert totals.tax == D("0.12"), "0.50 x 23 % = 0.115 rounds half up to 0.12"
    totals = compute_totals([item("2.50", 1, rate="0.23")])
    assert totals.tax == D("0.58"), "2.50 x 23 % = 0.575 rounds half up to 0.58"


def test_many_small_lines_do_not_drift():
    totals = compute_totals([item("0.10", 1, rate="0.00")] * 30)
    assert totals.subtotal == D("3.00"), f"30 x 0.10 is exactly 3.00, got {totals.subtotal}"


# --- BUG-2: discount before tax -------------------------------------------------------------


def test_tax_is_charged_on_the_discounted_amount():
    totals = compute_totals([item("100.00", 1, rate="0.23")], D("10"))
    assert totals.discount == D("10.00")
    assert totals.tax == D("20.70"), (
        "with a 10 % discount VAT is charged on 90.00 (20.70), not on 100.00 (23.00)"
    )
    assert totals.total == D("110.70"), "100.00 - 10.00 + 20.70"


def test_discount_with_several_tax_rates():
    lines = [item("180.00", 1, "0.23"), item("0.125", 3, "0.23"), item("45.50", 3, "0.06")]
    totals = compute_totals(lines, D("10"))
    assert totals.subtotal == D("316.88")
    assert totals.discount == D("31.69"), "10 % of 316.88 = 31.688 rounds to 31.69"
    assert totals.tax_by_rate == {D("0.23"): D("37.34"), D("0.06"): D("7.37")}, (
        "tax per rate is computed on each rate's discounted base and rounded once per rate"
    )
    assert totals.total == D("329.90")


def test_no_discount_is_unchanged():
    totals = compute_totals([item("10.00", 2, "0.23"), item("5.00", 1, "0.06")])
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (
        D("25.00"),
        D("0.00"),
        D("4.90"),
        D("29.90"),
    )


def test_full_discount_means_nothing_to_pay():
    totals = compute_totals([item("99.99", 1, "0.23")], D("100"))
    assert totals.total == D("0.00") and totals.tax == D("0.00"), "a 100 % discount owes nothing"


# --- BUG-3 and BUG-4: due dates -------------------------------------------------------------


def test_due_date_adds_the_full_payment_terms():
    assert due_date(dt.date(2024, 3, 5), 30) == dt.date(2024, 4, 4), (
        "net 30 from Tuesday 5 March is Thursday 4 April (not 3 April: no off-by-one)"
    )


def test_due_date_zero_terms_is_the_issue_date():
    assert due_date(dt.date(2024, 3, 6), 0) == dt.date(2024, 3, 6), "due on receipt"


def test_due_date_across_month_and_leap_day():
    assert due_date(dt.date(2024, 1, 31), 30) == dt.date(2024, 3, 1), "2024 has a 29 February"
    assert due_date(dt.date(2023, 1, 31), 30) == dt.date(2023, 3, 2)


def test_due_date_on_saturday_moves_to_monday():
    assert due_date(dt.date(2024, 3, 1), 15) == dt.date(2024, 3, 18), (
        "1 March + 15 days is Saturday 16 March, so the invoice is due Monday 18 March"
    )


def test_due_date_on_sunday_moves_to_monday():
    assert due_date(dt.date(2024, 3, 1), 30) == dt.date(2024, 4, 1), (
        "1 March + 30 days is Sunday 31 March, so the invoice is due Monday 1 April (not Tuesday)"
    )


def test_due_date_on_a_weekday_does_not_move():
    assert due_date(dt.date(2024, 3, 1), 14) == dt.date(2024, 3, 15), "Friday stays Friday"


# --- BUG-5: credit notes --------------------------------------------------------------------


def test_negative_amounts_put_the_sign_first():
    assert format_money(D("-5.00")) == "-€5.00", "a credit note reads -€5.00, not €-5.00"
    assert format_money(D("-1234.5"), "GBP") == "-£1,234.50"


def test_format_money_positive_amounts_still_work():
    assert format_money(D("1234.5")) == "€1,234.50"
    assert format_money(D("0")) == "€0.00"
    assert format_money(D("12.00"), "CHF") == "12.00 CHF", "no symbol: amount then the code"


def test_credit_note_totals():
    totals = compute_totals([item("-50.00", 1, "0.23")])
    assert totals.total == D("-61.50"), "credit notes have negative prices and negative totals"


# --- BUG-6: validation ----------------------------------------------------------------------


@pytest.mark.parametrize("discount", ["150", "-5", "100.01"])
def test_discount_outside_0_to_100_is_rejected(discount):
    with pytest.raises(ValueError):
        compute_totals([item("10.00")], D(discount))


@pytest.mark.parametrize("quantity", [0, -2])
def test_non_positive_quantity_is_rejected(quantity):
    with pytest.raises(ValueError):
        compute_totals([item("10.00", quantity)])


# --- the printed invoice --------------------------------------------------------------------


def test_rendered_invoice_uses_the_fixed_rules():
    invoice = Invoice(
        number="2024-0117",
        customer="Padaria Central, Lda.",
        issue_date=dt.date(2024, 3, 1),
        payment_terms_days=30,
        discount_percent=D("10"),
        lines=[item("180.00", 1, "0.23"), item("0.125", 3, "0.23"), item("45.50", 3, "0.06")],
    )
    text = render_invoice(invoice)
    assert "2024-04-01" in text, "the printed due date uses due_date()"
    assert "-€31.69" in text, "the discount line is a negative amount with the sign first"
    assert "€329.90" in text, "the printed total uses the fixed totals"
