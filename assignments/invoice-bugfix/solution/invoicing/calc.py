"""Totals and due dates: the rules finance signed off (README.md, "How invoices work")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from invoicing.models import Invoice, LineItem, Totals

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def to_cents(amount: Decimal) -> Decimal:
    """Round to cents, halves away from zero (0.125 -> 0.13), as our accountants do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(line: LineItem) -> Decimal:
    if line.quantity <= 0:
        raise ValueError(f"quantity must be positive, got {line.quantity} for {line.description!r}")
    return to_cents(line.unit_price * line.quantity)


def compute_totals(lines: Iterable[LineItem], discount_percent: Decimal = Decimal("0")) -> Totals:
    """Subtotal, discount, tax per rate and total.

    The discount applies before tax: tax is charged on what the customer actually pays.
    """
    discount_percent = Decimal(discount_percent)
    if not Decimal("0") <= discount_percent <= HUNDRED:
        raise ValueError(f"discount must be between 0 and 100 %, got {discount_percent}")
    keep = 1 - discount_percent / HUNDRED

    subtotal = Decimal("0.00")
    base_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        amount = line_amount(line)
        subtotal += amount
        base_by_rate[line.tax_rate] += amount

    discount = to_cents(subtotal * discount_percent / HUNDRED)
    tax_by_rate = {rate: to_cents(base * keep * rate) for rate, base in base_by_rate.items()}
    tax = sum(tax_by_rate.values(), Decimal("0.00"))
    return Totals(
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=subtotal - discount + tax,
        tax_by_rate=tax_by_rate,
    )


def due_date(issue_date: dt.date, terms_days: int) -> dt.date:
    """Issue date plus the payment terms; a due date on a weekend moves to the next Monday."""
    if terms_days < 0:
        raise ValueError(f"payment terms cannot be negative, got {terms_days}")
    due = issue_date + dt.timedelta(days=terms_days)
    if due.weekday() >= 5:  # Saturday is 5, Sunday is 6
        due += dt.timedelta(days=7 - due.weekday())
    return due


def invoice_totals(invoice: Invoice) -> Totals:
    return compute_totals(invoice.lines, invoice.discount_percent)
