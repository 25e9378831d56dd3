"""Invoices as the billing system stores them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class LineItem:
    description: str
    unit_price: Decimal  # in the invoice currency, before tax
    quantity: int
    tax_rate: Decimal  # 0.23 for 23 % VAT


@dataclass(frozen=True)
class Invoice:
    number: str
    customer: str
    issue_date: dt.date
    payment_terms_days: int
    currency: str = "EUR"
    discount_percent: Decimal = Decimal("0")
    lines: list[LineItem] = field(default_factory=list)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal  # sum of line amounts, before discount and tax
    discount: Decimal
    tax: Decimal
    total: Decimal
    tax_by_rate: dict[Decimal, Decimal]  # rate -> tax amount
