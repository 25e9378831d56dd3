import datetime as dt
from decimal import Decimal

from invoicing.models import Invoice, LineItem
from invoicing.render import format_money, render_invoice


def test_format_money():
    assert format_money(Decimal("1234.5")) == "€1,234.50"


def test_render_invoice_header():
    invoice = Invoice(
        number="2024-0001",
        customer="Café Lisboa",
        issue_date=dt.date(2024, 3, 4),
        payment_terms_days=14,
        lines=[LineItem("Beans", Decimal("12.00"), 2, Decimal("0.06"))],
    )
    text = render_invoice(invoice)
    assert text.startswith("Invoice 2024-0001\nCustomer: Café Lisboa\n")
