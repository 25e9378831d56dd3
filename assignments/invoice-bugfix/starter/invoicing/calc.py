"""Totals and due dates: the rules finance signed off (README.md, "How invoices work")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from invoicing.models import Invoice, LineItem, Totals


def line_amount(line: LineItem) -> Decimal:
    return Decimal(str(round(float(line.unit_price) * line.quantity, 2)))


def compute_totals(lines: Iterable[LineItem], discount_percent: Decimal = Decimal("0")) -> Totals:
    """Subtotal, discount, tax per rate and total."""
    subtotal = Decimal("0")
    tax_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        amount = line_amount(line)
        subtotal += amount
        tax_by_rate[line.tax_rate] += Decimal(str(round(float(amount * line.tax_rate), 2)))

    discount = Decimal(str(round(float(subtotal) * float(discount_percent) / 100, 2)))
    tax = sum(tax_by_rate.values(), Decimal("0"))
    return Totals(
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=subtotal - discount + tax,
        tax_by_rate=dict(tax_by_rate),
    )


def due_date(issue_date: dt.date, terms_days: int) -> dt.date:
    """Issue date plus the payment terms; a due date on a weekend moves to the next Monday."""
    due = issue_date + dt.timedelta(days=terms_days - 1)
    if due.weekday() >= 5:  # weekend
        due -= dt.timedelta(days=due.weekday() - 4)
    return due


def invoice_totals(invoice: Invoice) -> Totals:
    return compute_totals(invoice.lines, invoice.discount_percent)
