"""The plain-text invoice we e-mail to customers."""

from __future__ import annotations

from decimal import Decimal

from invoicing.calc import due_date, invoice_totals, line_amount
from invoicing.models import Invoice

SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def format_money(amount: Decimal, currency: str = "EUR") -> str:
    """``Decimal("-1234.5")`` -> ``"-€1,234.50"``; currencies without a symbol use the code.

    At least two decimals; more only when the amount has them (a unit price of 0.125).
    """
    sign = "-" if amount < 0 else ""
    exponent = amount.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    digits = f"{abs(amount):,.{places}f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def render_invoice(invoice: Invoice) -> str:
    totals = invoice_totals(invoice)

    def money(amount: Decimal) -> str:
        return format_money(amount, invoice.currency)

    lines = [
        f"Invoice {invoice.number}",
        f"Customer: {invoice.customer}",
        f"Issued: {invoice.issue_date.isoformat()}",
        f"Due: {due_date(invoice.issue_date, invoice.payment_terms_days).isoformat()}",
        "",
    ]
    for item in invoice.lines:
        lines.append(
            f"{item.description:<32} {item.quantity:>4} x {money(item.unit_price):>12}"
            f" {money(line_amount(item)):>14}"
        )
    lines += ["", f"{'Subtotal':<52} {money(totals.subtotal):>14}"]
    if totals.discount:
        label = f"Discount {invoice.discount_percent} %"
        lines.append(f"{label:<52} {money(-totals.discount):>14}")
    for rate, tax in sorted(totals.tax_by_rate.items()):
        label = f"VAT {(rate * 100).normalize()} %"
        lines.append(f"{label:<52} {money(tax):>14}")
    lines.append(f"{'Total':<52} {money(totals.total):>14}")
    return "\n".join(lines) + "\n"
